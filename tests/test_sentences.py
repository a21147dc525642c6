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


def test_a_single_line_break_reads_as_a_space_but_a_blank_line_does_not():
    from transforms.text.sentences import read_breaks_as_spaces

    text = "The deal was signed on\nOctober 27, 2019.  \n  It closed.\n\nNew paragraph\n"
    out = read_breaks_as_spaces(text)
    assert len(out) == len(text)
    assert out == "The deal was signed on October 27, 2019.     It closed.\n\nNew paragraph\n"
    # only inside the given spans
    first = (0, text.index("It") - 3)
    assert read_breaks_as_spaces(text, [first])[: first[1]] == out[: first[1]]
    assert read_breaks_as_spaces(text, [first])[first[1] :] == text[first[1] :]


def test_sentences_cross_a_line_break_inside_a_block():
    text = "Talks resumed on\nMonday after a\nbreak. Both sides\nagreed."
    spans = sentence_spans(text, [(0, len(text))])
    assert texts(text, spans) == ["Talks resumed on\nMonday after a\nbreak.", "Both sides\nagreed."]


def test_a_date_wrapped_over_two_lines_is_found():
    import datetime as dt

    from transforms.temporal.tagger import DateTagger

    text = "  The company said on\nOctober\n27, 2019 that it would close the plant."
    mentions, _ = DateTagger().tag(text, dt.date(2019, 11, 1), [(2, len(text))])
    found = [(m.text, m.value, text[m.start : m.end]) for m in mentions]
    assert ("October 27, 2019", "2019-10-27", "October\n27, 2019") in found
