"""One statement, many reports: quotes of the same utterance grouped across documents.

Outlets quote one remark differently ("we will negotiate with the U.S.A. even in the depths of
hell" against "we can hold talks with America even at the bottom of hell"), cut it, or take a
fragment into their own sentence. Grouping runs per speaker (the cross-document identity from
``identities.py``): identical wordings collapse first, so 500 reprints of one wire story cost one
comparison; small blocks compare every pair; large blocks take candidates from MinHash LSH
(datasketch signatures, buckets of bounded size) plus an index of short fragments, so no block
is compared all-pairs. A pair is the same statement when its wordings match (rapidfuzz), one contains the other, or — for
translations and paraphrases — they share most of their content words within a few days.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from datasketch import LeanMinHash, MinHash
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from backchannel.entities.gazetteer import Gazetteer
from backchannel.records import QuoteRef, Statement, Variant
from backchannel.resources.tables import word_list, word_map, words

#: blocks up to this many distinct wordings compare all pairs; larger ones use LSH
ALL_PAIRS_MAX = 30
#: a paraphrase or translation is reported within this many days of the first report
PARAPHRASE_DAYS = 14
#: how similar two wordings must be to be one statement
MATCH_RATIO = 85.0  # rapidfuzz token_set_ratio
OVERLAP_MIN = 0.6  # shared content words over the shorter wording's
OVERLAP_WORDS = 3  # … and at least this many of them
#: a speaker block with more distinct wordings than this is compared in windows of SLICE_SIZE by date
SLICE_ABOVE = 5000
SLICE_SIZE = 2500
#: at most this many candidates per wording from LSH or the fragment index: bounded work per quote
#: keeps a speaker quoted a hundred thousand times linear (identical wordings are already one)
MAX_CANDIDATES = 16
#: LSH bands × rows (of 64 permutations): candidates from Jaccard ~0.35 up
_LSH_BANDS = (21, 3)
#: an LSH bucket remembers this many of its latest wordings
BUCKET_SIZE = 8
#: never a statement of its own: too short to tell apart
MIN_CONTENT_WORDS = 2


# --- normalising wordings --------------------------------------------------------------------

_KEEP = words("negation_words")
_SYNONYMS = word_map("stem_synonyms")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SUFFIXES = word_list("stem_suffixes")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:

    return frozenset(STOP_WORDS) - _KEEP


@lru_cache(maxsize=1)
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Country names news uses, each replaced by its code: "the U.S.A.", "America" and "the US" are one word."""

    g = Gazetteer.default()
    names: dict[str, str] = {}
    for phrase, codes in g.phrases.items():
        code = next((c for c in codes if c.kind == "country" and c.country), None)
        if code is not None and len(phrase) > 1:
            names[phrase] = code.country  # type: ignore[assignment]
    alternatives = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w])")
    return pattern, names


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return _SYNONYMS.get(word, word)


def normalise(text: str) -> str:
    """Lower-case words with quotation marks, brackets and accents gone; countries as codes."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    pattern, names = _country_pattern()

    def code(m: re.Match[str]) -> str:
        found = m.group(0)
        if found.isupper() or found[0].isupper():  # "US" the country, not "us" the pronoun
            return f" {names[found].lower()} "
        return found

    text = pattern.sub(code, text)
    return " ".join(w.lower().replace("’", "'") for w in _WORD.findall(text))


def content_words(norm: str) -> frozenset[str]:
    stop = _stop_words()
    return frozenset(_stem(w) for w in norm.split() if w not in stop and (len(w) > 1 or w.isdigit()))


# --- grouping ---------------------------------------------------------------------------------


class _Sets:
    """Union-find over item numbers."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(slots=True)
class _Wording:
    norm: str
    words: frozenset[str]
    dates: list[date]
    members: list[QuoteRef]


def _day(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def same_statement(a: _Wording, b: _Wording) -> bool:
    """Are two wordings by one speaker reports of one utterance?"""

    small, large = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if len(small.words) < MIN_CONTENT_WORDS:
        return False
    shared = len(a.words & b.words)
    if shared < MIN_CONTENT_WORDS:
        return False  # nothing below can hold: no fragment, wording or paraphrase shares so little
    if small.norm in large.norm:
        return True  # a fragment taken into the writer's sentence, or a cut
    if len(small.words) >= 3 and fuzz.token_set_ratio(a.norm, b.norm) >= MATCH_RATIO:
        return True
    if (shared >= OVERLAP_WORDS or len(small.words) <= 4) and shared / len(small.words) >= OVERLAP_MIN:
        if not a.dates or not b.dates:
            return True
        return min(abs((x - y).days) for x in a.dates for y in b.dates) <= PARAPHRASE_DAYS
    return False


def _candidates(wordings: Sequence[_Wording]) -> Iterable[tuple[int, int]]:
    """Pairs worth comparing: all of them in a small block; LSH and fragment-index hits in a large one."""
    n = len(wordings)
    if n <= ALL_PAIRS_MAX:
        for i in range(n):
            for j in range(i + 1, n):
                yield i, j
        return
    # MinHash LSH with bounded buckets: each wording meets at most BUCKET_SIZE earlier ones per band,
    # ranked by how many bands they share; an unbounded bucket (a much-used phrase) is what makes
    # a plain LSH query grow with everything indexed before it
    bands, rows = _LSH_BANDS
    buckets: list[dict[bytes, deque[int]]] = [{} for _ in range(bands)]
    postings: dict[str, set[int]] = defaultdict(set)
    for i, (w, mh) in enumerate(zip(wordings, _minhashes(wordings))):
        if mh is not None:
            hits: Counter[int] = Counter()
            values = mh.hashvalues
            for band, bucket in enumerate(buckets):
                key = values[band * rows : (band + 1) * rows].tobytes()
                earlier = bucket.get(key)
                if earlier is None:
                    earlier = bucket[key] = deque(maxlen=BUCKET_SIZE)
                else:
                    hits.update(earlier)
                earlier.append(i)
            for j, _ in hits.most_common(MAX_CANDIDATES):
                yield j, i
        for word in w.words:
            postings[word].add(i)
    # short fragments ("not taboo") are inside long quotes whose word sets they barely resemble
    for i, w in enumerate(wordings):
        if MIN_CONTENT_WORDS <= len(w.words) <= 5:
            lists = sorted((postings[x] for x in w.words), key=len)
            if len(lists[0]) > 2000:
                continue  # too common a fragment to be evidence of anything
            found = 0
            for j in lists[0]:
                if j != i and all(j in other for other in lists[1:]):
                    yield min(i, j), max(i, j)
                    found += 1
                    if found >= MAX_CANDIDATES:
                        break


def _minhashes(wordings: Sequence[_Wording]) -> list[Any]:

    sets = [[x.encode("utf-8") for x in w.words] for w in wordings]
    out: list[Any] = [None] * len(sets)
    usable = [i for i, s in enumerate(sets) if s]
    for i, mh in zip(usable, MinHash.bulk([sets[i] for i in usable], num_perm=64)):
        out[i] = LeanMinHash(mh)
    return out


def _time_slices(wordings: Sequence[_Wording]) -> list[list[int]]:
    """A speaker quoted tens of thousands of times is compared in windows of consecutive wordings
    by date, each with the window before it, so a report still meets the ones just before it; LSH
    candidates grow with what is indexed together, bounded windows keep the whole linear. Smaller
    blocks are one window."""
    if len(wordings) <= SLICE_ABOVE:
        return [list(range(len(wordings)))]
    order = sorted(range(len(wordings)), key=lambda k: (min(wordings[k].dates) if wordings[k].dates else date.max, k))
    chunks = [order[i : i + SLICE_SIZE] for i in range(0, len(order), SLICE_SIZE)]
    return [chunk + (chunks[n - 1] if n else []) for n, chunk in enumerate(chunks)]


def group_block(refs: Sequence[QuoteRef]) -> list[tuple[list[QuoteRef], int]]:
    """The statements among one speaker's quotes: each as its quotes and its number of wordings."""
    by_norm: dict[str, _Wording] = {}
    for ref in refs:
        norm = normalise(ref.content)
        w = by_norm.get(norm)
        if w is None:
            w = by_norm[norm] = _Wording(norm, content_words(norm), [], [])
        w.members.append(ref)
        day = _day(ref.date)
        if day is not None and day not in w.dates and len(w.dates) < 8:
            w.dates.append(day)
    wordings = list(by_norm.values())
    sets = _Sets(len(wordings))
    for part in _time_slices(wordings):
        for i, j in _candidates([wordings[k] for k in part]):
            a, b = part[i], part[j]
            if sets.find(a) != sets.find(b) and same_statement(wordings[a], wordings[b]):
                sets.union(a, b)
    groups: dict[int, tuple[list[QuoteRef], list[int]]] = defaultdict(lambda: ([], [0]))
    for i, w in enumerate(wordings):
        members, count = groups[sets.find(i)]
        members.extend(w.members)
        count[0] += 1
    return [(members, count[0]) for members, count in groups.values()]


def _order(ref: QuoteRef) -> tuple[str, str, int]:
    return (ref.date or "9999", ref.article_id, ref.index)


_PUNCT = str.maketrans("", "", "\"'“”‘’.,;:!?()[]—–-…")


def _bare(words: Sequence[str]) -> list[str]:
    """Words as compared: punctuation and case are not a change."""
    return [w.lower().translate(_PUNCT) for w in words]


def word_diff(first: str, other: str) -> tuple[tuple[str, str], ...]:
    """What ``other`` keeps ("="), adds ("+") and drops ("-") of ``first``, word by word."""
    a, b = first.split(), other.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, _bare(a), _bare(b), autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(b[j1:j2])))
        else:
            if i2 > i1:
                out.append(("-", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", " ".join(b[j1:j2])))
    return tuple(out)


def build_statement(members: Sequence[QuoteRef], speaker_id: str | None, speaker: str | None, wordings: int) -> Statement:
    """One utterance from its reports: first report first, each diffed against it."""
    ordered = sorted(members, key=_order)
    first = ordered[0]
    variants = tuple(
        Variant(r.article_id, r.index, r.content, r.kind, r.date, r.reported_by, r.outlet, r.via,
                (("=", r.content),) if r.content == first.content else word_diff(first.content, r.content),
                tuple(dict.fromkeys(o for o, _ in r.reprints if o and o != r.outlet)))
        for r in ordered
    )
    ident = hashlib.sha1(f"{speaker_id}|{first.article_id}|{first.index}".encode()).hexdigest()[:16]
    return Statement(f"st_{ident}", speaker_id, speaker, variants, wordings)


def group_statements(refs: Iterable[QuoteRef], speaker_of: dict[tuple[str, int], tuple[str, str]]) -> list[Statement]:
    """Statements over a corpus: ``speaker_of`` maps a quote's key to its (speaker id, name)
    across documents; quotes without a speaker are grouped by wording alone."""
    blocks: dict[str | None, list[QuoteRef]] = defaultdict(list)
    for ref in refs:
        sid = speaker_of.get(ref.key, (None, None))[0]
        blocks[sid].append(ref)
    out: list[Statement] = []
    for sid, block in blocks.items():
        name = speaker_of.get(block[0].key, (None, None))[1] if sid is not None else None
        out += [build_statement(members, sid, name, wordings) for members, wordings in group_block(block)]
    out.sort(key=lambda s: (-len(s.variants), s.first.date or "9999", s.id))
    return out
