"""The manifest writer gathers a part's rows as Arrow batches (manifest.PartRows) instead of
Python dicts: the same table and the same Parquet bytes as the dict rows (the reference,
``pa.Table.from_pylist``), and parts still end exactly every ROWS_PER_PART rows."""

import pyarrow as pa
import pyarrow.parquet as pq

from transforms.ingest.readers import FileRef
from transforms.limits import MANIFEST_CHUNK_ROWS
from transforms.output import manifest
from transforms.output.beam import WriteManifestFn

SEQ, RUN_ID = 1_796_117_464_000, "20261201T094500-abc"


def refs(n: int) -> list[FileRef]:
    """n files, one with a name that is not valid UTF-8 (its source is escaped)."""
    made = [
        FileRef(f"/in/shard-{i // 7:04d}/doc-{i:07d}.txt", 1000 + i, 1.7e9 + i / 3)
        for i in range(n)
    ]
    if n:
        made[n // 2] = FileRef("/in/caf\udce9.txt", 5, 1.5)
    return made


def dict_rows(files: list[FileRef]) -> list[dict]:
    """The rows as the writer made them before PartRows."""
    return [
        {"path": f.source, "size": f.size, "mtime": f.mtime, "seq": SEQ, "run_id": RUN_ID}
        for f in files
    ]


def test_part_rows_make_the_table_and_bytes_of_the_dict_rows(tmp_path):
    for n, chunk in ((1, 7), (23, 7), (21, 7), (50, 1000)):
        files = refs(n)
        part = manifest.PartRows(SEQ, RUN_ID, chunk_rows=chunk)
        for f in files:
            part.add(f)
        assert len(part) == n
        table = part.table()
        reference = pa.Table.from_pylist(dict_rows(files), schema=manifest.SCHEMA)
        assert table.equals(reference)
        assert all(col.num_chunks == 1 for col in table.columns)
        ours = manifest.write_part(str(tmp_path / f"a{n}"), table)
        theirs = manifest.write_part(str(tmp_path / f"b{n}"), dict_rows(files))
        with open(ours, "rb") as a, open(theirs, "rb") as b:
            assert a.read() == b.read()


def test_the_chunk_divides_a_part():
    assert manifest.ROWS_PER_PART % MANIFEST_CHUNK_ROWS == 0


def test_write_manifest_fn_ends_a_part_every_rows_per_part(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest, "ROWS_PER_PART", 10)
    fn = WriteManifestFn(str(tmp_path), SEQ, RUN_ID)
    fn.start_bundle()
    files = refs(25)
    paths = [p for f in files for p in fn.process(f)]
    paths += [w.value for w in fn.finish_bundle()]
    rows = [pq.read_table(p).to_pylist() for p in paths]
    assert [len(r) for r in rows] == [10, 10, 5]
    assert [r for part in rows for r in part] == dict_rows(files)
