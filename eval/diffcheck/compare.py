"""Compare two digest files (see digest.py) and say which part of which document changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SHOW = 20  # differing keys listed in full


@dataclass(frozen=True)
class Difference:
    """One key whose entry differs. kind: ``changed``, ``new`` (only in the current run) or
    ``gone`` (only in the baseline); parts: the parts (or columns, or counts) concerned, each
    with a short ``old -> new`` note."""

    key: str
    kind: str
    parts: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    """The outcome of a comparison: the differences in key order and counts per part."""

    baseline_keys: int
    current_keys: int
    differences: list[Difference]
    by_part: Counter  # (part, kind) -> number of keys

    @property
    def same(self) -> bool:
        return not self.differences


def compare(baseline: dict[str, dict], current: dict[str, dict]) -> Report:
    """The differences between two {key: entry} maps (read_digests)."""
    differences = []
    by_part: Counter = Counter()
    for key in sorted(baseline.keys() | current.keys()):
        old, new = baseline.get(key), current.get(key)
        if old == new:
            continue
        if old is None or new is None:
            kind = "new" if old is None else "gone"
            entry = new if old is None else old
            parts = {p: _value(entry, p) for p in sorted(_names(entry))}
        else:
            kind = "changed"
            parts = {
                p: f"{_value(old, p)} -> {_value(new, p)}"
                for p in sorted(_names(old) | _names(new))
                if _value(old, p) != _value(new, p)
            }
        for part in parts:
            by_part[(_section(key, part), kind)] += 1
        differences.append(Difference(key, kind, parts))
    return Report(len(baseline), len(current), differences, by_part)


def _names(entry: dict) -> set[str]:
    if "parts" in entry:
        return set(entry["parts"])
    if "columns" in entry:
        return {c.split(":", 1)[0] for c in entry["columns"]}
    return set(entry.get("counts", {}))


def _value(entry: dict, name: str) -> str:
    """The digest of a part, the type of a column or a published count; "-" when absent."""
    if "parts" in entry:
        return entry["parts"].get(name, "-")
    if "columns" in entry:
        types = dict(c.split(":", 1) for c in entry["columns"])
        return types.get(name, "-")
    return str(entry.get("counts", {}).get(name, "-"))


def _section(key: str, part: str) -> str:
    if key.startswith("#schema"):
        return "column " + key.split()[-1]
    if key.startswith("#summary"):
        return "summary"
    return part


def format_report(report: Report, show: int = SHOW) -> str:
    """A readable summary: counts per part and kind, then the first `show` differing keys."""
    if report.same:
        return f"diffcheck: OK, {report.current_keys} entries identical to the baseline"
    lines = [
        f"diffcheck: {len(report.differences)} of {report.current_keys} entries differ from the "
        f"baseline ({report.baseline_keys} entries)",
        f"  {'part':<18} {'changed':>8} {'new':>8} {'gone':>8}",
    ]
    for part in sorted({p for p, _ in report.by_part}):
        counts = [report.by_part[(part, kind)] for kind in ("changed", "new", "gone")]
        lines.append(f"  {part:<18} " + " ".join(f"{n:>8}" for n in counts))
    lines.append(f"first {min(show, len(report.differences))} differences (part: old -> new):")
    for diff in report.differences[:show]:
        notes = ", ".join(
            f"{p} {v}" if diff.kind == "changed" else p for p, v in diff.parts.items()
        )
        lines.append(f"  {diff.kind:<7} {diff.key}: {notes}")
    return "\n".join(lines)
