"""newsline's stages, one folder each (ARCHITECTURE.md).

Importing this package first installs `quiet_warnings` (before Apache Beam is imported by any
module of it, or of `pipeline/`, which imports it): newsline prints no warning its user cannot
act on, also when a user's script imports a stage's module directly. It also installs the
import finder that runs each listed pure-Python module compiled when its build is fresh, and
its source otherwise (transforms/native/pure.py).
"""

from __future__ import annotations

import logging

from transforms.native import pure

# Warnings of libraries that say nothing a newsline user can act on, by the start of their text:
# Beam's BigQuery client stub logs this at import when the [gcp] extra is not installed (it is
# on Dataflow; newsline never uses BigQuery).
UNACTIONABLE = ("apitools not found",)


class QuietWarnings(logging.Filter):
    """Drops log records whose message starts with one of UNACTIONABLE."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False (drop) for an unactionable warning, True otherwise."""
        return not str(record.msg).startswith(UNACTIONABLE)


def quiet_warnings() -> None:
    """Install QuietWarnings on the root logger (Beam logs these through it), once."""
    root = logging.getLogger()
    if not any(isinstance(f, QuietWarnings) for f in root.filters):
        root.addFilter(QuietWarnings())


quiet_warnings()
pure.install()
