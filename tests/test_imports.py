"""Data flows one way, read from the imports themselves (ast, no module is run):

- no module of pipeline/ or transforms/ uses another module's private (``_name``) names;
- a stage imports only the shared modules (records, deadletter, limits, text/, textscan/),
  its own folder and lower stages: ingest < boilerplate < temporal < events < output;
- the shared modules import no stage; transforms/ never imports pipeline/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STAGES = ("ingest", "boilerplate", "temporal", "events", "output")
SHARED = ("records", "deadletter", "limits", "native", "text", "textscan")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for top in ("pipeline", "transforms")
    for path in sorted((REPO / top).rglob("*.py"))
}


def imports(path: Path) -> list[tuple[str, str | None, int]]:
    """(module imported, name imported from it or None, line) of every import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # `from transforms.x import y` may import the module transforms.x.y
                full = f"{node.module}.{alias.name}"
                if full in MODULES:
                    found.append((full, None, node.lineno))
                else:
                    found.append((node.module, alias.name, node.lineno))
    return found


def private_uses(path: Path) -> list[str]:
    """Private names taken from project modules: imported, or read as ``module._name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound: dict[str, str] = {}  # local name -> project module
    bad = []
    for module, name, line in imports(path):
        if module not in MODULES:
            continue
        if name is not None and name.startswith("_"):
            bad.append(f"{path.name}:{line} imports {module}.{name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES and alias.asname:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in MODULES:
                    bound[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            bad.append(f"{path.name}:{node.lineno} uses {bound[node.value.id]}.{node.attr}")
    return bad


def layer(module: str) -> str | None:
    """The stage or shared unit of a transforms module (None outside transforms/)."""
    parts = module.split(".")
    if parts[0] != "transforms" or len(parts) < 2:
        return None
    return parts[1]


def allowed(importer: str, imported: str) -> bool:
    """May module `importer` import module `imported`?"""
    if not imported.startswith("transforms"):
        return not (importer.startswith("transforms") and imported.startswith("pipeline"))
    mine, theirs = layer(importer), layer(imported)
    if mine is None or theirs is None or mine == theirs:
        return True  # pipeline/ may use anything; a unit its own modules
    if mine in SHARED:
        return theirs in SHARED and theirs != "deadletter"
    if theirs in SHARED:
        return True
    return STAGES.index(theirs) < STAGES.index(mine)


def test_the_stages_are_known():
    units = {layer(m) for m in MODULES if layer(m) is not None}
    assert units <= set(STAGES) | set(SHARED), units - set(STAGES) - set(SHARED)
    assert set(STAGES) <= units


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_uses_private_names_of_another(module):
    assert private_uses(MODULES[module]) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_data_flows_one_way(module):
    bad = [
        f"line {line}: {imported}"
        for imported, _, line in imports(MODULES[module])
        if imported.split(".")[0] in ("transforms", "pipeline") and not allowed(module, imported)
    ]
    assert bad == [], f"{module} imports a later stage or pipeline/"


def test_the_checks_catch_what_they_forbid(tmp_path):
    """The rules themselves: a later stage, pipeline/ from transforms/, a private name."""
    assert not allowed("transforms.ingest.readers", "transforms.output.parquet")
    assert not allowed("transforms.temporal.beam", "transforms.events.rows")
    assert not allowed("transforms.text.pubdate", "transforms.boilerplate.header")
    assert not allowed("transforms.records", "transforms.deadletter")
    assert not allowed("transforms.output.beam", "pipeline.options")
    assert allowed("transforms.events.rows", "transforms.temporal.tagger")
    assert allowed("transforms.deadletter", "transforms.records")
    assert allowed("pipeline.build", "transforms.output.beam")
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from transforms.output import parquet\n"
        "from transforms.records import _hidden\n"
        "parquet._list_files('x')\n"
    )
    assert len(private_uses(sample)) == 2
