"""newsline's subcommands that read a published output (no Beam job):

    newsline report OUTPUT [--doc DOC_ID ...] [--sample-docs N] [--max-marks N]
    newsline export-timeml OUTPUT DOC_ID [--source SOURCE] [--out FILE]
    newsline errors OUTPUT [STAGE:REASON]

`newsline --input ... --output ...` (no subcommand) runs the job as before.
Exit codes: 0 done; 2 bad arguments, or OUTPUT is not a newsline output, or no such DOC_ID.
"""

from __future__ import annotations

import argparse
import os
import sys

COMMANDS = ("report", "export-timeml", "errors")
ERROR_COLUMNS = ["source", "stage", "reason", "message"]


def _command(sub, name: str, help: str) -> argparse.ArgumentParser:
    """A subcommand's parser with the OUTPUT positional every subcommand takes."""
    command = sub.add_parser(name, help=help)
    command.add_argument("output", metavar="OUTPUT", help="the job's --output folder")
    return command


def parser() -> argparse.ArgumentParser:
    """The argument parser of the subcommands."""
    top = argparse.ArgumentParser(prog="newsline", description=__doc__.split("\n\n")[0])
    sub = top.add_subparsers(dest="command", required=True)
    report = _command(
        sub,
        "report",
        help="write OUTPUT/report.html, one self-contained HTML page (timeline, counts, "
        "documents); prints its path",
    )
    report.add_argument(
        "--doc",
        action="append",
        default=[],
        metavar="DOC_ID",
        help="show this document in the document view (repeat for several)",
    )
    report.add_argument(
        "--sample-docs",
        type=int,
        default=None,
        metavar="N",
        help="documents shown besides --doc ones: a sample by doc_id (default 12)",
    )
    report.add_argument(
        "--max-marks",
        type=int,
        default=None,
        metavar="N",
        help="timeline entries drawn before the report samples them (default 4000)",
    )
    timeml = _command(
        sub,
        "export-timeml",
        help="write one document's body as TimeML (TIMEX3, EVENT, TLINK, DCT)",
    )
    timeml.add_argument("doc_id", metavar="DOC_ID", help="the document's doc_id")
    timeml.add_argument(
        "--source",
        metavar="SOURCE",
        help="the copy read from this source, when several sources hold the same text (and "
        "so the same doc_id); default: the first source in sorted order, with a note on stderr",
    )
    timeml.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    errors = _command(
        sub,
        "errors",
        help="list the errors rows (source, stage:reason, message), tab-separated, one a line; "
        "the run's summary prints this command for each reason",
    )
    errors.add_argument(
        "reason", metavar="STAGE:REASON", nargs="?", help="only this reason, e.g. decode:binary"
    )
    return top


def main(argv: list[str]) -> int:
    """Run one subcommand; argv starts with its name. Returns the exit code."""
    from transforms.output.report import OutputError, version_dir

    args = parser().parse_args(argv)
    try:
        folder = version_dir(args.output)
        if args.command == "report":
            return _report(args, folder)
        if args.command == "errors":
            return _errors(args, folder)
        return _timeml(args, folder)
    except OutputError as exc:
        print(f"newsline {args.command}: {exc}", file=sys.stderr)
        return 2


def _report(args: argparse.Namespace, folder: str) -> int:
    from transforms.output.report import REPORT_NAME, write_report
    from transforms.output.report.entries import MAX_MARKS
    from transforms.output.report.render import SAMPLE_DOCS
    from transforms.output.report.tables import link_report

    written = write_report(
        folder,
        doc_ids=args.doc,
        sample_docs=SAMPLE_DOCS if args.sample_docs is None else args.sample_docs,
        title=args.output,
        max_marks=MAX_MARKS if args.max_marks is None else args.max_marks,
    )
    # Reachable as OUTPUT/report.html, the way the tables are (a link to _current/report.html).
    visible = link_report(args.output, REPORT_NAME)
    print(visible if os.path.realpath(visible) == os.path.realpath(written) else written)
    return 0


def _timeml(args: argparse.Namespace, folder: str) -> int:
    from transforms.output.report.timeml import export_copy

    text, found = export_copy(folder, args.doc_id, args.source)
    if args.source is None and len(found) > 1:
        print(
            f"newsline export-timeml: doc_id {args.doc_id} was read from {len(found)} sources; "
            f"exported {found[0]!r} (choose with --source): " + ", ".join(map(repr, found[1:])),
            file=sys.stderr,
        )
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(args.out)
    else:
        sys.stdout.write(text)
    return 0


def _errors(args: argparse.Namespace, folder: str) -> int:
    """Print the errors rows (of one stage:reason), sorted by source: no DuckDB CLI needed."""
    import pyarrow.compute as pc

    from transforms.output.report.tables import Output

    where = None
    if args.reason:
        stage, _, reason = args.reason.partition(":")
        where = (pc.field("stage") == stage) & (pc.field("reason") == reason)
    rows = Output(folder).read("errors", ERROR_COLUMNS, where).to_pylist()
    for row in sorted(rows, key=lambda r: (r.get("source") or "", r.get("message") or "")):
        message = " ".join((row.get("message") or "").split())
        print(f"{row.get('source')}\t{row.get('stage')}:{row.get('reason')}\t{message}")
    return 0
