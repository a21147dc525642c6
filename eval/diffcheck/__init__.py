"""The differential gate (make diffcheck): per-document digests of the job's output compared
with a committed baseline. See __main__.py."""
