#!/usr/bin/env bash
# A small disk for the throwaway cluster's server (a full disk, issue 21 "faults"): a tmpfs
# of a given size that a tablespace can live on, owned by the server's user.
#   tests/pg/small_disk.sh mount DIR SIZE    # e.g. 1m; exit 77 when it cannot be mounted
#   tests/pg/small_disk.sh grow DIR SIZE     # room again, the same files kept
#   tests/pg/small_disk.sh umount DIR
# Mounting needs root (CI runs as root); elsewhere the test that uses it skips.
set -euo pipefail
: "${HOTLINE_PG_OWNER:?run inside tests/pg/throwaway_cluster.sh}"
verb=${1:-}; dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 mount|grow|umount DIR [SIZE]" >&2; exit 2; }
case "$verb" in
  mount)
    [ "$(id -u)" -eq 0 ] || { echo "small_disk: mounting a tmpfs needs root" >&2; exit 77; }
    mkdir -p "$dir"
    uid=$(id -u "$HOTLINE_PG_OWNER"); gid=$(id -g "$HOTLINE_PG_OWNER")
    mount -t tmpfs -o "size=${3:?SIZE},mode=700,uid=$uid,gid=$gid" hotline-small-disk "$dir" 2>/dev/null ||
      { echo "small_disk: this machine does not let us mount a tmpfs" >&2; exit 77; } ;;
  grow) mount -o "remount,size=${3:?SIZE}" "$dir" ;;
  umount) umount -l "$dir" 2>/dev/null || true ;;
  *) echo "usage: $0 mount|grow|umount DIR [SIZE]" >&2; exit 2 ;;
esac
