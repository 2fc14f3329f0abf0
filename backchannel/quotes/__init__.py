"""Stage 3, quotations: quote marks, cue verbs, the quotes of a parse (extract), their speakers and the outlets they came through (provenance)."""
