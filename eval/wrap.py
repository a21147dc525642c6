"""Make a hard-wrapped variant of a corpus, fairly: ``python -m eval.wrap --out DIR``.

News-wire archives, e-mail and fixed-width dumps break every paragraph every 60-75 columns and
mark a new paragraph with a few spaces of indent (Reuters style). To score the splitter and the
date tagger on such text without hand-labelling new data, this script rewrites labelled text the
same way:

- every non-empty line is a paragraph: it gets a paragraph indent of INDENT spaces, and is
  wrapped greedily at WIDTH columns (a break replaces the white space between two words);
  EVERY line longer than the width is wrapped, page furniture included, not only body lines;
- WIDTH and INDENT are drawn per document (uniform in WIDTHS and INDENTS) from a generator
  seeded with SEED and the document's name, so the variant is the same on every machine and
  does not depend on the order of the documents;
- no blank lines are added: as in wire copy, the indent is the only paragraph mark;
- a word longer than the width stays whole on its own line (nothing is hyphenated);
- the `` date YYYY-MM-DD `` prefix of a job input stays where it is (the job reads it there).

Labels follow the text: each physical line of the wrapped text keeps the label of the line it
comes from (boilerplate pages), and gold offsets are mapped through the rewrite (TimeML).
The CLI writes the wrapped boilerplate pages (texts/ + labels.jsonl) to --out.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 15  # the issue that asked for the variant; fixed so every run makes the same text
WIDTHS = (60, 75)  # inclusive range of wrap widths (columns), drawn per document
INDENTS = (2, 5)  # inclusive range of paragraph indents (spaces), drawn per document
_PREFIX = re.compile(r" date \d{4}-\d{2}-\d{2} ")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Wrapped:
    """A wrapped text with the map back to the original.

    `line_source[i]`: index of the original line that physical line i of `text` comes from.
    `anchors`: sorted (original offset, new offset) pairs; offsets between two anchors move by
    the same amount as the anchor before them (see `map_offset`)."""

    text: str
    line_source: tuple[int, ...]
    anchors: tuple[tuple[int, int], ...]
    width: int
    indent: int

    def map_offset(self, offset: int) -> int:
        """The offset in the wrapped text of a code-point offset into the original text."""
        i = bisect.bisect_right(self.anchors, (offset, float("inf"))) - 1
        orig, new = self.anchors[max(i, 0)]
        return new + offset - orig


def params(name: str, seed: int = SEED) -> tuple[int, int]:
    """(width, indent) of one document, from the fixed seed and its name."""
    rng = random.Random(f"{seed}:{name}")
    return rng.randint(*WIDTHS), rng.randint(*INDENTS)


def wrap_text(text: str, width: int, indent: int) -> Wrapped:
    """Indent and wrap every non-empty line of text at `width` columns (see module docstring)."""
    out: list[str] = []
    sources: list[int] = []
    anchors: list[tuple[int, int]] = [(0, 0)]
    new_pos = 0  # length of the output so far
    orig_pos = 0  # offset of the current original line
    for index, line in enumerate(text.split("\n")):
        head = ""
        body_from = 0
        if index == 0 and (m := _PREFIX.match(line)):
            head, body_from = m.group(), m.end()
        tokens = list(_TOKEN.finditer(line, body_from))
        if not tokens:
            out.append(line)
            sources.append(index)
            anchors.append((orig_pos, new_pos))
            new_pos += len(line) + 1
            orig_pos += len(line) + 1
            continue
        pad = " " * indent
        # leading white space of the line is replaced by the paragraph indent
        anchors.append((orig_pos + tokens[0].start(), new_pos + len(head) + indent))
        physical = head + pad + tokens[0].group()
        for prev, tok in zip(tokens, tokens[1:], strict=False):
            gap = line[prev.end() : tok.start()]
            if len(physical) + len(gap) + len(tok.group()) > width + len(head):
                out.append(physical)
                sources.append(index)
                new_pos += len(physical) + 1
                head = ""
                anchors.append((orig_pos + tok.start(), new_pos))
                physical = tok.group()
            else:
                physical += gap + tok.group()
        physical += line[tokens[-1].end() :]
        out.append(physical)
        sources.append(index)
        new_pos += len(physical) + 1
        orig_pos += len(line) + 1
        anchors.append((orig_pos, new_pos))
    return Wrapped("\n".join(out), tuple(sources), tuple(sorted(set(anchors))), width, indent)


def wrap_document(name: str, text: str, seed: int = SEED) -> Wrapped:
    """wrap_text with the width and indent drawn for this document."""
    width, indent = params(name, seed)
    return wrap_text(text, width, indent)


def wrap_labels(labels: Sequence[str], wrapped: Wrapped) -> list[str]:
    """The label of every physical line of the wrapped text (its source line's label)."""
    return [labels[i] if i < len(labels) else "" for i in wrapped.line_source]


def wrap_pages(data: Path, out: Path, seed: int = SEED) -> Path:
    """Write the wrapped variant of a labelled pages folder (texts/ + labels.jsonl) to out."""
    pages = [json.loads(x) for x in (data / "labels.jsonl").read_text().splitlines() if x.strip()]
    (out / "texts").mkdir(parents=True, exist_ok=True)
    rows = []
    for page in pages:
        text = (data / "texts" / page["file"]).read_text(encoding="utf-8")
        wrapped = wrap_document(page["file"], text, seed)
        (out / "texts" / page["file"]).write_text(wrapped.text, encoding="utf-8")
        labels = wrap_labels(page["labels"], wrapped)
        body = [i for i, label in enumerate(labels) if label == "B"]
        rows.append({**page, "labels": labels, "body_line_indices": body})
    (out / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from eval.body import find_data

    ap = argparse.ArgumentParser(prog="python -m eval.wrap", description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="labelled pages folder (texts/ + labels.jsonl)")
    ap.add_argument("--out", required=True, help="folder for the wrapped pages")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    print(wrap_pages(find_data(args.data), Path(args.out), args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
