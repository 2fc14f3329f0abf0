"""Language data apart from code: loaders for the curated tables in backchannel/data (outlets, titles, organisation words)."""
