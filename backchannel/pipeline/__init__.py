"""One document's records from its parse (document), and the same stages as spaCy components (components)."""
