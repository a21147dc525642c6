"""Normalizers for durations, sets and fuzzy references ("three years" P3Y, "every Tuesday"
XXXX-WXX-2, "recently" PAST_REF); see normalize/absolute.py for the conventions."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from transforms.temporal.normalize.absolute import Ctx, Reject, Result, number_value


def _unit(c: Ctx, word: str) -> Mapping[str, str]:
    return c.vocab["units"][word.lower()]


# A fractional duration is written with the next smaller unit (TimeML: "2 1/2 years" = P2Y6M).
FRACTION_UNITS = {
    "Y": ("M", 12),
    "M": ("D", 30),
    "W": ("D", 7),
    "D": ("TH", 24),
    "TH": ("M", 60),
    "TM": ("S", 60),
}


def _fractional(n: float, code: str) -> str:
    whole = int(n)
    small, factor = FRACTION_UNITS[code]
    rest = round((n - whole) * factor)
    head = f"{whole}{code.lstrip('T')}" if whole else ""
    if code == "D":  # days then hours: P2DT12H
        return f"P{head}T{rest}H"
    prefix = "PT" if code[0] == "T" else "P"
    return f"{prefix}{head}{rest}{small}"


def duration(g: Mapping[str, str], c: Ctx) -> Result:
    """A DURATION (``three years`` -> ``P3Y``, ``a couple of weeks`` -> ``P2W``, vague -> ``PXY``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    unit = g["unit"].lower()
    code = _unit(c, unit)["dur"]
    if g.get("vague") and "couple" in g["vague"].lower():
        n_text = "2"  # TimeML: "a couple of years" = P2Y
    elif g.get("vague"):
        n_text = "X"
    else:
        n = number_value(c.vocab, g.get("num"))
        if n is None:
            return Reject("no_number")
        if unit == "second" and n == 1:
            return Reject("ordinal_second")
        bare = not (g.get("approx") or g.get("det") or g.get("span"))  # not "less than a week"
        if bare and g["num"].lower() in ("a", "an") and c.checks.is_rate(c.text, c.start):
            return Reject("rate")  # "$1.76 a year", "four flights a week": a rate, not a span
        if g.get("half") or c.text[c.start : c.end].lower().endswith("and a half " + unit):
            n += 0.5
        if n != int(n) and code in FRACTION_UNITS:
            return _fractional(n, code)
        n_text = str(int(n)) if n == int(n) else str(n)
    if code[0] == "T":
        return f"PT{n_text}{code[1:]}"
    if code[:-1].isdigit():  # decades / centuries / weekends as multiples
        if n_text == "X":
            return f"PX{code[-1]}"
        return f"P{int(float(n_text) * int(code[:-1])) if n_text != 'X' else 'X'}{code[-1]}"
    return f"P{n_text}{code}"


def duration_bare(g: Mapping[str, str], c: Ctx) -> Result:
    """A bare plural unit as a vague DURATION (``years`` -> ``PXY``, ``hours`` -> ``PTXH``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    code = _unit(c, g["units"].lower())["dur"]
    return f"PTX{code[1:]}" if code[0] == "T" else f"PX{code[-1]}"


SET_UNITS = {
    "day": "P1D",
    "week": "P1W",
    "month": "P1M",
    "year": "P1Y",
    "quarter": "P1Q",
    "hour": "PT1H",
    "minute": "PT1M",
    "weekend": "P1WE",
    "decade": "P10Y",
}
SET_ADVERBS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "hourly": "PT1H",
    "nightly": "P1D",
}


def set_every(g: Mapping[str, str], c: Ctx) -> Result:
    """A SET (``every Monday`` -> ``XXXX-WXX-1``, ``each month`` -> ``P1M``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    if g.get("weekday"):
        value = f"XXXX-WXX-{c.vocab['weekdays'][g['weekday'].lower()]}"
        if g.get("parts"):
            value += "T" + c.vocab["parts_of_day"][g["parts"].lower().rstrip("s")]
        return value
    if g.get("month"):
        if g["month"][0].islower():
            return Reject("lowercase_month")
        return f"XXXX-{int(c.vocab['months'][g['month'].lower().rstrip('.')]):02d}"
    if g.get("season"):
        return f"XXXX-{c.vocab['seasons'][g['season'].lower()]}"
    if g.get("part"):
        return f"XXXX-XX-XXT{c.vocab['parts_of_day'][g['part'].lower()]}"
    value = SET_UNITS[g["setunit"].lower()]
    if (g.get("other") or "").lower() == "other":
        value = value.replace("1", "2", 1)
    return value


def set_adverb(g: Mapping[str, str], c: Ctx) -> Result:
    """A SET adverb (``daily`` -> ``P1D``, ``annually`` -> ``P1Y``) from SET_ADVERBS.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    return SET_ADVERBS[g["adv"].lower()]


def fuzzy(g: Mapping[str, str], c: Ctx) -> Result:
    """A fuzzy reference (``now`` -> ``PRESENT_REF``, ``recently`` -> ``PAST_REF``); ``now`` in a
    call to action and ``soon`` that is not about the future are rejected.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    word = " ".join(g["fuzzy"].lower().split())
    if word == "now" and c.checks.now_is_call(c.text, c.start, c.end):
        return Reject("call_to_action")
    if word == "soon" and not c.checks.soon_is_future(c.text, c.start, c.end, c.tense()):
        return Reject("soon_relative")  # "soon after", "as soon as", "was soon released"
    return str(c.vocab["fuzzy"][word])


def recent_units(g: Mapping[str, str], c: Ctx) -> Result:
    """``in recent years`` -> ``PAST_REF``, ``in coming months`` -> ``FUTURE_REF``.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    return "PAST_REF" if g["rel"].lower() == "recent" else "FUTURE_REF"


def period_unit(g: Mapping[str, str], c: Ctx) -> Result:
    """One unit as a DURATION: "the year ended March 31" -> P1Y."""
    code = _unit(c, g["unit"])["dur"]
    return f"PT1{code[1:]}" if code[0] == "T" else f"P1{code}"


DUR_NORMALIZERS: dict[str, Callable[[Mapping[str, str], Ctx], Result]] = {
    "duration": duration,
    "duration_bare": duration_bare,
    "set_every": set_every,
    "set_adverb": set_adverb,
    "fuzzy": fuzzy,
    "recent_units": recent_units,
    "period_unit": period_unit,
}
