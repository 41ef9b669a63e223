#!/usr/bin/env bash
# Stops or starts the throwaway cluster's server from inside a test (the server gone
# mid-transaction, then back): tests/pg/server_ctl.sh stop|start.  Reads the variables
# throwaway_cluster.sh exports; runs pg_ctl as the server's owner (nobody under root).
set -euo pipefail
: "${HOTLINE_PG_DATA:?run inside tests/pg/throwaway_cluster.sh}"
as=()
[ "$(id -u)" -eq 0 ] && as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
cd "$(dirname "$HOTLINE_PG_DATA")"
case "${1:-}" in
  stop) exec "${as[@]}" "$HOTLINE_PG_BIN/pg_ctl" -D "$HOTLINE_PG_DATA" -m immediate -w stop >/dev/null ;;
  start) exec "${as[@]}" "$HOTLINE_PG_BIN/pg_ctl" -D "$HOTLINE_PG_DATA" -l "$(dirname "$HOTLINE_PG_DATA")/server.log" \
      -w -t 60 -o "-k $PGHOST -c listen_addresses= -p $PGPORT" start >/dev/null ;;
  *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
