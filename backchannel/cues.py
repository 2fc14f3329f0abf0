"""The reporting-cue lexicon: which words introduce speech, learned from PolNeAR train plus a curated list.

Ships as ``data/cues.tsv`` (lemmas and counts only, no corpus text); see ``scripts/build_cues.py``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: Verbs that report speech unambiguously enough to use even when rare in the training data.
_CORE_VERBS = frozenset(
    "say tell add warn insist deny claim argue note write state declare announce explain acknowledge admit "
    "affirm assert caution concede confirm contend emphasize emphasise stress suggest maintain reiterate remark "
    "reply respond retort threaten vow pledge promise urge demand describe complain predict report quote recall "
    "concur advise wonder tweet ask charge allege testify observe comment accuse counter sum".split()
)
#: Verbs that relay someone else's words: their subject is a channel (``via``), their object the speaker.
RELAY_VERBS = frozenset({"quote", "cite", "attribute", "report", "translate", "relay"})
#: Lemmas too ambiguous to be cues on their own.
_NEVER = frozenset({"be", "have", "do", "make", "get", "go", "take", "give", "see", "come", "know", "read"})


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
    text = resources.files("backchannel").joinpath("data/cues.tsv").read_text(encoding="utf-8")
    rows = csv.reader((line for line in text.splitlines() if line and not line.startswith("#")), delimiter="\t")
    for row in rows:
        if len(row) < 5 or row[0] == "lemma":
            continue
        lemma, pos, n_cue, _n_total, ratio = row[0], row[1], int(row[2]), int(row[3]), float(row[4])
        if lemma in _NEVER:
            continue
        curated = n_cue == 0
        if curated or lemma in _CORE_VERBS or (n_cue >= min_count and ratio >= min_ratio):
            out[(lemma, pos)] = Cue(lemma, pos, n_cue, ratio)
    for lemma in _CORE_VERBS:
        out.setdefault((lemma, "VERB"), Cue(lemma, "VERB", 0, 1.0))
    return out


def is_cue_verb(lemma: str, pos: str, *, strict: bool = False) -> bool:
    """A verb that reports speech or thought; ``strict`` keeps only clear speech verbs (for quotes)."""
    if pos not in ("VERB", "AUX"):
        return False
    cue = lexicon().get((lemma, "VERB"))
    if cue is None:
        return False
    if lemma in _CORE_VERBS or cue.n_cue == 0:
        return True
    if strict:
        return cue.ratio >= 0.3 and cue.n_cue >= 5
    return cue.ratio >= 0.2 and cue.n_cue >= 5


def is_cue_noun(lemma: str) -> bool:
    return (lemma, "NOUN") in lexicon()
