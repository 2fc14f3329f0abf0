"""Stage 2, parsing: the spaCy pipeline (parse), the sentence breaks it misses (breaks) and helpers over a parsed Doc (doc)."""
