#!/usr/bin/env bash
# The throwaway PostgreSQL cluster of issue 21 (tests/pg/throwaway_cluster.sh) does what the
# store's PostgreSQL tests will rely on: a server a command can reach, UTF-8 kept, and
# nothing left behind (no server, no folder) when the command succeeds, fails, or the
# script is stopped.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cluster="$here/throwaway_cluster.sh"
fails=0
check() {  # check "what" command...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
leftovers() {  # no folder and no server of a cluster whose folder was $1
  [ ! -e "$1" ] && ! pgrep -f -- "-D $1/data" >/dev/null
}

"$cluster" true
status=$?
[ $status -eq 77 ] && { echo "skip: PostgreSQL's server is not installed"; exit 77; }

# 1. A command reaches the server through the environment; UTF-8 round trips.
out=$("$cluster" bash -c 'echo "dir=$PGHOST"; psql -X -q -At -v ON_ERROR_STOP=1 \
  -c "create table t(x text)" -c "insert into t values ('"'"'12320 家庭医生签约'"'"')" -c "select x from t"')
status=$?
check "the command ran and its status is the script's (0)" test $status -eq 0
check "UTF-8 text round-trips through the server" grep -qx '12320 家庭医生签约' <<<"$out"
dir=$(sed -n 's/^dir=//p' <<<"$out")
check "the socket folder was under TMPDIR" test -n "$dir"
check "nothing left after success" leftovers "$dir"

# 2. A failing command: its status comes back, and the cluster is gone.
out=$("$cluster" bash -c 'echo "dir=$PGHOST"; psql -X -q -At -c "select 1" >/dev/null && exit 3')
status=$?
dir=$(sed -n 's/^dir=//p' <<<"$out")
check "a failing command's status is the script's (3)" test $status -eq 3
check "nothing left after a failure" leftovers "$dir"

# 3. The script stopped by SIGTERM while the command runs (a CI timeout).
tmp=$(mktemp)
"$cluster" bash -c 'echo "$PGHOST" >'"$tmp"'; sleep 61; true' &
pid=$!
for _ in $(seq 100); do [ -s "$tmp" ] && break; sleep 0.1; done
dir=$(cat "$tmp")
check "the server was up while the command ran" test -S "$dir/.s.PGSQL.5432"
kill -TERM $pid
wait $pid
status=$?
sleep 0.2
check "the command's own children were stopped too" bash -c '! pgrep -f "slee[p] 61" >/dev/null'
rm -f "$tmp"
check "a terminated script exits 143" test $status -eq 143
check "nothing left after SIGTERM" leftovers "$dir"

((fails == 0)) || { echo "$fails check(s) failed"; exit 1; }
