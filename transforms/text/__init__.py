"""Text units shared by the date and event stages: sentence spans."""
