"""Stage 2, boilerplate: split each document into header, body and footer, with reasons."""
