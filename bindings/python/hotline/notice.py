"""Turn a State Council holiday notice into the overlay file the library reads.

    python3 -m hotline.notice 2027.txt                 # print the days found
    python3 -m hotline.notice 2027.txt -o notices/2027.csv
    python3 -m hotline.notice - --year 2027 < pasted.txt

The notice is the text of 国务院办公厅关于YYYY年部分节假日安排的通知 as published (copied
from the web page: clutter, introduction and closing paragraph may stay).  Every day it
finds is printed with its weekday, so a person can check them against the notice before
the file goes into a host's notices folder (Calendar.with_notices, docs/calendar-overlays.md).
A notice the parser cannot check (a weekday that does not match its date, a 共N天 that
does not add up, ...) is an error naming the item, and nothing is written.
"""
from __future__ import annotations

import argparse
import sys

from . import _core

_WEEKDAYS = "一二三四五六日"


def describe(overlay: _core.CalendarOverlay) -> str:
    """The overlay's days, one a line, in date order, with the weekday and the kind."""
    lines = []
    covered = overlay.covered_years
    if covered is not None:
        lines.append(f"covers {covered[0]}" if covered[0] == covered[1] else f"covers {covered[0]}-{covered[1]}")
    for d, day_off, zh, en, _line in sorted(overlay.entries, key=lambda e: e[0]):
        kind = "放假 day off" if day_off else "上班 worked"
        lines.append(f"{d.isoformat()} 星期{_WEEKDAYS[d.weekday()]}  {kind:12} {zh} / {en}")
    off = sum(1 for e in overlay.entries if e[1])
    lines.append(f"{off} days off, {len(overlay.entries) - off} worked weekend days")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line (python3 -m hotline.notice NOTICE [--year Y] [-o CSV]): prints the
    days a notice arranges, to check against its text; 0 on success, 1 on a bad notice."""
    ap = argparse.ArgumentParser(prog="python3 -m hotline.notice", description=__doc__.split("\n")[0])
    ap.add_argument("notice", help="the notice's text file (UTF-8), or - for standard input")
    ap.add_argument("--year", type=int, default=None, help="the year it arranges (read from the text when omitted)")
    ap.add_argument("-o", "--output", help="write the overlay CSV here (with '# covers: YEAR')")
    args = ap.parse_args(argv)
    try:
        if args.notice == "-":
            overlay = _core.CalendarOverlay.from_notice(sys.stdin.read(), args.year, "<stdin>")
        else:
            overlay = _core.CalendarOverlay.from_notice_file(args.notice, args.year)
    except _core.Error as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(describe(overlay))
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(overlay.to_csv())
        print(f"written: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
