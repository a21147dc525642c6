"""Title and publication date come from the article's own header, never from a list of other
stories printed above the article."""

import datetime as dt

from transforms.boilerplate.splitter import split_document

BODY = [
    "The harbour ferry between Eastport and the island will run again from Monday, the "
    "operator said on Tuesday, after a two-week suspension caused by an engine fault.",
    "Engineers replaced the engine's cooling pump and the vessel passed its safety "
    "inspection on Saturday, according to a statement from the ferry company.",
    "Islanders had relied on a small water taxi during the suspension, and the council said "
    "it would review how the service is maintained before the contract is renewed next year.",
]
RELATED = [
    "Related coverage",
    "Storm knocks out power across the north of the county",
    "March 3, 2019",
    "Council delays vote on new harbour car park again",
    "March 1, 2019",
]
OWN = [
    "Harbour ferry service to resume after two-week suspension",
    "By Jane Writer",
    "April 2, 2019",
]
HEADLINE = OWN[0]
FOOTER = ["Most read", "Local bakery wins national award", "© 2019 The Daily Example"]


def split(lines):
    return split_document("\n".join(lines) + "\n")


def test_a_related_box_above_the_article_header():
    s = split(["The Daily Example", "Home | News | World", *RELATED, *OWN, *BODY, *FOOTER])
    assert s.title == HEADLINE
    assert s.published == dt.date(2019, 4, 2)


def test_a_related_box_between_the_article_header_and_the_body():
    s = split(["The Daily Example", *OWN, *RELATED, *BODY, *FOOTER])
    assert s.title == HEADLINE
    assert s.published == dt.date(2019, 4, 2)


def test_no_date_of_its_own_means_no_published_date_from_the_list():
    s = split(["The Daily Example", HEADLINE, "By Jane Writer", *RELATED, *BODY, *FOOTER])
    assert s.title == HEADLINE
    assert s.published is None
