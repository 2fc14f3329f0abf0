"""Across documents: one person per speaker (identities) and one statement per utterance however often reported (statements)."""
