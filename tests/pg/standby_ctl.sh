#!/usr/bin/env bash
# A streaming replica of the throwaway cluster (reports on a replica, docs/postgresql.md):
#   tests/pg/standby_ctl.sh start    # pg_basebackup of the primary, started as a hot standby;
#                                    # prints the replica's location (a libpq URI)
#   tests/pg/standby_ctl.sh stop
# The replica lives in the cluster's folder and listens on the same socket folder, port
# PGPORT + 1; throwaway_cluster.sh stops it with the primary if a test did not.
set -euo pipefail
: "${HOTLINE_PG_DATA:?run inside tests/pg/throwaway_cluster.sh}"
as=()
[ "$(id -u)" -eq 0 ] && as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
base=$(dirname "$HOTLINE_PG_DATA")
data="$base/standby"
port=$((PGPORT + 1))
cd "$base"
case "${1:-}" in
  start)
    "${as[@]}" "$HOTLINE_PG_BIN/pg_basebackup" -D "$data" -R -X stream --checkpoint=fast -h "$PGHOST" -p "$PGPORT" -U "$HOTLINE_PG_OWNER" \
      >"$base/standby-backup.log" 2>&1 || { cat "$base/standby-backup.log" >&2; exit 1; }
    "${as[@]}" "$HOTLINE_PG_BIN/pg_ctl" -D "$data" -l "$base/standby.log" -w -t 60 \
      -o "-k $PGHOST -c listen_addresses= -p $port -c hot_standby=on" start >/dev/null ||
      { cat "$base/standby.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$PGHOST&port=$port&user=$HOTLINE_PG_OWNER" ;;
  stop) exec "${as[@]}" "$HOTLINE_PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
