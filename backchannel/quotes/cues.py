"""The reporting-cue lexicon: which words introduce speech, learned from PolNeAR train plus a curated list.

Ships as ``data/cues.tsv`` (lemmas and counts only, no corpus text); see ``scripts/build_cues.py``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from backchannel.resources.tables import data_table, data_text, words

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Verbs that report speech unambiguously enough to use even when rare in the training data.
_CORE_VERBS = words("core_cue_verbs")
#: Verbs that relay someone else's words: their subject is a channel (``via``), their object the speaker.
RELAY_VERBS = words("relay_verbs")
#: Lemmas too ambiguous to be cues on their own.
_NEVER = words("never_cues")


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    pos: str
    n_cue: int
    ratio: float


@lru_cache(maxsize=1)
def lexicon(min_ratio: float = 0.08, min_count: int = 3) -> dict[tuple[str, str], Cue]:
    """(lemma, POS) → Cue for cues precise enough to use; curated core verbs always included."""
    out: dict[tuple[str, str], Cue] = {}
    for row in data_table("cues.tsv"):
        if len(row) < 5:
            continue
        lemma, pos, n_cue, ratio = row["lemma"], row["pos"], int(row["n_cue"]), float(row["ratio"])
        if lemma in _NEVER:
            continue
        curated = n_cue == 0
        if curated or lemma in _CORE_VERBS or (n_cue >= min_count and ratio >= min_ratio):
            out[(lemma, pos)] = Cue(lemma, pos, n_cue, ratio)
    for lemma in _CORE_VERBS:
        out.setdefault((lemma, "VERB"), Cue(lemma, "VERB", 0, 1.0))
    return out


def is_cue_verb(lemma: str, pos: str) -> bool:
    """A clear speech verb: what may govern words in quotation marks."""
    if pos not in ("VERB", "AUX"):
        return False
    cue = lexicon().get((lemma, "VERB"))
    if cue is None:
        return False
    if lemma in _CORE_VERBS or cue.n_cue == 0:
        return True
    return cue.ratio >= 0.3 and cue.n_cue >= 5


def is_core_verb(lemma: str) -> bool:
    """A verb whose only job is to report speech ("say", "claim"), unlike "show" or "discuss"."""
    return lemma in _CORE_VERBS


def is_cue_noun(lemma: str) -> bool:
    return (lemma, "NOUN") in lexicon()


#: prepositions that introduce what was said ("called for", "warned of", "spoke about")
CONTENT_PREPS = words("content_preps")


def frame(tok: "Token") -> str:
    """The complement frame of a verb, as ``scripts/build_cue_frames.py`` counts it."""
    children = list(tok.children)
    if any(c.dep_ == "ccomp" for c in children):
        return "ccomp"
    if any(c.dep_ == "xcomp" and c.i > tok.i for c in children):
        return "xcomp"
    if any(c.dep_ in ("dobj", "dative") and c.i > tok.i for c in children):
        return "dobj"
    for c in children:
        if c.dep_ == "prep" and c.i > tok.i and c.lower_ in CONTENT_PREPS:
            return f"prep:{c.lower_}"
    return "none"


@lru_cache(maxsize=1)
def frames() -> dict[tuple[str, str], tuple[int, int, float]]:
    """(lemma, frame) → (n_cue, n_total, ratio), learned from PolNeAR train (data/cue_frames.tsv)."""
    out: dict[tuple[str, str], tuple[int, int, float]] = {}
    for row in data_table("cue_frames.tsv"):
        if len(row) >= 5:
            out[(row["lemma"], row["frame"])] = (int(row["n_cue"]), int(row["n_total"]), float(row["ratio"]))
    return out


@dataclass(frozen=True, slots=True)
class CueModel:
    """Logistic regression over a verb candidate's features, trained on PolNeAR train.

    Shipped as ``data/cue_model.json``; retrain with ``scripts/train_cue_model.py``.
    """

    bias: float
    weights: dict[str, float]
    threshold: float

    def probability(self, features: list[str]) -> float:

        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def cue_model() -> CueModel:

    data = json.loads(data_text("cue_model.json"))
    return CueModel(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()}, float(data["threshold"]))
