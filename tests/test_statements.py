"""Across articles: one statement, many reports; one speaker, many names."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from backchannel import api
from backchannel.cli import cli
from backchannel.crossdoc.identities import name_parts, resolve_people
from backchannel.crossdoc.statements import group_statements, normalise, word_diff
from backchannel.records import QuoteRef


def ref(article: str, index: int, content: str, speaker: str | None, date: str | None = "2013-02-10",
        outlet: str | None = "Reuters", context: str = "", via: tuple[str, ...] = ()) -> QuoteRef:
    return QuoteRef(article, index, content, "direct", speaker, date, outlet, via, speaker, context)


def grouped(refs: list[QuoteRef]) -> list[set[tuple[str, int]]]:
    speaker_of, _ = resolve_people(refs)
    return sorted(({(v.article_id, v.index) for v in s.variants} for s in group_statements(refs, speaker_of)),
                  key=sorted)


def test_seed_003_larijani_variants_are_one_statement(shared: Path, tmp_path: Path) -> None:
    """The issue's target: the NYT (via Mehr) and Guardian wordings of one remark, with the diff."""
    store = tmp_path / "s.duckdb"
    api.read([shared / "seeds" / "003_b51af508a57a262d.txt"], store=store)
    with api.open_store(store) as st:
        hell = [s for s in st.statements(speaker="Larijani", min_variants=2) if any("hell" in v.content for v in s.variants)]
    assert len(hell) == 1
    statement = hell[0]
    assert statement.speaker == "Mohammad Javad Larijani"
    assert {v.outlet for v in statement.variants} == {"The New York Times", "The Guardian"}
    nyt = next(v for v in statement.variants if v.outlet == "The New York Times")
    assert nyt.via == ("The New York Times", "Mehr News Agency")
    other = statement.variants[1]
    changed = " ".join(words for op, words in other.diff if op != "=")
    assert "bottom" in changed and "depths" in changed  # what one outlet has and the other does not


def test_translations_cuts_and_fragments_group_but_distinct_remarks_do_not() -> None:
    refs = [
        ref("a", 0, "We will never negotiate with America under pressure and threats.", "Ali Khamenei", "2013-02-07"),
        ref("b", 0, "we will never negotiate with the United States under pressure", "Ali Khamenei", "2013-02-07", "AP"),
        ref("c", 0, "under pressure and threats", "Ali Khamenei", "2013-02-08", "BBC News"),
        ref("d", 0, "Our nuclear program is peaceful and the West knows it.", "Ali Khamenei", "2013-02-20"),
        ref("e", 0, "Talks are pointless while sanctions remain in force.", "Ali Khamenei", "2013-03-15"),
    ]
    assert grouped(refs) == [{("a", 0), ("b", 0), ("c", 0)}, {("d", 0)}, {("e", 0)}]


def test_wire_copy_reprinted_500_times_is_one_statement_quickly() -> None:
    refs = [ref(f"w{i}", 0, "Iran is ready for serious talks in Almaty.", "Saeed Jalili", outlet=f"Outlet {i}") for i in range(500)]
    started = time.perf_counter()
    groups = grouped(refs)
    assert len(groups) == 1 and len(groups[0]) == 500
    assert time.perf_counter() - started < 30  # a hang guard; benchmarks/statements_scaling.py measures


def test_one_speaker_under_several_names_namesakes_apart() -> None:
    refs = [
        ref("a", 0, "one", "Mohammad Javad Larijani", context="Mohammad Javad Larijani, head of the human rights council"),
        ref("b", 0, "two", "M.J. Larijani", context="M.J. Larijani said"),
        ref("c", 0, "three", "Sadeq Larijani", context="the head of the Judiciary, Sadeq Larijani"),
        ref("d", 0, "four", "Larijani", context="Larijani, who heads the human rights council, said"),
        ref("e", 0, "five", "Ali Larijani", context="Parliament Speaker Ali Larijani"),
        ref("f", 0, "six", "Larijani", context="the parliament speaker Larijani told lawmakers"),
    ]
    speaker_of, people = resolve_people(refs)
    who = {r.article_id: speaker_of[r.key][1] for r in refs}
    assert who["a"] == who["b"] == who["d"] == "Mohammad Javad Larijani"
    assert who["c"] == "Sadeq Larijani"
    assert who["e"] == who["f"] == "Ali Larijani"
    assert len({p.id for p in people}) == 3


def test_a_bare_surname_nothing_decides_stays_apart_and_marked() -> None:
    refs = [ref("a", 0, "one", "Sadeq Larijani"), ref("b", 0, "two", "Ali Larijani"), ref("c", 0, "three", "Larijani")]
    speaker_of, people = resolve_people(refs)
    ghost = next(p for p in people if p.id == speaker_of[("c", 0)][0])
    assert ghost.ambiguous and ghost.name == "Larijani"


@pytest.mark.parametrize("name", ["X", "A.", "", "—", "Dr.", "Ali"])
def test_odd_speaker_names_do_not_break_linking(name: str) -> None:
    refs = [ref("a", 0, "We are ready to talk.", name or None, date=None), ref("b", 0, "We are ready to talk.", name or None, date=None)]
    assert len(grouped(refs)) == 1
    assert isinstance(name_parts(name), list)


def test_normalise_and_diff() -> None:
    assert normalise("talks with the U.S.A.") == "talks with the usa"
    assert normalise("talks with America") == "talks with usa"
    assert "us" in normalise("give us peace").split()  # the pronoun is not the country
    assert word_diff("we will talk", "we can talk") == (("=", "we"), ("-", "will"), ("+", "can"), ("=", "talk"))


def test_link_is_idempotent_and_the_cli_lists_statements_and_speakers(tmp_path: Path, examples: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    api.read([examples], store=store)
    with api.open_store(store) as st:
        before = (st.count("statements"), st.count("statement_variants"), st.count("speakers"))
        assert before[1] == st.con.execute("SELECT count(*) FROM quotes WHERE section_kind = 'body'").fetchone()[0]
    api.link(store)
    api.read([examples], store=store)  # nothing new: links unchanged
    with api.open_store(store) as st:
        assert (st.count("statements"), st.count("statement_variants"), st.count("speakers")) == before
    runner = CliRunner()
    out = runner.invoke(cli, ["statements", "--store", store, "--speaker", "Larijani"])
    assert out.exit_code == 0 and "The Guardian" in out.output
    out = runner.invoke(cli, ["statements", "--store", store, "--jsonl"])
    assert out.exit_code == 0 and '"variants"' in out.output
    out = runner.invoke(cli, ["who", "Larijani", "--store", store])
    assert out.exit_code == 0 and "Sadeq Larijani" in out.output and "Mohammad Javad Larijani" in out.output


def test_a_much_quoted_speaker_goes_through_lsh_and_date_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ALL_PAIRS_MAX wordings candidates come from MinHash LSH and the fragment index, past
    SLICE_ABOVE in date windows: cut and reworded reports still meet their first report, and
    distinct remarks stay apart."""
    import random

    from backchannel.crossdoc import statements

    monkeypatch.setattr(statements, "SLICE_ABOVE", 60)
    monkeypatch.setattr(statements, "SLICE_SIZE", 25)
    rng = random.Random(5)
    words = [f"{a}{b}{c}" for a in "bdfgklmnprst" for b in "aeiou" for c in "nrstlm"]
    refs, expected = [], []
    for n in range(120):
        day = f"2013-{1 + n // 12:02d}-{1 + n % 12:02d}"
        text = " ".join(rng.sample(words, 12))
        group = {(f"a{n}", 0)}
        refs.append(ref(f"a{n}", 0, text, "Ali Khamenei", day))
        if n % 3 == 0:  # a later report that cuts the remark
            refs.append(ref(f"b{n}", 0, " ".join(text.split()[:8]), "Ali Khamenei", day, "AP"))
            group.add((f"b{n}", 0))
        if n % 5 == 0:  # a fragment in the writer's own sentence
            refs.append(ref(f"c{n}", 0, " ".join(text.split()[3:6]), "Ali Khamenei", day, "BBC News"))
            group.add((f"c{n}", 0))
        expected.append(group)
    assert grouped(refs) == sorted(expected, key=sorted)


def test_an_office_before_the_name_is_not_part_of_it() -> None:
    refs = [ref("a", 0, "one", "Judiciary Chief Ayatollah Sadeq Amoli Larijani"), ref("b", 0, "two", "Sadeq Larijani"),
            ref("c", 0, "three", "Sadeq Larijani"), ref("d", 0, "four", "Parliament Speaker Ali Larijani")]
    speaker_of, people = resolve_people(refs)
    assert speaker_of[("a", 0)] == speaker_of[("b", 0)] == speaker_of[("c", 0)]
    assert speaker_of[("a", 0)][1] == "Sadeq Larijani"  # the name the texts use most
    assert speaker_of[("d", 0)][1] == "Ali Larijani" and len(people) == 2


def test_a_gazetteer_alias_is_kept_as_the_persons_alias() -> None:
    refs = [ref("a", 0, "one", "Amoli Larijani", date="2013-02-10"), ref("b", 0, "two", "Sadeq Larijani")]
    speaker_of, people = resolve_people(refs)
    assert speaker_of[("a", 0)] == speaker_of[("b", 0)]
    (person,) = people
    assert set(person.aliases) == {"Amoli Larijani", "Sadeq Larijani"} and person.name == "Sadeq Larijani"


def test_descriptions_are_resolved_within_their_document() -> None:
    """"the Leader" in a piece about Iran is its supreme leader; "The Majlis speaker" is Iran's;
    "Iran's state broadcaster" the one person the article names with "broadcaster" by them;
    "a senior official" stays as written (it could be anyone the article names)."""
    refs = [ref("a", 0, "one", "Ali Khamenei", date="2013-02-08"),
            QuoteRef("a", 1, "two", "direct", "the Leader", "2013-02-08", "Press TV", context="in Tehran, Iran"),
            ref("b", 0, "three", "The Majlis speaker", date="2013-02-10"), ref("b", 1, "four", "Ali Larijani"),
            ref("c", 0, "five", "Iran's state broadcaster", date="2013-02-07"),
            QuoteRef("c", 1, "six", "direct", "Ezzatollah Zarghami", "2013-02-07", "AJ", context="the head of the state broadcaster, Ezzatollah Zarghami"),
            ref("c", 2, "seven", "a senior official", date="2013-02-07"),
            ref("d", 0, "eight", "Supreme National Security Council Saeed Jalili"), ref("e", 0, "nine", "Saeed Jalili")]
    speaker_of, _ = resolve_people(refs)
    assert speaker_of[("a", 1)] == speaker_of[("a", 0)]
    assert speaker_of[("b", 0)] == speaker_of[("b", 1)]
    assert speaker_of[("c", 0)] == speaker_of[("c", 1)]
    assert speaker_of[("c", 2)][1] == "a senior official"
    assert speaker_of[("d", 0)] == speaker_of[("e", 0)] and speaker_of[("d", 0)][1] == "Saeed Jalili"
