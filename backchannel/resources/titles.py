"""Titles and honorifics (``data/titles.tsv``) and the words that end an organisation's name.

Why here: quotes (is "Minister" a title before a name?), the actor gazetteer (an office's sector)
and cross-document identities (strip "President" from a name) read the same table.
"""

from __future__ import annotations

from functools import lru_cache

from backchannel.resources.tables import data_table, words


@lru_cache(maxsize=1)
def titles() -> dict[str, tuple[str, str]]:
    """Lower-cased title → (kind, sector); kind is 'honorific' or 'office'."""
    out: dict[str, tuple[str, str]] = {}
    for row in data_table("titles.tsv"):
        title = row["title"].lower().rstrip(".")
        out[title] = (row.get("kind", "office"), row.get("sector", ""))
    return out


def is_title_word(word: str) -> bool:
    return word.lower().rstrip(".") in titles()


#: words that end an organisation's name where a person's begins ("… Security Council Saeed
#: Jalili", "Secretary of State John Kerry")
ORGANISATION_WORDS = words("organisation_words")
