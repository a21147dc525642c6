"""Regex analysis shared by the fast dispatchers: `firsts` (what a pattern can start with: the
only reader of regex parse trees) and `literals` (literal unions as tries, FirstCharDispatch,
AnyOf)."""
