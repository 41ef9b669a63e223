#!/usr/bin/env bash
# The C ABI against its checked-in baseline (abi/hotline_c.abi), with libabigail.
#
#   tools/abi_check.sh check  <libhotline_c.so>   fail if a host built against the
#                                                  baseline would break (exit 1)
#   tools/abi_check.sh update <libhotline_c.so>   write the baseline: deliberately,
#                                                  in the commit that changes the ABI
#
# abidiff's exit status is a bit set: 4 an ABI change (functions added: hosts do not
# break), 8 an incompatible change (a function removed, a parameter or a struct
# changed: hosts break), 1/2 an error.  Only 8 and errors fail the check.  Types come
# from the library's DWARF (hotline_c's own sources are built with -g; src/CMakeLists.txt)
# filtered to the public C headers (include/hotline/c, include/hotline/hotline.h).
set -uo pipefail
cd "$(dirname "$0")/.."
verb=${1:?check or update}
lib=${2:?path to libhotline_c.so}
baseline=${HOTLINE_ABI_BASELINE:-abi/hotline_c.abi}
# The public C headers: types defined anywhere else (the C++ behind the handles) are
# private and left out, and only what the library exports is described.
public=(--exported-interfaces-only --drop-private-types)

case "$verb" in
  update)
    mkdir -p "$(dirname "$baseline")"
    abidw --no-corpus-path --no-comp-dir-path --no-show-locs "${public[@]}" --headers-dir include/hotline/c \
      --header-file include/hotline/hotline.h --out-file "$baseline" "$lib" || exit 1
    echo "abi: baseline written to $baseline ($(grep -c '<elf-symbol ' "$baseline") symbols)"
    ;;
  check)
    [ -f "$baseline" ] || { echo "abi: no baseline at $baseline (tools/abi_check.sh update <lib>)"; exit 1; }
    # The headers filter an ELF file; a description (.abi, as the self-test passes) is
    # filtered already, and abidiff 2.2 aborts when given headers for one.
    headers=()
    [[ "$lib" == *.abi ]] || headers=(--headers-dir2 include/hotline/c --header-file2 include/hotline/hotline.h)
    report=$(abidiff --no-default-suppression "${public[@]}" "${headers[@]}" "$baseline" "$lib")
    status=$?
    if (( status & 3 )); then
      echo "abi: abidiff failed (status $status)"; echo "$report"; exit 1
    fi
    if (( status & 8 )); then
      echo "abi: INCOMPATIBLE with the baseline $baseline: hosts built against it break."
      echo "$report"
      echo "abi: if intended, raise HOTLINE_ABI_VERSION (include/hotline/c/common.h) and the"
      echo "     version node (cmake/hotline_c.map), then: tools/abi_check.sh update $lib"
      exit 1
    fi
    if (( status & 4 )); then
      echo "abi: compatible additions since the baseline (hosts keep working):"
      echo "$report" | grep -E 'changes summary|\[A\]'
      echo "abi: record them with: tools/abi_check.sh update $lib"
    else
      echo "abi: identical to the baseline $baseline"
    fi
    ;;
  *) echo "usage: $0 check|update <libhotline_c.so>" >&2; exit 2 ;;
esac
