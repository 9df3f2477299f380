import { loadBetterSqlite3 } from '../../src/tuner/storage/sqlite.js';

/**
 * The reason to skip an SQLite test, or false to run it. better-sqlite3 is optional (it needs a
 * compiler to install): without it these tests skip, unless HEBB_REQUIRE_SQLITE=1 (CI).
 */
export function sqliteMissing(): string | false {
  try {
    loadBetterSqlite3();
    return false;
  } catch (e) {
    return process.env['HEBB_REQUIRE_SQLITE'] === '1' ? false : `${(e as Error).message} (HEBB_REQUIRE_SQLITE=1 makes this a failure)`;
  }
}
