"""Parse TimeML (TBAQ-cleaned) files and convert them into the job's input format.

Gold TIMEX3 offsets are code-point offsets into the ``<TEXT>`` content with every
tag removed and XML entities decoded.  The converted input file is
``" date <DCT as YYYY-MM-DD> " + text``, so gold offsets shift by ``len(prefix)``.

Scoring, TempEval-3 style:

Definitions (as in the TempEval-3 evaluation toolkit, UzZaman et al. 2013):

* strict match: a system expression with exactly the gold extent (same start and end);
* relaxed match: a system expression that overlaps the gold extent; each gold and each
  system expression is matched at most once (largest overlap first);
* P = matched / system expressions, R = matched / gold expressions, F1 = 2PR / (P + R);
* value F1: the attribute score of TE3, i.e. P and R where the numerator counts only the
  RELAXED matches whose normalized ``value`` strings are identical (equivalently relaxed F1
  times value accuracy over the relaxed matches).

The "DATE" rows restrict gold to ``type=DATE`` and the system side to expressions typed DATE.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PREFIX_TEMPLATE = " date {} "


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    timex_type: str
    value: str
    mod: str = ""  # TimeML mod (START, END, APPROX, ...), "" when none


@dataclass(frozen=True)
class TimeMLDoc:
    doc_id: str
    corpus: str
    dct: str  # YYYY-MM-DD
    text: str  # the <TEXT> content, tags removed, entities decoded
    timexes: tuple[GoldTimex, ...]

    @property
    def prefix(self) -> str:
        return PREFIX_TEMPLATE.format(self.dct)

    def job_input(self) -> str:
        """The file content the job reads: the date prefix followed by the text."""
        return self.prefix + self.text

    def shifted_timexes(self) -> tuple[GoldTimex, ...]:
        """Gold TIMEX3 with offsets into :meth:`job_input`."""
        n = len(self.prefix)
        return tuple(
            GoldTimex(t.start + n, t.end + n, t.text, t.timex_type, t.value, t.mod)
            for t in self.timexes
        )


def _walk(elem: ET.Element, parts: list[str], pos: int, out: list[GoldTimex]) -> int:
    """Append the text of ``elem``'s content to ``parts``; record TIMEX3 offsets."""
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _walk(child, parts, pos, out)
        if child.tag == "TIMEX3":
            text = "".join(child.itertext())
            out.append(
                GoldTimex(
                    start,
                    pos,
                    text,
                    child.get("type", ""),
                    child.get("value", ""),
                    child.get("mod", ""),
                )
            )
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def parse_timeml(path: str | Path, corpus: str = "") -> TimeMLDoc:
    """Read one TimeML file: DCT, plain text of <TEXT> and its gold TIMEX3 tags."""
    root = ET.parse(path).getroot()
    doc_id = (root.findtext("DOCID") or Path(path).stem).strip()
    dct_timex = root.find("DCT/TIMEX3")
    dct_value = dct_timex.get("value", "") if dct_timex is not None else ""
    text_elem = root.find("TEXT")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    if text_elem is not None:
        _walk(text_elem, parts, 0, timexes)
    text = "".join(parts)
    for t in timexes:
        assert text[t.start : t.end] == t.text, (path, t)
    return TimeMLDoc(doc_id, corpus, dct_value[:10], text, tuple(timexes))


def load_corpus(root: str | Path) -> list[TimeMLDoc]:
    """All documents of ``root``/TimeBank and ``root``/AQUAINT, sorted by corpus and name."""
    docs = []
    for corpus in ("TimeBank", "AQUAINT"):
        for path in sorted((Path(root) / corpus).glob("*.tml")):
            docs.append(parse_timeml(path, corpus))
    return docs


def convert(docs: list[TimeMLDoc], out_dir: str | Path) -> list[Path]:
    """Write each document as ``<out_dir>/<corpus>/<doc_id>.txt`` in the job's input format."""
    paths = []
    for doc in docs:
        path = Path(out_dir) / doc.corpus / f"{doc.doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(doc.job_input(), encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------- scoring


# System expressions are scored in the same shape as gold ones.
Timex = GoldTimex


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.system += other.system
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.value += other.value

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.system if self.system else 0.0
        r = hits / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Alignment:
    """Pairs (gold, system) of relaxed matches, plus the unmatched ones on each side."""

    pairs: list[tuple[Timex, Timex]] = field(default_factory=list)
    missed: list[Timex] = field(default_factory=list)
    spurious: list[Timex] = field(default_factory=list)


def _overlap(a: Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def align(gold: Sequence[Timex], system: Sequence[Timex]) -> Alignment:
    """One-to-one relaxed alignment, largest overlap first (ties: earlier system first)."""
    candidates = sorted(
        (
            (-_overlap(g, s), gi, si)
            for gi, g in enumerate(gold)
            for si, s in enumerate(system)
            if _overlap(g, s) > 0
        ),
    )
    used_gold: set[int] = set()
    used_system: set[int] = set()
    out = Alignment()
    for _, gi, si in candidates:
        if gi in used_gold or si in used_system:
            continue
        used_gold.add(gi)
        used_system.add(si)
        out.pairs.append((gold[gi], system[si]))
    out.pairs.sort(key=lambda pair: pair[0].start)
    out.missed = [g for i, g in enumerate(gold) if i not in used_gold]
    out.spurious = [s for i, s in enumerate(system) if i not in used_system]
    return out


def count(alignment: Alignment, n_gold: int, n_system: int) -> Counts:
    strict = sum(1 for g, s in alignment.pairs if (g.start, g.end) == (s.start, s.end))
    value = sum(1 for g, s in alignment.pairs if g.value == s.value)
    return Counts(n_gold, n_system, strict, len(alignment.pairs), value)


def score_document(
    gold: Sequence[Timex], system: Sequence[Timex], only_type: str | None = None
) -> tuple[Counts, Alignment]:
    """Counts and alignment for one document, optionally restricted to one TIMEX3 type."""
    if only_type:
        gold = [g for g in gold if g.timex_type == only_type]
        system = [s for s in system if s.timex_type == only_type]
    alignment = align(gold, system)
    return count(alignment, len(gold), len(system)), alignment


def mod_line(pairs: Iterable[tuple[Timex, Timex]]) -> str:
    """TIMEX3 mod against gold over relaxed-aligned pairs: accuracy (no mod = ""), and
    precision/recall of the mods themselves."""
    n = same = gold_mods = system_mods = right = 0
    for g, s in pairs:
        n += 1
        same += g.mod == s.mod
        gold_mods += bool(g.mod)
        system_mods += bool(s.mod)
        right += bool(g.mod) and g.mod == s.mod
    acc = same / n if n else 0.0
    p = right / system_mods if system_mods else 0.0
    r = right / gold_mods if gold_mods else 0.0
    return (
        f"- TIMEX3 mod vs TimeBank + AQUAINT gold mod: accuracy {acc:.3f} over {n} aligned "
        f"expressions; mods written {system_mods}, gold mods {gold_mods}, right {right} "
        f"(P {p:.3f}, R {r:.3f})"
    )


def total(counts: Iterable[Counts]) -> Counts:
    out = Counts()
    for c in counts:
        out.add(c)
    return out


def row(name: str, c: Counts) -> str:
    """One Markdown table row: gold, system, strict/relaxed P R F1, value P R F1."""
    sp, sr, sf = c.prf(c.strict)
    rp, rr, rf = c.prf(c.relaxed)
    vp, vr, vf = c.prf(c.value)
    cells = [name, str(c.gold), str(c.system)]
    cells += [f"{x:.3f}" for x in (sp, sr, sf, rp, rr, rf, vp, vr, vf)]
    return "| " + " | ".join(cells) + " |"


TABLE_HEADER = (
    "| set | gold | system | strict P | strict R | strict F1 | relaxed P | relaxed R "
    "| relaxed F1 | value P | value R | value F1 |\n" + "|---" * 12 + "|"
)
