#!/usr/bin/env bash
# The installed package through pkg-config, without CMake: main.cpp against hotline.pc
# (the static C++ library and what it links) and main.c against hotline-c.pc (the
# shared C ABI, -lhotline_c only), compiled with the flags pkg-config gives, then run.
#
#   tests/consumer/pkg_config.sh <install prefix> <output dir>     (run.sh test: build/stage)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix="$(cd "$1" && pwd)"
out="$2"
mkdir -p "$out"

# lib/ for a prefix of one's own, lib/<multiarch>/ under /usr (GNUInstallDirs).
pcdir=""
for d in "$prefix/lib/pkgconfig" "$prefix/lib/$(${CC:-cc} -print-multiarch 2>/dev/null)/pkgconfig" "$prefix/lib64/pkgconfig"; do
  if [ -f "$d/hotline.pc" ]; then pcdir="$d"; break; fi
done
[ -n "$pcdir" ] || { echo "pkg_config.sh: no hotline.pc under $prefix" >&2; exit 1; }
pc() { PKG_CONFIG_PATH="$pcdir" pkg-config "$@"; }

pc --exists --print-errors hotline hotline-c
echo "pkg-config hotline $(pc --modversion hotline): $(pc --cflags --libs hotline)"
echo "pkg-config hotline-c $(pc --modversion hotline-c): $(pc --cflags --libs hotline-c)"
# The library directory comes back from the .pc file's own place (${pcfiledir}).
[ "$(cd "$(pc --variable=libdir hotline)" && pwd)" = "$(cd "$pcdir/.." && pwd)" ]

# shellcheck disable=SC2046  # pkg-config's output is meant to be word-split
${CXX:-c++} -std=c++20 -Wall -Wextra -o "$out/hotline_consumer" "$here/main.cpp" $(pc --cflags --libs hotline)
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -Wall -Wextra -o "$out/hotline_consumer_c" "$here/main.c" $(pc --cflags --libs hotline-c) \
  -Wl,-rpath,"$(pc --variable=libdir hotline-c)"
"$out/hotline_consumer"
"$out/hotline_consumer_c"
# The C host itself needs libhotline_c alone (and the C library).
needed="$(readelf -d "$out/hotline_consumer_c" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -v '^libc\.so' | tr '\n' ' ')"
[ "$needed" = "libhotline_c.so.0 " ] || { echo "pkg_config.sh: the C consumer needs: $needed" >&2; exit 1; }
