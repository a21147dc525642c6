"""Flex Template entry point: the launcher runs `python launch.py --input=... --output=... ...`.

The same as `python -m pipeline`, with one difference: a Flex Template passes every parameter as
`--name=value`, while newsline's on/off options are plain switches (`--incremental`). Here
`--incremental=true` becomes `--incremental` and `--incremental=false` is dropped.
"""

from __future__ import annotations

import argparse
import sys

from pipeline.options import NewslineOptions
from pipeline.run import main


def switches() -> set[str]:
    """newsline's options that take no value (argparse store_true / store_false)."""
    parser = argparse.ArgumentParser()
    NewslineOptions._add_argparse_args(parser)
    return {
        option
        for action in parser._actions
        if action.nargs == 0 and action.dest != "help"
        for option in action.option_strings
    }


def template_argv(argv: list[str]) -> list[str]:
    known = switches()
    result = []
    for arg in argv:
        name, equals, value = arg.partition("=")
        if not equals or name not in known:
            result.append(arg)
        elif value.lower() == "true":
            result.append(name)
        elif value.lower() != "false":
            raise SystemExit(f"newsline: {name} takes true or false, not {value!r}")
    return result


if __name__ == "__main__":
    sys.argv[1:] = template_argv(sys.argv[1:])
    main()
