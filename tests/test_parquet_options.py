"""The Parquet writer's per-file choices made without hashing schemas or calling compute
functions (transforms/output/schemas.py `by_schema`, parquet.py `list_values`): the same
answers as functools.lru_cache and ``pc.sum(pc.list_value_length(...))``."""

import random

import pyarrow as pa
import pyarrow.compute as pc

from transforms.output import parquet
from transforms.output.schemas import SCHEMA_MEMO_ENTRIES, TABLES, by_schema


def test_a_schema_memo_answers_per_equal_schema_and_arguments():
    calls = []

    @by_schema
    def names(schema: pa.Schema, suffix: str = "") -> list[str]:
        calls.append(schema)
        return [name + suffix for name in schema.names]

    events = TABLES["events"]
    assert names(events) == events.names and len(calls) == 1
    rebuilt = pa.schema(list(events))  # equal, another object
    assert names(rebuilt) is names(events) and len(calls) == 1
    assert names(events, "!") == [n + "!" for n in events.names] and len(calls) == 2
    tagged = events.with_metadata({"k": "v"})  # other metadata: another entry
    assert names(tagged) == events.names and len(calls) == 3
    assert names(TABLES["documents"]) == TABLES["documents"].names and len(calls) == 4
    for i in range(SCHEMA_MEMO_ENTRIES + 2):  # bounded: the oldest entries go
        names(events, str(i))
    names(TABLES["documents"])
    assert len(calls) == 4 + SCHEMA_MEMO_ENTRIES + 2 + 1


def test_encoding_options_are_the_same_for_an_equal_schema():
    for name, schema in TABLES.items():
        again = pa.schema(list(schema), metadata=schema.metadata)
        dictionary = frozenset(list(parquet.DICTIONARY_COLUMNS)[:3])
        assert parquet.encoding_options(again, dictionary) == parquet.encoding_options.__wrapped__(
            schema, dictionary
        ), name


def test_list_values_is_the_sum_of_the_list_lengths():
    kind = pa.list_(pa.struct([("a", pa.string())]))
    rng = random.Random(7)
    for trial in range(300):
        with_nulls = trial % 2
        rows = [
            None if with_nulls and rng.random() < 0.2 else [{"a": "x"}] * rng.randint(0, 4)
            for _ in range(rng.randint(0, 30))
        ]
        array = pa.array(rows, kind)
        start = rng.randint(0, len(rows))
        stop = rng.randint(start, len(rows))
        chunks = [array.slice(start, stop - start), array] if trial % 3 else []
        column = pa.chunked_array(chunks, type=kind)
        want = pc.sum(pc.list_value_length(column)).as_py() or 0
        assert parquet.list_values(column) == want, trial
