"""Stage 1, reading: files, archives and streams to RawInput (ingest), decoded and cleaned text with its sections and dates (clean, sections, dates)."""
