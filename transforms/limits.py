"""Caps and sizes, in one place. Each value says why it is what it is."""

# A news article is 2-50 KB of text; 5 MiB is 100x the largest real one. Larger inputs are
# almost always dumps or binaries and are rejected with reason `too_large` instead of being
# loaded whole into a worker.
MAX_DOC_BYTES = 5 * 1024 * 1024

# Files are read in 1 MiB chunks so a huge file is never read past the cap.
READ_CHUNK_BYTES = 1024 * 1024

# A page with more date candidates than this is a table or a list, not an article; the tagger
# stops there so one document cannot stall a worker (reason `too_many_dates`).
MAX_DATES_PER_DOC = 2000

# Bytes the table writers of one worker hold together (Arrow data, rows not yet converted, the
# events writer's coref summaries: output/columns.py), shared evenly by its TABLE_WRITERS
# (events, documents, errors, and the timeline's share: since the clustering step writes each
# partition's timeline file itself, no writer uses that quarter, so the three writers hold at
# most 3/4 of the budget; kept at 4 so each writer's batch, and the files it makes, stay as
# measured below): each writes its largest partitions once it holds
# WRITE_BATCH_BYTES, until half is free; the rest at the end of the bundle. Worker RSS follows
# the bytes held at 2-4x (the rows not yet converted, the file being encoded, the allocators'
# pages), so the budgets set the level of the reading stage's peak, and a large one keeps
# filling for thousands of pages. Measured (1 worker, bench pages, RSS traced every 3 s,
# issue 14): with 64 MiB per writer the reading stage reached 626 MiB after 10,000 pages
# (bench-scale: 630 MiB, and 763 at 100,000); with 16 MiB, 370-377 MiB; with 8 MiB, 335-354.
# The price is files, not time: 10,000 pages made 126 documents files with 16 MiB per writer
# against 53 with 64 (the published events and timeline files are the same: the scratch
# events files, 1,009 against 549 per 5,000 documents, are merged into one file per partition
# by output/timeline.py), and `python -m bench.write_budget` timed writing and merging the
# same rows at 15.4 ms/doc against 15.9 (a loaded machine, 4 alternating passes: within
# noise). 16 MiB per writer: the old budget of one writer, shared by four.
WRITER_BUDGET_BYTES = 64 * 1024 * 1024
TABLE_WRITERS = 4
WRITE_BATCH_BYTES = WRITER_BUDGET_BYTES // TABLE_WRITERS

# Encoded bytes of one published Parquet file (output/parquet.py write_tables): a partition
# with more is split into several files. Readers pay per file, so this stays large; it is not
# held by the reading stage (only when the timeline stage writes a partition's events file).
PUBLISHED_FILE_BYTES = 64 * 1024 * 1024

# Rows of the published events files are gathered from the scratch files of the partition
# (transforms/output/timeline.py) into row groups of about this many bytes of Arrow data: one
# row group per bundle's file would be tiny on a run of many bundles (readers pay per row group);
# one of these is held in memory at a time (in the timeline stage, after reading).
ROW_GROUP_BYTES = 16 * 1024 * 1024
# Scratch files (transforms/output/scratch.py) a clustering worker keeps open between the
# partitions it reads: one file holds every partition a writer drained at once, so the
# partitions of a bundle share a few files; more are opened and closed again (least recently
# used first). A local file is memory-mapped: the pages of the batches read stay resident (and
# count in RSS) while its reader is kept. One: a partition's references are sorted, so those
# into one file come together and 1 opens each file once per pass as 4 did; at 300,000 pages
# 4 files held 40 MiB of mapped pages in the clustering step (docs/method.md).
SCRATCH_READERS_HELD = 1
# A reference to a few rows of a memory-mapped scratch batch shared by many partitions
# (transforms/output/scratch.py) is copied out of the map when its share of the batch's Arrow
# data is under this many bytes. A zero-copy slice keeps resident every page it touches, at
# least one 4 KiB page per buffer (an events batch has about 60 buffers), so a slice of a few
# rows pins tens of times its own bytes; the clustering holds the rows of a partition's block
# and a row group of its events while it reads the next, and at 300,000 pages that was 189-346
# scratch files mapped at once, 28-36 MiB resident, most 0.1-0.2 MiB each (docs/method.md).
# Above this a slice's extra pages are a small share of it and a copy would only cost time.
SCRATCH_SLICE_COPY_BYTES = 1024 * 1024

# Template-line counting keeps at most this many distinct line keys per accumulator (about
# 25 MB; 1,000,000 measured +80 MB of worker memory at 100k documents). Past it, keys seen in
# only one document are dropped (lossy counting): a site's template lines come back within a
# few thousand pages and survive, one-off article lines do not.
MAX_LINE_KEYS = 250_000

# Lines longer than this are prose, not template (menus, prompts and even legal footers are
# shorter), so they are not counted at all: most article lines never enter the counter.
MAX_TEMPLATE_LINE_CHARS = 500

# The splitter of each worker remembers the features of lines it has seen (site templates come
# back on every page). A site has a few hundred template lines, so 20,000 lines cover many
# sites at once; at most 300 characters each, that is about 25 MB at worst (measured: +27 MB of
# peak RSS at 50,000 on 10k bench pages). Menus, prompts and footers are far shorter than 300
# characters; prose lines are longer and rarely repeat, so they are not kept.
MEMO_MAX_LINES = 20_000
MEMO_MAX_LINE_CHARS = 300

# The event stage's tokenizer remembers every white-space chunk it has read, per tokenizer state
# (events/tokens.py): a known chunk costs one dict lookup instead of the token pattern and the
# word tables. Measured about 500 bytes an entry (16,347 entries, 8.3 MB retained after the
# 2,000 bench pages). A memo that only fills when an archive is large makes the worker's peak
# grow with the archive: with 100,000 entries (50 MB) the memo was still filling past 10,000
# pages, and the worker's C heap grew from 79 to 116 MiB of live data between 10,000 and 53,000
# pages (issue 14, memory flat from 10k to 300k). 40,000 entries (about 20 MB) fill within the
# first ~10,000 pages; a full memo starts afresh (transforms/text/memo.py), so an archive whose
# vocabulary drifts keeps being served. News vocabulary repeats (Zipf): the chunks met again
# after a restart are the frequent ones, read once more the slow way, with the same result.
EVENT_CHUNK_MEMO_MAX = 40_000

# Bounded memos of the date tagger and the stated-date reader (transforms/text/memo.py: a full
# memo starts afresh). Expression texts whose TimeML mod temporal/mod.py remembers: a few
# thousand distinct ones per 2,000 news pages; a dict of this many short strings is a few MiB.
MOD_MEMO_MAX = 20_000
# Words that are not a listed first word of any date rule, looked up once per worker by
# temporal/dispatch.py: news text has ~10^4 distinct words.
WORD_MEMO_MAX = 20_000
# TIMEX3 values whose calendar range (first day, last day, granularity) the date tagger
# remembers (temporal/tagger.py; also read for the anaphora reference of each candidate):
# one short string and a 3-tuple each, about 300 bytes, so 20,000 stay under about 6 MB;
# the 2,000 bench pages have a few thousand distinct values.
RANGE_MEMO_MAX = 20_000
# Header date candidates parsed per reader (text/stated.py): a site's header lines repeat.
PARSE_MEMO_MAX = 4096

# Readings of the lowercase word forms looked up by the event stage (events/lexicon.py): every
# form the chunk memo has not seen is read here, so on an archive whose vocabulary keeps
# growing (names, numbers, typos: Heaps' law) an unbounded memo grows with the archive. A
# Reading and its key are about 250 bytes, so 20,000 forms are about 5 MB at worst; the bench
# pages look up 4,825 forms in 2,000 pages and 7,350 in 53,000 (a full memo starts afresh:
# the forms it forgot are read again, with the same result).
READING_MEMO_MAX = 20_000
# Actor types of the names already typed (events/actors.py): names repeat across an archive.
# An entry holds the name, its tokens and the word before it, a few hundred bytes (2,840 entries
# after the 2,000 bench pages). Sized, like the chunk memo, to fill early rather than to grow
# with the archive: 10,000 entries, about 4 MB; a full memo starts afresh.
ACTOR_TYPE_MEMO_MAX = 10_000
# Sentence-initial capitalised words whose "common word" answer the compiled actor chunker
# remembers (transforms/native/_events.pyx Actors): one short string and a bool each, so
# 20,000 stay under about 2 MB; a sentence's first word repeats ("The", "But", "In").
COMMON_WORD_MEMO_MAX = 20_000

# A line must be in at least this many documents to count as "repeated" (template) text.
MIN_REPEAT_DOCS = 2

# Line counting remembers the doc_ids it has counted, so copies of a page count once. Two
# million ids are about 150 MB; past that, copies may count twice (the counts stay usable).
MAX_DOC_IDS_TRACKED = 2_000_000

# Read units (files, archive members) per element of the read stage's Reshuffle. Beam's local
# runner holds every element of a Reshuffle in memory (~1 KB each); 100 units to an element, as
# one compressed pickle (13 bytes a file on the bench archive), keep that nearly flat at a
# million files, and 100 pages are still well under a second of work, small enough to spread
# across workers.
UNITS_PER_BATCH = 100

# Rows of the run's manifest (one per file read) that the manifest writer holds as Python
# objects before they become an Arrow batch (output/manifest.py, PartRows). Measured (issue 14,
# the listing step alone: match the bench archive, plan it into read units kept as the
# Reshuffle keeps them, gather the manifest): with every row of a part as a Python dict (up to
# 200,000), RSS after listing and malloc_trim was 154 MiB for 10,000 files and 225 for
# 300,000; without the manifest, 149 for 300,000. 10,000 rows of Python objects are ~3 MB,
# reused from one chunk to the next; a divisor of manifest.ROWS_PER_PART, so a part still
# ends exactly there.
MANIFEST_CHUNK_ROWS = 10_000

# --- inputs: archives, compression, encodings (transforms/ingest/archives.py, encodings.py)

# Text compresses 3-10x (gzip) and at most ~30x for very repetitive pages; decompression bombs
# reach 1000x and more. A member or stream that inflates past this ratio is a `decompression_bomb`.
MAX_COMPRESSION_RATIO = 100

# Small inputs can compress far better than prose (a file of one repeated line), so the ratio of
# a whole archive stream is only judged once this much has been decompressed.
RATIO_CHECK_AFTER_BYTES = 64 * 1024 * 1024

# A whole archive stream (.tar.gz, .jsonl.gz) may hold the same syndicated page many times:
# a JSON Lines file of 3 pages repeated 20,000 times gzips 130x. Streams are only stopped past
# 1000x (gzip's own maximum is ~1030x, zstd/xz go far beyond); single documents and members are
# held to MAX_COMPRESSION_RATIO, and every member is capped at MAX_DOC_BYTES anyway.
MAX_STREAM_RATIO = 1000

# A zip's members are read one by one (possibly by different workers), each inflated to at most
# the size it declares, so the whole archive is bounded where it is listed: its members may
# declare together at most MAX_COMPRESSION_RATIO times the archive's own size (real news
# archives compress 3-10x, so they never come near), and never less than this floor, so that a
# small archive of very repetitive text is not refused: 1 GiB is about a second of inflation.
# Members past the budget are refused as `decompression_bomb` (transforms/ingest/archives.py).
ARCHIVE_INFLATE_FLOOR_BYTES = 1024 * 1024 * 1024

# More than 1% C0 control characters is not prose (binary that happened to decode).
MAX_CONTROL_SHARE = 0.01

# A UTF-8 page with up to 1 bad byte in 200 is decoded with U+FFFD for them (note
# `replaced_bytes`); more than that and it is probably not UTF-8 at all.
MAX_REPLACED_SHARE = 0.005

# An archive with more members than this is refused (`too_many_members`): its member list is
# held in memory while it is planned (a zip's central directory is read whole, ~500 bytes each).
MAX_MEMBERS_PER_ARCHIVE = 500_000

# Cross-document events (transforms/output/timeline.py).
# Mention summaries clustered at once: a partition (a month) of the events table with more rows
# is clustered in blocks of its cluster keys. A summary takes about 1-2 KB of Python objects (the
# block's rows of the columns a timeline row copies are held as Arrow data beside them), so
# 20,000 keep a block under 50 MB, and no real month of news makes more than a few blocks
# (10,000 pages make about 150,000 mentions over the months they name).
BLOCK_MENTIONS = 20_000
# Actors listed per timeline row (most frequent first): a cluster of 500 reports can name
# hundreds of people and places; the first 20 are what a reader of the row can use.
TIMELINE_MAX_ACTORS = 20
# Actor names whose normalised form (events/coref.py normalize_actor) one clustering worker
# remembers: the 2,000 bench pages name 44,000 actors, 1,540 distinct; at about 200 bytes an
# entry, 50,000 hold about 10 MB.
ACTOR_NAME_MEMO_MAX = 50_000
