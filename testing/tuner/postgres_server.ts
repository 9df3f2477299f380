/**
 * A throwaway PostgreSQL server for the tests: initdb in a temporary folder, listening only on
 * a unix socket in that folder (no TCP), on a random port number (which names the socket).
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (or
 * `nobody`) through runuser, in a folder that user owns.
 *
 * `findPostgres()` returns null with the reason when no server binaries are installed; the
 * tests then skip, unless HEBB_REQUIRE_POSTGRES=1 (CI), where that is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  url: string;
  stop(): void;
}

export function findPostgres(): { bin: string } | { missing: string } {
  const candidates = [process.env['HEBB_PG_BIN'], ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`) : [])];
  for (const c of candidates) if (c && existsSync(join(c, 'initdb')) && existsSync(join(c, 'pg_ctl'))) return { bin: c };
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim() !== '') return { bin: join(which.stdout.trim(), '..') };
  return { missing: 'no PostgreSQL server found (initdb and pg_ctl in /usr/lib/postgresql/*/bin, $HEBB_PG_BIN or PATH); install the Debian package postgresql' };
}

function userIds(name: string): { uid: number; gid: number } | null {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout), gid: Number(g.stdout) } : null;
}

export function startPostgres(bin: string): PgServer {
  const dir = mkdtempSync(join(tmpdir(), 'hebb-pg-'));
  let as: string[] = [];
  if (process.getuid?.() === 0) {
    const user = userIds('postgres') ? 'postgres' : 'nobody';
    const ids = userIds(user)!;
    chownSync(dir, ids.uid, ids.gid);
    as = ['runuser', '-u', user, '--'];
  }
  const run = (cmd: string, args: string[]): void => {
    const full = [...as, join(bin, cmd), ...args];
    execFileSync(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = 20000 + Math.floor(Math.random() * 40000);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off`, 'start']);
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
