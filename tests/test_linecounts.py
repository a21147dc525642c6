from transforms.boilerplate.linecounts import LineCounts, doc_line_keys


def key(line):
    line = line.strip().lower()
    return hash(line) if len(line) > 3 else None


def test_a_line_counts_once_per_document_and_short_lines_not_at_all():
    keys = doc_line_keys(" date 2020-01-01 Share this\nShare this\nok\nBody text here", 17, key)
    assert keys == {key("Share this"), key("Body text here")}


def test_repeated_keeps_lines_seen_in_two_or_more_documents():
    counts = LineCounts()
    counts.add_doc({1, 2}).add_doc({1, 3}).add_doc({1})
    assert counts.n_docs == 3
    assert counts.repeated() == {1: 3}


def test_merge_adds_counts_and_documents():
    a = LineCounts().add_doc({1, 2})
    b = LineCounts().add_doc({2, 3})
    merged = a.merge(b)
    assert merged.n_docs == 2
    assert merged.repeated() == {2: 2}


def test_bound_drops_one_off_lines_but_keeps_template_lines():
    counts = LineCounts(max_keys=10)
    template = 999
    for doc in range(50):
        counts.add_doc({template, 1000 + doc})
    assert len(counts.counts) <= 11
    assert counts.repeated()[template] == 50


def test_copies_of_one_document_count_once():
    counts = LineCounts()
    for _ in range(5):
        counts.add_doc({1, 2}, doc_id="same page")
    counts.add_doc({1, 3}, doc_id="other page")
    assert counts.n_docs == 2
    assert counts.repeated() == {1: 2}


def test_long_prose_lines_are_not_counted():
    prose = "A long paragraph of article prose. " * 20
    assert doc_line_keys(f"Share this story\n{prose}", 0, key) == {key("Share this story")}
