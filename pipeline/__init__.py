"""newsline's command line and pipeline wiring.

Importing this package imports `transforms` first, which installs its `quiet_warnings` (before
Apache Beam is imported): newsline prints no warning its user cannot act on.
"""

from __future__ import annotations

import transforms  # noqa: F401  (installs transforms.quiet_warnings before Beam is imported)
