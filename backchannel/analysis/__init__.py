"""Views over the store: dyads over time (dyads) and the self-contained HTML report (report)."""
