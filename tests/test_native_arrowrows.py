"""The writer's compiled rows -> Arrow conversion (transforms/native/_arrowrows.pyx, through
`columns.native_batch`) against its reference (`columns.to_batch_reference`: pyarrow's own
conversion), on random rows of every output table (nulls, missing keys, empty and long lists,
nested structs, non-ASCII text), on hand-made edge cases (dates from year 1 to 9999, int64
limits, columns without any null or only nulls) and on values the module leaves to the
reference (datetime for a date, bool or float for an int64, bytes for a string, a list element
that is not a dict, a lone surrogate). Identical means equal batches whose every buffer has the
same size (the writer's byte budget counts buffer sizes), or, where the module declines, the
reference's batch or its error."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import shutil
import sysconfig
from pathlib import Path

import pyarrow as pa
import pytest

from tests.test_columns_tail import random_rows
from transforms.output import columns
from transforms.output.schemas import TABLES


def _can_compile() -> bool:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which("cc") is not None and include.exists()


def _compiled():
    """The compiled module whatever NEWSLINE_NATIVE says (this test compares both paths)."""
    try:
        return importlib.import_module("transforms.native._arrowrows")
    except ImportError:
        assert not _can_compile(), "_arrowrows.pyx not built: make .venv/.installed"
        return None


ARROWROWS = _compiled()
pytestmark = pytest.mark.skipif(ARROWROWS is None, reason="no C compiler: nothing to compare")


def buffer_sizes(array: pa.Array) -> list:
    """Every buffer's size (None for an absent one), children included, in Arrow's order."""
    return [None if b is None else b.size for b in array.buffers()]


def assert_same(schema: pa.Schema, rows: list[dict], fast_expected: bool = True) -> None:
    """The compiled batch equals the reference's, buffer sizes included; or (declined) None."""
    reference = columns.to_batch_reference(schema, rows)
    fast = columns.native_batch(ARROWROWS, schema, rows)
    if not fast_expected and fast is None:
        return
    assert fast is not None
    assert fast.schema.equals(schema)
    assert fast.equals(reference)
    assert fast.to_pylist() == reference.to_pylist()
    for i, name in enumerate(schema.names):
        assert buffer_sizes(fast.column(i)) == buffer_sizes(reference.column(i)), name
    assert fast.get_total_buffer_size() == reference.get_total_buffer_size()


def without_null_elements(schema: pa.Schema, rows: list[dict]) -> list[dict]:
    """The rows with the None elements of their lists of structs dropped (the module declines
    those: a null struct element is left to the reference)."""
    structs = [f.name for f in schema if pa.types.is_list(f.type) and f.type.value_type.num_fields]
    out = []
    for row in rows:
        row = dict(row)
        for key in structs:
            if row.get(key) is not None:
                row[key] = [v for v in row[key] if v is not None]
        out.append(row)
    return out


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("seed", range(4))
def test_random_rows_give_the_reference_batch(table, seed):
    schema = TABLES[table]
    rows = random_rows(table, 700, seed)
    assert_same(schema, without_null_elements(schema, rows))
    assert_same(schema, rows, fast_expected=False)  # null elements: either way equal
    assert_same(schema, without_null_elements(schema, rows[:1]))
    assert_same(schema, without_null_elements(schema, rows[:9]))  # a partial bitmap byte


def test_rows_with_keys_in_another_order_extra_or_missing():
    """The module reads a row's entries in order while its keys are the ones expected, and
    looks the rest up by name: rows (and actors) in another key order, with extra keys or
    keys missing, and keys that are equal strings but other objects."""
    schema = TABLES["events"]
    rows = without_null_elements(schema, random_rows("events", 300, 11))
    rng = random.Random(5)

    def mixed(row: dict, i: int) -> dict:
        items = [("".join(list(k)), v) for k, v in row.items()] if i % 7 == 3 else list(row.items())
        if i % 3 == 0:
            rng.shuffle(items)
        if i % 4 == 1:
            items.insert(rng.randrange(len(items) + 1), ("extra", "x"))
        if i % 5 == 2 and items:
            items.pop(rng.randrange(len(items)))
        return dict(items)

    for i, row in enumerate(rows):
        if row.get("actors"):
            row["actors"] = [mixed(actor, i + k) for k, actor in enumerate(row["actors"])]
    assert_same(schema, [mixed(row, i) for i, row in enumerate(rows)])
    assert_same(schema, rows)


def test_columns_without_nulls_and_with_only_nulls():
    schema = TABLES["events"]
    full = [{name: None for name in schema.names} for _ in range(13)]
    assert_same(schema, full)
    assert_same(schema, [{} for _ in range(3)])  # every key missing: every column null
    rows = random_rows("events", 50, 9)
    dense = [
        {**row, **{k: v for k, v in rows[0].items() if v is not None}, "actors": []}
        for row in rows
    ]
    assert_same(schema, dense)
    actors = [{"text": "Anne", "type": "PERSON", "start": 1, "end": 5}]
    assert_same(schema, [{**row, "actors": actors * 3} for row in dense])


def test_dates_and_int64_limits():
    schema = pa.schema([("d", pa.date32()), ("i", pa.int64()), ("s", pa.string())])
    days = [
        dt.date.min, dt.date.max, dt.date(1970, 1, 1), dt.date(1969, 12, 31), dt.date(1600, 2, 29),
        dt.date(1900, 3, 1), dt.date(2000, 2, 29), dt.date(2100, 2, 28), dt.date(4, 3, 1),
    ]  # fmt: skip
    days += [dt.date(1, 1, 1) + dt.timedelta(days=d) for d in range(0, 3_652_059, 997)]
    ints = [0, 1, -1, 2**63 - 1, -(2**63), 2**31, -(2**31) - 1]
    rows = [
        {"d": d, "i": ints[k % len(ints)], "s": "é" * (k % 5) or None}
        for k, d in enumerate(days)
    ]
    assert_same(schema, rows)


@pytest.mark.parametrize(
    "column, kind, value",
    [
        ("d", pa.date32(), dt.datetime(2020, 5, 1, 12, 30)),
        ("i", pa.int64(), True),
        ("i", pa.int64(), 2.0),
        ("i", pa.int64(), 2**63),
        ("s", pa.string(), b"bytes"),
        ("s", pa.string(), "lone \ud800 surrogate"),
        ("l", pa.list_(pa.struct([("a", pa.string())])), [None, {"a": "x"}]),
        ("l", pa.list_(pa.struct([("a", pa.string())])), [("x",)]),
        ("l", pa.list_(pa.string()), ("a", "b")),
    ],
)
def test_values_the_module_declines_go_to_the_reference(column, kind, value):
    schema = pa.schema([(column, kind)])
    rows = [{column: None}, {column: value}]
    assert ARROWROWS.columns(rows, columns._native_spec(ARROWROWS, schema)) is None
    assert columns.native_batch(ARROWROWS, schema, rows) is None
    try:
        expected = columns.to_batch_reference(schema, rows)
    except (pa.ArrowException, ValueError, TypeError, OverflowError) as error:
        with pytest.raises(type(error)):
            columns.to_batch(schema, rows)
    else:
        assert columns.to_batch(schema, rows).equals(expected)


def test_rows_that_are_not_dicts_or_not_a_list_go_to_the_reference():
    schema = pa.schema([("s", pa.string())])
    assert columns.native_batch(ARROWROWS, schema, [{"s": "a"}, [("s", "b")]]) is None
    assert columns.native_batch(ARROWROWS, schema, ({"s": "a"},)) is None
    assert columns.native_batch(ARROWROWS, schema, []) is None


def test_a_schema_with_other_types_goes_to_the_reference():
    schema = pa.schema([("f", pa.float64()), ("s", pa.string())])
    assert columns._native_spec(ARROWROWS, schema) is None
    rows = [{"f": 1.5, "s": "a"}]
    assert columns.to_batch(schema, rows).equals(columns.to_batch_reference(schema, rows))


def test_the_writer_uses_the_module_unless_switched_off():
    assert (columns._NATIVE is not None) == (columns.native.enabled())
