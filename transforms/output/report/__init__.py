"""What a user sees of an output: the HTML report (`newsline report`) and the TimeML export
(`newsline export-timeml`). Both read the published tables; neither is part of the Beam job.

Public API: write_report(version_folder, ...) -> path of report.html; export_timeml(...);
version_dir(output) -> the folder of the current output version.
"""

from transforms.output.report.render import REPORT_NAME, write_report
from transforms.output.report.tables import OutputError, version_dir

__all__ = ["REPORT_NAME", "OutputError", "version_dir", "write_report"]
