# Shared by bench/anchors.sh and bench/optimizers.sh (sourced, not run). Expects OUT (the
# results folder) and REPO (the repository root) to be set.
#   run NAME CMD...   runs CMD under /usr/bin/time -v: NAME.json (stdout), NAME.err, NAME.time
#                     ("Maximum resident set size" is the whole process's peak RSS, for every
#                     system alike); the command line goes to commands.log.
#   only NAME         true when ONLY (a glob on run names) is unset or matches NAME.
#   machine_info      date, load, node, hebb's commit (and whether src/ or bench/ differ), CPU.
run() { local name=$1; shift; echo "[$(date -u +%T)] $name: $*" | tee -a "$OUT/commands.log"
        /usr/bin/time -v -o "$OUT/$name.time" "$@" > "$OUT/$name.json" 2> "$OUT/$name.err" || echo "  $name failed (see $OUT/$name.err)"; }
only() { [ -z "${ONLY:-}" ] || [[ "$1" == $ONLY ]]; }
machine_info() { date -u; uptime; node --version; echo "hebb $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src bench || echo ' + uncommitted changes in src/ or bench/')"; lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Core'; }
