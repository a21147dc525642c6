"""The normalizers named by the date grammar's ``norm:`` (groups, context -> TIMEX3 value or
Reject): `absolute` (dates with a year or month; Ctx, Reject), `relative` (against the anchor),
`durations` (durations, sets, fuzzy references)."""
