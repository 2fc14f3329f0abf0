"""One loader for the package's data files in ``backchannel/data/``, so every table is read the same way.

Each file opens with ``#`` lines saying what it is, which code uses it and where it came from; the
loader skips them, and blank lines. Two kinds of file:

- a table (``.tsv``): a header row naming the columns, then one row per entry; cells are trimmed.
- a word list (``lexicon/<name>.txt``): one entry per line, trimmed, in the order written.

Other files (the cue model's JSON) are read whole with ``data_text``.

Files are package data, fixed at install time, so each is read once and cached.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

_LEXICON = "lexicon"


def data_text(name: str) -> str:
    """The text of ``data/<name>`` as shipped (for the files that are not tables, such as ``cue_model.json``)."""
    return resources.files("backchannel").joinpath(f"data/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _lines(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(header lines, data lines) of ``data/<name>``: the ``#`` lines apart, blank lines dropped."""
    lines = [line for line in data_text(name).splitlines() if line.strip()]
    return tuple(line for line in lines if line.startswith("#")), tuple(line for line in lines if not line.startswith("#"))


def header(name: str) -> tuple[str, ...]:
    """The ``#`` lines of ``data/<name>``: what the file is and where it came from."""
    return _lines(name)[0]


@lru_cache(maxsize=None)
def _table(name: str) -> tuple[dict[str, str], ...]:
    rows = list(csv.reader(_lines(name)[1], delimiter="\t", quoting=csv.QUOTE_NONE))
    columns = [h.strip() for h in rows[0]]
    return tuple(dict(zip(columns, (c.strip() for c in r))) for r in rows[1:] if any(c.strip() for c in r))


def data_table(name: str) -> list[dict[str, str]]:
    """A package-data TSV (``data/<name>``) as one dict per row, keyed by the header row's names.

    A row shorter than the header lacks the missing columns' keys.
    """
    return [dict(row) for row in _table(name)]


@lru_cache(maxsize=None)
def word_list(name: str) -> tuple[str, ...]:
    """The entries of ``data/lexicon/<name>.txt`` in file order (for lists searched in order)."""
    return tuple(line.strip() for line in _lines(f"{_LEXICON}/{name}.txt")[1])


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """The entries of ``data/lexicon/<name>.txt`` as a set."""
    return frozenset(word_list(name))


def word_map(name: str) -> dict[str, str]:
    """``data/lexicon/<name>.tsv`` as a mapping from its first column to its second."""
    out: dict[str, str] = {}
    for row in _table(f"{_LEXICON}/{name}.tsv"):
        key, value = list(row.values())[:2]
        out[key] = value
    return out


def pronouns(*kinds: str, reflexive: bool = True, forms: tuple[str, ...] = ()) -> frozenset[str]:
    """English pronouns of the given kinds from ``data/lexicon/pronouns.tsv``.

    Args:
        kinds: any of the table's ``kind`` values (first, second, person, group, relative).
        reflexive: include the reflexive forms ("himself", "themselves").
        forms: if given, only pronouns with one of these forms (subject, object, possessive).
    """
    out = set()
    for row in _table(f"{_LEXICON}/pronouns.tsv"):
        row_forms = row["form"].split("|")
        if row["kind"] not in kinds or (not reflexive and "reflexive" in row_forms):
            continue
        if forms and not set(forms) & set(row_forms):
            continue
        out.add(row["pronoun"])
    return frozenset(out)


def data_files() -> list[str]:
    """Every data file's name under ``data/`` (for the tests that check each has a header)."""
    root = resources.files("backchannel").joinpath("data")
    out = []
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for item in folder.iterdir():
            if item.is_dir():
                if item.name != "__pycache__":
                    stack.append((item, f"{prefix}{item.name}/"))
            elif item.name.endswith((".tsv", ".txt")):
                out.append(f"{prefix}{item.name}")
    return sorted(out)
