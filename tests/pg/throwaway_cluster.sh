#!/usr/bin/env bash
# A throwaway PostgreSQL cluster around one command (issue 21, item 5): initdb into a
# temporary folder, a server listening on a Unix socket in that folder only (no TCP), the
# command run with PGHOST, PGPORT, PGUSER, PGDATABASE and HOTLINE_PG (a libpq URI) set, and
# the server stopped and the folder removed when the command ends, fails, or the script is
# interrupted. The command's exit status is the script's.
#
#   tests/pg/throwaway_cluster.sh psql -c 'select version()'
#
# initdb refuses to run as root, and CI runs as root: then the server runs as the
# unprivileged user `nobody` (setpriv), and the command as the caller. Exit status 77 (ctest's
# SKIP_RETURN_CODE) when Debian's postgresql is not installed.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "throwaway_cluster: PostgreSQL's server is not installed (Debian package postgresql)" >&2
  exit 77
fi
(($#)) || { echo "usage: $0 command [args...]" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/hotline-pg.XXXXXX")
owner=$(id -un)
as=()
if [ "$(id -u)" -eq 0 ]; then
  owner=nobody
  as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  chown nobody:nogroup "$dir"
fi
chmod 700 "$dir"

child=
stop() {
  local status=$?
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM -- "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  # A replica a test started (tests/pg/standby_ctl.sh) goes first.
  if [ -f "$dir/standby/postmaster.pid" ]; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir/standby" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/data/postmaster.pid" ]; then
    # immediate: a test that failed half-way leaves nothing worth a clean shutdown.
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server's user needs its own working directory: the caller's may be closed to it.
cd "$dir"
if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1; then
  echo "throwaway_cluster: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
port=5432  # no TCP: the port only names the socket file in $dir
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses= -p $port" start >/dev/null 2>&1; then
  echo "throwaway_cluster: the server did not start:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi
cd - >/dev/null

export PGHOST="$dir" PGPORT="$port" PGUSER="$owner" PGDATABASE=postgres
export HOTLINE_PG="postgresql:///postgres?host=$dir&port=$port&user=$owner"
# For tests that stop and start the server (tests/pg/server_ctl.sh).
export HOTLINE_PG_DATA="$dir/data" HOTLINE_PG_BIN="$bin" HOTLINE_PG_OWNER="$owner"
# In the background and waited for, so that a SIGTERM to this script (a CI timeout) is
# handled at once rather than after the command; in a process group of its own (setsid),
# so that stopping it stops what it started; stdin passed on explicitly.
setsid "$@" <&0 &
child=$!
wait "$child"
