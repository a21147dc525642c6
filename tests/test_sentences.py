from transforms.text.sentences import SentenceIndex, sentence_spans, split_line


def texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_splits_on_sentence_ends_but_not_abbreviations_or_initials():
    text = (
        "U.S. Defence Secretary James Mattis spoke. Mr. Smith met George W. Bush in Jan. 2019! Ok?"
    )
    assert texts(text, split_line(text, 0, len(text))) == [
        "U.S. Defence Secretary James Mattis spoke.",
        "Mr. Smith met George W. Bush in Jan. 2019!",
        "Ok?",
    ]


def test_quotes_close_a_sentence_and_open_the_next():
    text = "'We will continue,' he said. \"It is far from complete.\" The release added more."
    assert texts(text, split_line(text, 0, len(text))) == [
        "'We will continue,' he said.",
        '"It is far from complete."',
        "The release added more.",
    ]


def test_sentences_never_cross_lines_and_offsets_are_into_the_whole_text():
    text = " date 2020-01-01 First line. Second one\nThird line."
    lines = [(17, text.index("\n")), (text.index("\n") + 1, len(text))]
    spans = sentence_spans(text, lines)
    assert texts(text, spans) == ["First line.", "Second one", "Third line."]
    index = SentenceIndex(spans)
    assert index.find(text.index("Second")) == spans[1]
    assert index.find(text.index("\n")) is None
