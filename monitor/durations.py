"""Text for people: durations as "1 m 52 s" or "2 d 3 h", and columns aligned to their content."""

from __future__ import annotations

from collections.abc import Sequence

_UNITS = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))


def human_duration(seconds: float | None) -> str:
    """The two largest units, rounded down: 45 → "45 s", 112 → "1 m 52 s", 183600 → "2 d 3 h".
    None (no data) → "-"; negative (clock skew between publisher and us) keeps its sign."""
    if seconds is None:
        return "-"
    sign = "-" if seconds < 0 else ""
    rest = int(abs(seconds))
    if rest == 0:
        return "0 s"
    parts: list[str] = []
    for unit, size in _UNITS:
        count, rest = divmod(rest, size)
        if count or parts:
            parts.append(f"{count} {unit}")
        if len(parts) == 2:
            break
    if parts[-1].startswith("0 "):  # "2 d 0 h" reads better as "2 d"
        parts.pop()
    return sign + " ".join(parts)


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """Lines of a table whose columns are as wide as their widest cell (two spaces between columns);
    the columns numbered in `right` are right-aligned (numbers, durations)."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            str(cell).rjust(widths[i]) if i in right else str(cell).ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines
