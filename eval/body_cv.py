"""Site-grouped k-fold cross-validation of the splitter's thresholds (part of ``make eval-body``).

The 93 labelled pages come from 80 sites; a page's neighbours from the same site share its
template, so a threshold fitted on one of them is not tested on the other. Folds are therefore
grouped by site (the URL's host without ``www.``): all pages of a site fall in the same fold.

For each fold, the values in GRID (the few strong signals of the line score) are chosen on the
other folds (best pooled line F1 + char F1), and the held-out fold is split with them; the
held-out counts of all folds pooled give the cross-validated figure, which `make eval-body`
prints beside the in-sample one. The shipped values (transforms/boilerplate/thresholds.py) are
the grid's best on all pages; this module reports them too, so a drift shows.

The body_flag threshold (T.BODY_FLAG_MIN_SHARE) is chosen the same way: among FLAG_GRID, the
value whose short_body/empty_body flags best match the pages that lost more than half of their
gold body (char recall < LOST_RECALL), on the labelled pages and their hard-wrapped variant.

Splits run in-process (transforms.boilerplate.splitter.split_document), without corpus line counts,
exactly like ``python -m eval.body --direct``.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlparse

import transforms.boilerplate.thresholds as T
from eval.body import PREFIX, Counts, kept_lines, line_spans, prf, score_page

K = 5  # folds: ~18 pages of ~16 sites held out at a time
# The strong signals of the region search, three values each around the reason-given default:
# how much later prose weighs less, how strong a section heading is as a wall, how wide a gap
# of furniture the region may bridge (0: never).
GRID: dict[str, tuple[float, ...]] = {
    "POSITION_DECAY": (0.3, 0.5, 0.7),
    "BARRIER_PENALTY": (5.0, 8.0, 12.0),
    "BRIDGE_MAX_GAP": (0, 3, 6),
}
FLAG_GRID = (0.1, 0.2, 0.3, 0.4, 0.5)
LOST_RECALL = 0.5  # a page whose kept body has less than half of the gold body's characters


def site(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def assign_folds(pages: Sequence[dict], k: int = K) -> list[int]:
    """The fold of every page: sites, largest first (ties by a hash of the name), each to the
    fold with the fewest pages so far. Deterministic."""
    by_site: dict[str, list[int]] = {}
    for i, page in enumerate(pages):
        by_site.setdefault(site(page["url"]), []).append(i)

    def order(name: str) -> tuple[int, str]:
        return -len(by_site[name]), hashlib.sha1(name.encode()).hexdigest()

    sizes = [0] * k
    fold_of = [0] * len(pages)
    for name in sorted(by_site, key=order):
        fold = min(range(k), key=lambda f: (sizes[f], f))
        for i in by_site[name]:
            fold_of[i] = fold
        sizes[fold] += len(by_site[name])
    return fold_of


@contextlib.contextmanager
def thresholds(values: dict[str, float]) -> Iterator[None]:
    """Set T.NAME = value for the duration of the block (the splitter reads T at call time)."""
    old = {name: getattr(T, name) for name in values}
    try:
        for name, value in values.items():
            setattr(T, name, value)
        yield
    finally:
        for name, value in old.items():
            setattr(T, name, value)


def configs() -> list[dict[str, float]]:
    names = list(GRID)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*GRID.values())]


def split_pages(data: Path, pages: Sequence[dict]) -> list[tuple[Counts, list]]:
    """(line/char counts, body spans) of every page, split with the current thresholds."""
    from transforms.boilerplate.splitter import split_document

    out = []
    for page in pages:
        text = (data / "texts" / page["file"]).read_text(encoding="utf-8")
        start = m.end() if (m := PREFIX.match(text)) else 0
        split = split_document(text, start)
        kept = kept_lines(line_spans(text), split.body_spans)
        out.append((score_page(text, page["labels"], kept), split))
    return out


def pooled(counts: Sequence[Counts], indices: Sequence[int]) -> Counts:
    total = Counts()
    for i in indices:
        total.add(counts[i])
    return total


def objective(c: Counts) -> float:
    return prf(c.tp, c.fp, c.fn)[2] + prf(c.tp_c, c.fp_c, c.fn_c)[2]


def cross_validate(data: Path, pages: Sequence[dict]) -> dict:
    """In-sample (shipped values, grid best) and held-out-fold counts, and the chosen values."""
    fold_of = assign_folds(pages)
    grid = configs()
    per_config = []
    for config in grid:
        with thresholds(config):
            per_config.append([c for c, _ in split_pages(data, pages)])
    everyone = range(len(pages))
    shipped = {name: getattr(T, name) for name in GRID}
    best_all = max(range(len(grid)), key=lambda j: objective(pooled(per_config[j], everyone)))
    held_out = Counts()
    chosen = []
    for fold in range(K):
        train = [i for i in everyone if fold_of[i] != fold]
        test = [i for i in everyone if fold_of[i] == fold]
        j = max(range(len(grid)), key=lambda j: objective(pooled(per_config[j], train)))
        chosen.append(grid[j])
        held_out.add(pooled(per_config[j], test))
    with thresholds(shipped):
        in_sample = pooled([c for c, _ in split_pages(data, pages)], everyone)
    return {
        "in_sample": in_sample,
        "grid_best": pooled(per_config[best_all], everyone),
        "grid_best_values": grid[best_all],
        "held_out": held_out,
        "chosen": chosen,
        "shipped": shipped,
        "n_sites": len({site(p["url"]) for p in pages}),
    }


# --- body_flag ---
def flag_facts(data: Path, pages: Sequence[dict]) -> list[tuple[int, int, bool]]:
    """(kept chars, prose chars, lost) per page: what body_flag decides on, and the truth."""
    from transforms.boilerplate.blocks import build_blocks
    from transforms.boilerplate.scoring import score_lines
    from transforms.boilerplate.splitter import default_splitter

    splitter = default_splitter()
    facts = []
    for page, (c, split) in zip(pages, split_pages(data, pages), strict=True):
        text = (data / "texts" / page["file"]).read_text(encoding="utf-8")
        start = m.end() if (m := PREFIX.match(text)) else 0
        scored = score_lines(
            build_blocks(text, start), splitter.vocabulary, splitter.stopwords, None, 1
        )
        prose = sum(s.feats.n_chars for s in scored if s.prose)
        kept = sum(e - s for s, e in split.body_spans)
        gold = c.tp_c + c.fn_c
        facts.append((kept, prose, gold > 0 and c.tp_c < LOST_RECALL * gold))
    return facts


def flagged(kept: int, prose: int, share: float) -> bool:
    if kept == 0:
        return True
    return prose >= T.BODY_FLAG_MIN_PROSE_CHARS and kept < share * prose


def flag_counts(facts: Sequence[tuple[int, int, bool]], share: float) -> tuple[int, int, int]:
    tp = sum(flagged(k, p, share) and lost for k, p, lost in facts)
    fp = sum(flagged(k, p, share) and not lost for k, p, lost in facts)
    fn = sum(not flagged(k, p, share) and lost for k, p, lost in facts)
    return tp, fp, fn


def flag_score(counts: tuple[int, int, int]) -> tuple[float, int]:
    """F1 of the flags, then fewer false flags (with no lost page in a fold F1 is 0 for all)."""
    tp, fp, fn = counts
    return prf(tp, fp, fn)[2], -fp


def cross_validate_flag(facts: Sequence[tuple[int, int, bool]], groups: Sequence[str]) -> dict:
    """Held-out-fold flag counts with the share chosen on the other folds (grouped by site)."""
    pseudo_pages = [{"url": f"http://{g}/"} for g in groups]
    fold_of = assign_folds(pseudo_pages)
    held = [0, 0, 0]
    chosen = []
    for fold in range(K):
        train = [f for f, fo in zip(facts, fold_of, strict=True) if fo != fold]
        test = [f for f, fo in zip(facts, fold_of, strict=True) if fo == fold]
        share = max(FLAG_GRID, key=lambda s: flag_score(flag_counts(train, s)))
        chosen.append(share)
        held = [a + b for a, b in zip(held, flag_counts(test, share), strict=True)]
    best = max(FLAG_GRID, key=lambda s: flag_score(flag_counts(facts, s)))
    return {
        "held_out": tuple(held),
        "chosen": chosen,
        "best": best,
        "in_sample": flag_counts(facts, T.BODY_FLAG_MIN_SHARE),
        "lost": sum(lost for _, _, lost in facts),
        "pages": len(facts),
    }


def report(data: Path, wrapped: Path | None) -> list[str]:
    """The cross-validation section of eval-body's report."""
    from eval.body import table

    pages = [json.loads(x) for x in (data / "labels.jsonl").read_text().splitlines() if x.strip()]
    cv = cross_validate(data, pages)
    lines = [
        "",
        f"## Cross-validated ({K} folds grouped by site: {cv['n_sites']} sites, "
        f"{len(pages)} pages; direct split, no corpus line counts)",
        "",
        *table(
            {
                "in-sample, shipped thresholds": cv["in_sample"],
                "in-sample, grid best": cv["grid_best"],
                "held-out folds": cv["held_out"],
            }
        ),
        "",
        "grid: " + "; ".join(f"{k} in {v}" for k, v in GRID.items()),
        f"shipped: {cv['shipped']}; grid best on all pages: {cv['grid_best_values']}",
        "chosen per fold: "
        + " | ".join(", ".join(f"{v:g}" for v in c.values()) for c in cv["chosen"]),
    ]
    facts = flag_facts(data, pages)
    groups = [site(p["url"]) for p in pages]
    if wrapped is not None:
        wpages = [json.loads(x) for x in (wrapped / "labels.jsonl").read_text().splitlines()]
        facts += flag_facts(wrapped, wpages)
        groups += [site(p["url"]) for p in wpages]
    fl = cross_validate_flag(facts, groups)
    p_in, r_in, _ = prf(*fl["in_sample"])
    p_ho, r_ho, _ = prf(*fl["held_out"])
    lines += [
        "",
        f"body_flag (pages that lost more than {1 - LOST_RECALL:.0%} of the gold body's "
        f"characters: {fl['lost']} of {fl['pages']}, labelled + wrapped): "
        f"in-sample precision {p_in:.2f} recall {r_in:.2f} (share "
        f"{T.BODY_FLAG_MIN_SHARE:g}); held-out folds precision {p_ho:.2f} recall {r_ho:.2f}; "
        f"share chosen per fold {fl['chosen']}, on all pages {fl['best']:g}",
    ]
    return lines
