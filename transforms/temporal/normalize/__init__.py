"""Date normalizers: absolute dates, relative dates and durations, named in the grammar."""
