"""The event stage's pure parts: trigger choice, classes (the examples of the class table),
actors, date_role, and the columns an events row carries."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest
import yaml

from transforms.events.extract import EventExtractor
from transforms.events.lexicon import RULES_DIR


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor()


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    tense: str = "past"
    granularity: str | None = "day"


def annotate(extractor, sentence: str, date: str, tense: str = "past", gran="day") -> dict:
    start = sentence.index(date)
    mention = Mention(start, start + len(date), tense, gran)
    return extractor.annotate(sentence, (0, len(sentence)), mention, {})


@pytest.mark.parametrize(
    ("sentence", "date", "expected"),
    [
        # possessive date: the head noun it modifies
        ("Tuesday's vote was close, officials said.", "Tuesday", "vote"),
        # a date inside a noun phrase
        ("Police reopened the Oct. 23 shooting case.", "Oct. 23", "shooting"),
        # preposition attachment to an event noun
        ("The US said it carried out a drone strike on July 7 in Syria.", "July 7", "strike"),
        # when-clause: the clause of the date, not the nearest verb of the sentence
        (
            "The city was quiet in 1979 when the Soviet Union invaded Afghanistan.",
            "1979",
            "invaded",
        ),
        # a reporting verb is the trigger when nothing else happens in its clause: "it" and
        # "that" open the reported clause
        ("The ministry said Sunday it carried out three raids.", "Sunday", "said"),
        ("The ministry said on Monday that talks would resume.", "Monday", "said"),
        # a phrasal verb keeps its particle
        ("Gunmen took out two guards on Sunday.", "Sunday", "took out"),
        # a fronted date attaches to the main verb after the comma
        ("On Tuesday, rebels attacked the town of Kidal.", "Tuesday", "attacked"),
        # a reporting verb right before its date is the trigger even with another verb in the
        # clause; farther away it is not
        (
            "Albright announced on Monday a reward for information leading to arrests.",
            "Monday",
            "announced",
        ),
        ("Officials said the attack on Tuesday killed five people.", "Tuesday", "killed"),
        # a participle used as a preposition is not what happened
        ("Net income rose to $5 million compared with a loss in 1988.", "1988", "loss"),
        # a predicate past "and" after the date belongs to a coordinated clause
        (
            "The council condemned the bombing on Thursday and called on all states to help.",
            "Thursday",
            "bombing",
        ),
    ],
)
def test_trigger_is_chosen_from_the_clause(extractor, sentence, date, expected):
    row = annotate(extractor, sentence, date)
    assert row["trigger"] == expected
    assert sentence[row["trigger_start"] : row["trigger_end"]] == expected


def _class_examples():
    table = yaml.safe_load((RULES_DIR / "event_classes.yaml").read_text("utf-8"))["classes"]
    for name, spec in table.items():
        for example in spec["examples"]:
            sentence, trigger = (x.strip() for x in example.split("=>"))
            yield name, sentence, trigger


@pytest.mark.parametrize(("name", "sentence", "trigger"), list(_class_examples()))
def test_class_table_examples(extractor, name, sentence, trigger):
    """Every example of rules/event_classes.yaml: its date's trigger and class."""
    date = next(
        w for w in ("Tuesday", "Monday", "Sunday", "Friday", "Saturday", "Wednesday", "July 7",
                    "May 5", "March 2005", "1998", "1945", "March 3", "Oct. 23")
        if w in sentence
    )  # fmt: skip
    row = annotate(extractor, sentence, date)
    assert (row["trigger"], row["event_class"]) == (trigger, name)


def _fallback_examples():
    table = yaml.safe_load((RULES_DIR / "event_classes.yaml").read_text("utf-8"))
    for example in table["fallback_examples"]:
        yield tuple(x.strip() for x in example.split("=>"))


@pytest.mark.parametrize(("sentence", "trigger", "name"), list(_fallback_examples()))
def test_class_fallback_examples(extractor, sentence, trigger, name):
    """A lemma no class lists takes its WordNet file's class; general verbs of possession,
    competition and creation (find, win, design) are `other`, not economy, attack or start."""
    date = next(w for w in ("Friday", "Monday", "Sunday", "1998") if w in sentence)
    row = annotate(extractor, sentence, date)
    assert (row["trigger"], row["event_class"]) == (trigger, name)


def test_reporting_verbs_are_report_and_killings_are_death(extractor):
    assert annotate(extractor, "The ministry said on Monday.", "Monday")["event_class"] == "report"
    row = annotate(extractor, "Three people were killed on Sunday.", "Sunday")
    assert row["event_class"] == "death"
    row = annotate(extractor, "He died on Sunday.", "Sunday")
    assert row["event_class"] == "death"


def test_actors_of_the_trigger_clause(extractor):
    sentence = (
        "The State Department said that on October 27, 2019, the US launched an operation which "
        "took out ISIS leader Abu Bakr al-Baghdadi; Russia denied it."
    )
    row = annotate(extractor, sentence, "October 27, 2019")
    names = {a["text"]: a["type"] for a in row["actors"]}
    assert names["Abu Bakr al-Baghdadi"] == "person"
    assert names["ISIS"] == "org"
    assert names["US"] == "place"
    assert "Russia" not in names  # another clause
    for actor in row["actors"]:
        assert sentence[actor["start"] : actor["end"]] == actor["text"]


@pytest.mark.parametrize(
    ("sentence", "date", "not_actor"),
    [
        # a capitalised function word that opens the sentence is no name
        ("Another storm hit Cuba on Friday.", "Friday", "Another"),
        ("Through March, Kenya exported less tea.", "March", "Through"),
        ("To cut costs, Fiat closed a plant in 2012.", "2012", "To"),
    ],
)
def test_sentence_initial_function_words_are_not_actors(extractor, sentence, date, not_actor):
    row = annotate(extractor, sentence, date)
    names = [a["text"] for a in row["actors"]]
    assert not_actor not in names and names, row


def test_actors_are_listed_once_and_titles_before_a_full_stop_type_them(extractor):
    sentence = "In June, Airbus sued Boeing and Boeing sued Airbus."
    row = annotate(extractor, sentence, "June")
    names = [a["text"] for a in row["actors"]]
    assert sorted(names) == sorted(set(names)) and "Boeing" in names
    row = annotate(extractor, "Dr. Okafor resigned on Tuesday.", "Tuesday")
    assert {a["text"]: a["type"] for a in row["actors"]} == {"Okafor": "person"}


def test_a_habitual_cue_of_another_predicate_leaves_the_event(extractor):
    """"typically" tells the habit of the verb it modifies, not of the dated trigger."""
    sentence = "The fair, which usually lasts a week, opened on June 2 this year."
    row = annotate(extractor, sentence, "June 2")
    assert (row["trigger"], row["date_role"]) == ("opened", "event")
    row = annotate(extractor, "The fair usually opens in June.", "June", "none", "month")
    assert row["role_reason"] == "generic"


@pytest.mark.parametrize(
    ("text", "date", "reason"),
    [
        ("Sales rose 5% to $3 million from $2 million in 2003.", "2003", "comparison"),
        ("It was the team's first win since December 2018.", "December 2018", "comparison"),
        ("The key travel is shorter than on the 2015 design.", "2015", "comparison"),
        ("Reviewers liked the 2015 design of the keyboard.", "2015", "noun_modifier"),
        ("Send an electronic Christmas card to your family.", "Christmas", "noun_modifier"),
        ("Olivia on October 4, 2018 at 10:58 am said:", "October 4, 2018", "publication_line"),
        ("Published October 27, 2020", "October 27, 2020", "publication_line"),
        ("• The very best Black Friday deals", "Black Friday", "link_or_list"),
        ("See https://example.org/post/2012/12/some-notes/ for more.", "2012", "link_or_list"),
        ("Farmers typically sow wheat in November.", "November", "generic"),
        ("That is why our universe looks as it is today.", "today", "generic"),
    ],
)
def test_date_role_other_with_reason(extractor, text, date, reason):
    tense = "none" if date in ("today", "November") else "past"
    gran = "month" if date == "November" else "day"
    row = annotate(extractor, text, date, tense, gran)
    assert (row["date_role"], row["role_reason"]) == ("other", reason)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Two federal prison officers were charged on Tuesday with falsifying records.", "Tuesday"),
        ("Rebels attacked the town in March 2005.", "March 2005"),
        ("Spain will play Croatia on Wednesday.", "Wednesday"),
    ],
)
def test_date_role_event(extractor, text, date):
    row = annotate(extractor, text, date)
    assert (row["date_role"], row["role_reason"]) == ("event", None)


def test_no_predicate_has_no_trigger(extractor):
    row = annotate(extractor, "Reuters, 12 March 2019", "12 March 2019")
    assert row["trigger"] is None and row["date_role"] == "other"


@pytest.mark.parametrize(
    ("sentence", "date", "expected"),
    [
        # a complementiser after a reporting verb opens the reported clause: its verb, past
        # the commas of fronted adverbials and its subject, is what the date anchors
        ("The agency reported that two weeks ago, on March 3, it had recalled 4,000 cars.",
         "two weeks ago", "recalled"),
        ("Lawyers for the firm told the court that in 2016, the founder sold his shares.",
         "2016", "sold"),
        # ... but a reporting verb next to its own date keeps it
        ("The agency reported on Monday that it had recalled 4,000 cars.", "Monday",
         "reported"),
        # a fronted phrase holding "to" as a preposition leads to the clause's verb
        ("In a speech to the nation in July, the president resigned.", "July", "resigned"),
        # a date that opens the sentence with a comma: the clause's verb
        ("Last month, the old mill burned down.", "Last month", "burned down"),
        # of a compound the event noun: its head unless a modifier is more event-like
        ("With a late June wheat harvest, growers sold early.", "late June", "harvest"),
        ("Police reopened the May 5 shooting case.", "May 5", "shooting"),
        # a past form after a year is a verb
        ("The council in 2015 approved the plan.", "2015", "approved"),
    ],
)  # fmt: skip
def test_trigger_of_a_reported_or_fronted_date(extractor, sentence, date, expected):
    assert annotate(extractor, sentence, date)["trigger"] == expected


def test_tense_comes_from_the_date_stage_when_the_trigger_says_none(extractor):
    """With a noun trigger or a bare infinitive the row carries the date mention's clause
    tense; 'none' becomes null."""
    sentence = "The Sunday attack on the town shocked few."
    assert annotate(extractor, sentence, "Sunday", "future")["tense"] == "future"
    assert annotate(extractor, sentence, "Sunday", "none")["tense"] is None
    sentence = "The board is likely to meet on Friday."
    assert annotate(extractor, sentence, "Friday", "future")["tense"] == "future"


@pytest.mark.parametrize(
    ("sentence", "date", "clause", "expected"),
    [
        # a modal other than will/shall: TimeML tense NONE (null), whatever the clause cue
        ("The minister said the new bridge could open in 2024.", "2024", "past", None),
        ("Analysts think rates might fall in March, she added.", "March", "past", None),
        ("The firm would be able to deliver the parts in June, he said.", "June", "past", None),
        # will/shall: future
        ("Officials said the museum will reopen on Monday.", "Monday", "past", "future"),
        # a past participle with no auxiliary is past, even before a future clause
        ("A levy introduced in April would stay in force, they said.", "April", "future",
         "past"),
        ("The station, which was rebuilt in 1998, has closed.", "1998", "present", "past"),
        # present perfect is present tense in TimeML
        ("The company has cut 300 jobs since January.", "January", "past", "present"),
    ],
)  # fmt: skip
def test_tense_of_a_verb_trigger_is_its_verb_group(extractor, sentence, date, clause, expected):
    row = annotate(extractor, sentence, date, clause)
    assert row["tense"] == expected, row


def test_extractor_pickles(extractor):
    clone = pickle.loads(pickle.dumps(extractor))
    row = annotate(clone, "Tuesday's vote was close.", "Tuesday")
    assert row["trigger"] == "vote"
