"""The data files under backchannel/data/ and their one loader (resources.tables): each file says what
it is, every word list loads non-empty and in the form its users compare against, and the one
pronoun table gives each user the set it used before."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from backchannel.resources.tables import data_files, data_table, header, pronouns, word_list, word_map, words

_LISTS = [name for name in data_files() if name.startswith("lexicon/") and name.endswith(".txt")]
_MAPS = [name for name in data_files() if name.startswith("lexicon/") and name.endswith(".tsv")]


@pytest.mark.parametrize("name", data_files())
def test_resources_every_data_file_has_a_header(name: str) -> None:
    lines = header(name)
    assert lines, f"data/{name} has no '#' header saying what it is"
    text = " ".join(lines).lower()
    assert any(w in text for w in ("source", " from ", "built by")), f"data/{name}: the header does not say where it came from"


def test_resources_finds_the_word_lists() -> None:
    assert len(_LISTS) >= 30
    assert "lexicon/pronouns.tsv" in _MAPS


@pytest.mark.parametrize("name", _LISTS)
def test_resources_word_list_is_nonempty_trimmed_lower_case_and_unique(name: str) -> None:
    entries = word_list(name.removeprefix("lexicon/").removesuffix(".txt"))
    assert entries, name
    for entry in entries:
        assert entry == entry.strip().lower() and entry, (name, entry)
    assert len(set(entries)) == len(entries), f"{name} lists an entry twice"
    assert words(name.removeprefix("lexicon/").removesuffix(".txt")) == frozenset(entries)


@pytest.mark.parametrize("name", ["stem_synonyms", "office_synonyms"])
def test_resources_word_map_is_nonempty_and_lower_case(name: str) -> None:
    mapping = word_map(name)
    assert mapping
    for key, value in mapping.items():
        assert key == key.strip().lower() and value == value.strip().lower(), (key, value)


def test_resources_data_table_rows_are_keyed_by_the_header() -> None:
    rows = data_table("titles.tsv")
    assert rows and set(rows[0]) == {"title", "kind", "sector"}
    rows[0]["title"] = "changed"
    assert data_table("titles.tsv")[0]["title"] != "changed", "the cache must not hand out its own rows"


def test_resources_order_is_kept_where_it_matters() -> None:
    assert word_list("recipient_preps")[:2] == ("against", "on")
    assert word_list("stem_suffixes")[:2] == ("ations", "ation")


@pytest.mark.parametrize(
    ("kinds", "options", "expected"),
    [
        # quotes/speakers.py
        (("person",), {"reflexive": False}, {"he", "she", "him", "his", "her"}),
        (("first",), {"reflexive": False}, {"i", "me", "my", "we", "us", "our"}),
        (("group",), {"reflexive": False}, {"it", "its", "they", "them", "their"}),
        # quotes/extract.py
        (("person", "group"), {"forms": ("subject",)}, {"he", "she", "they", "it"}),
        # entities/actors.py
        (("first",), {}, {"i", "me", "my", "myself", "we", "us", "our", "ourselves"}),
        (("second",), {}, {"you", "your", "yourself", "yourselves"}),
        (("person",), {}, {"he", "him", "his", "she", "her", "himself", "herself"}),
        (("group",), {}, {"it", "its", "itself", "they", "them", "their", "themselves"}),
        (("relative",), {}, {"who", "which", "that", "whom", "whose"}),
    ],
)
def test_resources_pronouns_give_each_user_its_set(kinds: tuple[str, ...], options: dict, expected: set[str]) -> None:
    assert pronouns(*kinds, **options) == expected


def test_resources_every_data_folder_is_installed() -> None:
    """A data folder missing from pyproject's package-data would be left out of the wheel."""
    root = Path(__file__).resolve().parents[1]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    listed = pyproject["tool"]["setuptools"]["package-data"]["backchannel"]
    folders = {str(Path(name).parent) for name in data_files()} - {"."}
    for folder in folders:
        assert f"data/{folder}/*" in listed, f"data/{folder} is not in [tool.setuptools.package-data]"
