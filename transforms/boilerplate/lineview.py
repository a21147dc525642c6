"""The forms of a line that the boilerplate vocabulary's rules look at (vocab.py): the
stripped text, its lower case, without leading list bullets ("unbulleted"), and without
those and trailing punctuation ("cleaned", what whole-line rules match). The compiled
`_vocab.line_view` (transforms/native/_vocab.pyx) computes the same forms from the same
LEAD_CHARS and TRAIL_CHARS; `LineView.of` is its reference (tests/test_native_vocab.py)."""

from __future__ import annotations

# Leading list markers and trailing punctuation ignored when a rule matches the whole line
# (each set also strips whitespace: str.strip() and the regex class \s agree on what it is).
LEAD_CHARS = "•·*-–—▪►▶◦|[(←→"
TRAIL_CHARS = ":.!?…»›>|-–—])←→"


def _strip_run(text: str, chars: str, left: bool) -> str:
    """text without the run of chars and whitespace at its start (left) or end."""
    while True:
        out = text.lstrip(chars).lstrip() if left else text.rstrip(chars).rstrip()
        if out == text:
            return out
        text = out


def clean_for_match(line: str) -> str:
    """The line without list bullets and trailing punctuation, as whole-line rules see it."""
    return _strip_run(_strip_run(line.strip(), LEAD_CHARS, True), TRAIL_CHARS, False)


class LineView:
    """The forms of one (stripped) line the rules look at, each computed once."""

    __slots__ = ("text", "n_chars", "lower", "unbulleted", "cleaned", "_n_words")

    def __init__(self, text: str):
        self.text = text
        self.n_chars = len(text)
        self.lower = text.lower()
        self.unbulleted = _strip_run(text, LEAD_CHARS, True)
        self.cleaned = _strip_run(self.unbulleted, TRAIL_CHARS, False)
        self._n_words = -1

    @property
    def n_words(self) -> int:
        """Whitespace-separated words of the line (computed on first use)."""
        if self._n_words < 0:  # only the few rules with max_words ask
            self._n_words = len(self.text.split())
        return self._n_words

    @classmethod
    def of(cls, line: str) -> LineView:
        """The view of a line, stripped."""
        return cls(line.strip())

    @classmethod
    def of_parts(cls, parts: tuple[str, int, str, str, str]) -> LineView:
        """The view from its forms computed elsewhere (the compiled `line_view`: text,
        n_chars, lower, unbulleted, cleaned)."""
        view = cls.__new__(cls)
        view.text, view.n_chars, view.lower, view.unbulleted, view.cleaned = parts
        view._n_words = -1
        return view
