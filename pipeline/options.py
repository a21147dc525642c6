"""newsline's own command-line options. Every other flag is a Beam pipeline option."""

from __future__ import annotations

import argparse

from apache_beam.options.pipeline_options import PipelineOptions, _BeamArgumentParser

DEFAULT_OUTPUT = "output"


class NewslineOptions(PipelineOptions):
    """newsline's own options (--input, --output, ...), parsed by Beam's option machinery next to
    the runner's; `help_parser` prints them for --help."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument(
            "--input",
            action="append",
            default=None,
            help="Required. Glob, folder or file to read (local path or any Beam filesystem URI "
            "such as gs://bucket/path/*.txt); an existing path is read as it is, glob characters "
            "and all. Repeat for several.",
        )
        parser.add_argument(
            "--output",
            default=DEFAULT_OUTPUT,
            help="Folder (or URI) that receives events/, timeline/, documents/, errors/, "
            "_SUCCESS and (local disk) report.html. "
            "It must be empty or a newsline output; each run commits a new version of every "
            "table at once (docs/runs.md). Default: " + DEFAULT_OUTPUT,
        )
        parser.add_argument(
            "--corpus_line_counts",
            default="false",
            choices=["true", "false"],
            help="Count lines across the whole input so the splitter knows template lines "
            "(reads the input twice to keep memory flat). Off by default: on the labelled pages "
            "it lowers line F1 (make eval-body), and it makes a page's split depend on the "
            "other pages of the run, which --incremental cannot honour. Default: false",
        )
        parser.add_argument(
            "--spread_streams",
            default="auto",
            choices=["auto", "true", "false"],
            help="Reshuffle the documents read from a stream that only one worker can read "
            "(.tar.gz, .jsonl, .jsonl.gz) so that splitting and dating them spreads across "
            "workers. auto: on for distributed runners (Dataflow, Flink, Spark, ...), off for the "
            "local runner, which would hold all of those documents in memory. Default: auto",
        )
        parser.add_argument(
            "--incremental",
            action="store_true",
            default=False,
            help="Read only input files that are new or changed (size or modification time) "
            "since the runs recorded in OUTPUT/_manifest, and add their rows to the tables "
            "without rewriting the rest; a changed file's old rows are replaced. The first run "
            "into an empty output is a full run; over an incomplete output or another table "
            "schema it refuses (exit 5).",
        )
        parser.add_argument(
            "--allow_empty",
            action="store_true",
            default=False,
            help="Publish empty tables when no --input matched a file, or when a full run "
            "made no document (every input an errors row) over an output that holds documents. "
            "Without it such a run refuses (exit 3) and leaves the output as it is.",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            default=False,
            help="No progress on stderr while the job runs (the local runner shows documents "
            "done, their rate and errors so far); the summary is still printed at the end.",
        )
        parser.add_argument(
            "--keep_versions",
            type=int,
            default=2,
            help="Versions of the output to keep: the current one and the ones before it (old "
            "versions are deleted after each commit). Default: 2",
        )
        parser.add_argument(
            "--lock_timeout",
            type=float,
            default=0,
            help="Seconds to wait for another run writing the same output to finish; 0 refuses "
            "at once (exit 75), -1 waits forever. Default: 0",
        )
        parser.add_argument(
            "--follow_links",
            action="store_true",
            default=False,
            help="Read symbolic links whose target is outside the input folder of their pattern "
            "(the longest folder of --input without glob characters, compared by real path), "
            "and walk links to folders. Without it such links are error rows (read:link_member) "
            "and folder links are not walked; links that stay inside the input folder are always "
            "read. Default: off",
        )
        parser.add_argument(
            "--jsonl_text_field",
            default="text",
            help="JSON Lines (.jsonl, .ndjson, .jsonl.gz): the field holding the article text. "
            "Default: text",
        )
        parser.add_argument(
            "--jsonl_date_field",
            default="date",
            help="JSON Lines: the field holding the publication date (ISO YYYY-MM-DD...), used "
            "when the text has no ` date ` prefix; empty string for none. Default: date",
        )


def help_parser() -> argparse.ArgumentParser:
    """The parser that prints ``newsline --help``: newsline's options only (Beam's are accepted too
    but documented by Beam)."""
    parser = argparse.ArgumentParser(
        prog="newsline",
        description="Turn archives of news pages into Hive-partitioned Parquet tables of dated "
        "events (events/, documents/, errors/). Any Apache Beam pipeline option is accepted "
        "too (e.g. --runner, --direct_num_workers, --temp_location); the default runner is the "
        "local DirectRunner engine, chosen explicitly so that nothing needs the network. "
        "`newsline status OUTPUT` prints the summary (_SUCCESS) of OUTPUT's last published run.",
        epilog="Reading an output: `newsline report OUTPUT` (the HTML report), "
        "`newsline export-timeml OUTPUT DOC_ID` (TimeML) and `newsline errors OUTPUT "
        "[STAGE:REASON]` (the errors rows); each has its own --help.",
    )
    NewslineOptions._add_argparse_args(parser)
    return parser


# The options whose value is a path: a path may begin with "-" (`--input -leading.txt`).
PATH_OPTIONS = ("--input", "--output")


def attach_path_values(argv: list[str]) -> list[str]:
    """``argv`` with ``--input -x.txt`` written as ``--input=-x.txt``: argparse takes a value that
    begins with "-" for an option of its own and fails with "expected one argument".  Only a
    value after --input/--output that is not itself an option ("--..." or "-h") is attached."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if (
            arg in PATH_OPTIONS
            and nxt is not None
            and nxt.startswith("-")
            and not nxt.startswith("--")
            and nxt not in ("-h", "-")
        ):
            out.append(f"{arg}={nxt}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def unknown_flags(argv: list[str]) -> list[str]:
    """Flags that neither newsline nor any Beam options class knows (likely typos), and stray
    positional arguments (`newsline seeds/a.txt` instead of `--input seeds/a.txt`)."""
    parser = _BeamArgumentParser(allow_abbrev=False)
    for cls in PipelineOptions.__subclasses__():  # what Beam itself parses
        cls._add_argparse_args(parser)
    _, unknown = parser.parse_known_args(argv)
    return list(unknown)
