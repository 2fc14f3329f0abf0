"""One name normaliser: the forms in which every stage compares names.

Why one: the gazetteer, the outlets, cross-document identities, the knowledge base and the
scorers all compare names; if each cleaned them its own way, "Ja’far" would match in one and not
in another. Offsets are never taken from these forms: they are for comparing, not for pointing.
"""

from __future__ import annotations

import re
import unicodedata

#: typographic apostrophes, the modifier letters of transliterations, accents and primes used as
#: apostrophes: all as "'"
APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u02bb`\u00b4\u2032"), "'")
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
#: letters Unicode does not decompose into a base letter and a mark
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "æ": "ae", "Æ": "AE",
                          "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H"})
_ARTICLE = re.compile(r"^the\s+", re.I)


def plain(text: str) -> str:
    """Compatibility characters folded (NFKC), plain apostrophes, one space between words."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).translate(APOSTROPHES)).strip()


def without_accents(text: str) -> str:
    """"Zarif" for "Ẓarīf", "Lokke" for "Løkke": accents dropped, letters kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.translate(_LETTERS)) if not unicodedata.combining(c))


def without_article(text: str) -> str:
    """"United Nations" for "the United Nations"."""
    return _ARTICLE.sub("", text)


def key(text: str) -> str:
    """The form two spellings of one name share: plain, no accents, no leading "the", case-folded."""
    return without_article(without_accents(plain(text))).casefold()


def loose_key(text: str) -> str:
    """The form the knowledge base indexes names by: :func:`without_accents`, case-folded, every run of
    punctuation and space one space ("Recep-Tayyip Erdoğan" and "recep tayyip erdogan" meet)."""
    return _NON_WORD.sub(" ", without_accents(text).casefold()).strip()
