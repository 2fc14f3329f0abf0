"""Scorers against gold data: quotes, events and cross-document statements."""
