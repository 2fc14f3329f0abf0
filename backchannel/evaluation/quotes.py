"""Score predicted quotes against gold annotations the way the Gender Gap Tracker (GGT) does.

Why this metric: quote boundaries are fuzzy (is the full stop in? the opening clause?), so
exact span match would punish harmless disagreements. GGT counts a gold quote as *found*
when one not-yet-used predicted quote covers more than 30% (strict: 80%) of its
characters::

    coverage = |union(predicted chars) ∩ gold chars| / |gold chars|

Matching is greedy and one-to-one: required gold items are visited in text order, and each
takes the unused prediction with the highest coverage above the threshold (ties: the
prediction with fewer characters outside the gold item, then the earlier one). Precision
is matched predictions / predictions; recall is found gold / gold; F1 their harmonic mean.
Each threshold is a separate matching run. Counts are summed over documents (micro
average); a ratio whose denominator is 0 is ``None``.

Optional gold items (seed format, ``optional: true``) are neither rewarded nor punished:
they are matched *after* the required items, only against the predictions those left
unused; a prediction matching one is removed from the prediction count, and optional
items are never counted in recall. Matching them last means a debatable item can never
take a prediction away from a required one.

The two gold formats annotate different units, so the unit of counting differs:

* **seed format** (``/work/shared/gold/seeds.quotes.jsonl``; lines have ``file`` and
  ``body_end``): the gold unit is one quotation, its chars the ``content_span``; items
  sharing a non-null ``part_of`` (two halves of a split quote) are merged into ONE gold
  item whose chars are the union of the halves. The prediction unit is one predicted
  :class:`~backchannel.records.Quote`, its chars the union of its ``content_spans``.
  Gold kinds are direct, mixed, block and comment (a quotation inside a reader comment).
* **PolNeAR format** (lines have ``text`` and quotes with ``content_fragments``): the gold
  unit is one attribution, its chars the union of its ``content_fragments`` (the
  reported content, quotation marks included, not just the quoted words). The prediction
  unit is the set of predicted quotes sharing one ``clause_span`` (a clause with several
  quoted fragments yields several mixed-quote records but is one attribution), its chars
  the ``clause_span`` range. Gold kinds are direct, mixed and indirect.

Kind breakdowns: recall per gold kind; for the ``direct+mixed`` group, a matched
prediction belongs to the kind of the gold item it matched, an unmatched one to its own
predicted kind (``block`` counts as direct; a seed-format prediction in a reader comment
counts as ``comment``; a PolNeAR group takes the strongest kind among its quotes:
direct/block > mixed > indirect). Predictions matched to optional items count nowhere.

Attribution checks (all on the pairs matched at 0.3, optional items excluded):

* ``speaker_span_match`` (PolNeAR): the predicted ``speaker_mention_span`` overlaps the gold
  ``speaker_span``; gold without a source (``no_source``) or without a span is skipped.
* ``name_accuracy`` (seed): the predicted ``speaker`` equals the gold canonical name under
  :func:`name_matches`; gold items with a null speaker are skipped.
* ``via_accuracy`` (seed): the predicted ``via`` chain equals the gold one element by element
  (order matters) under :func:`name_matches`; only gold items with a non-empty ``via``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backchannel.errors import RecordError
from backchannel.records import Quote, Span
from backchannel.resources.names import plain, without_accents
from backchannel.resources.tables import data_table, word_list, words

logger = logging.getLogger(__name__)

#: Loose and strict coverage thresholds; keys of the result are their ``str``.
THRESHOLDS: tuple[float, ...] = (0.3, 0.8)
#: Every gold kind reported in ``by_kind``, in display order.
KINDS: tuple[str, ...] = ("direct", "mixed", "block", "indirect", "comment")
#: The combined group with precision, recall and F1.
DIRECT_MIXED = "direct+mixed"
_GROUP = frozenset({"direct", "mixed"})

Chars = tuple[Span, ...]


# --------------------------------------------------------------------------- spans


def _merge(spans: Iterable[Sequence[int]]) -> Chars:
    """Sorted, non-overlapping, non-empty intervals: the character set as ranges."""
    ordered = sorted((int(s), int(e)) for s, e in spans if int(e) > int(s))
    merged: list[list[int]] = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def _size(chars: Chars) -> int:
    return sum(e - s for s, e in chars)


def _overlap(a: Chars, b: Chars) -> int:
    """Characters in both interval sets (two-pointer walk; both are sorted and disjoint)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def coverage(pred_chars: Iterable[Sequence[int]], gold_chars: Iterable[Sequence[int]]) -> float:
    """Share of the gold characters that the predicted spans cover (0.0 for empty gold)."""
    gold = _merge(gold_chars)
    size = _size(gold)
    return _overlap(_merge(pred_chars), gold) / size if size else 0.0


def _spans_overlap(a: Sequence[int] | None, b: Sequence[int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


# --------------------------------------------------------------------------- names

#: Honorifics and titles stripped from the start of a name (longest phrase first), from
#: data/lexicon/scorer_titles.txt: kept apart from the extractor's data/titles.tsv on purpose.
_TITLES: tuple[tuple[str, ...], ...] = tuple(
    sorted((tuple(t.split()) for t in word_list("scorer_titles")), key=len, reverse=True)
)
_SUFFIXES = words("name_suffixes")
_DASHES = re.compile(r"[-\u2010-\u2015\u2212]")
_POSSESSIVE = re.compile(r"'s\b|(?<=s)'(?=\s|$)")
_NON_WORD = re.compile(r"[^\w\s']")


def _phrase(text: str) -> tuple[str, ...]:
    """A country's name or demonym as the tokens :func:`_tokens` compares ("U.S." → ("us",))."""
    text = without_accents(plain(text))
    text = _POSSESSIVE.sub("", text.casefold().replace(".", ""))
    return tuple(t.strip("'") for t in _NON_WORD.sub(" ", _DASHES.sub(" ", text)).split() if t.strip("'"))


#: Leading phrase (tuple of tokens) → one canonical country token, to equate "Iran's Intelligence
#: Ministry" with "Iranian Intelligence Ministry": every name and demonym of a country in the actor
#: gazetteer's country table (data/actors/countries.tsv), the token being its first, plain name.
_COUNTRY_PHRASES: dict[tuple[str, ...], str] = {}
for _row in data_table("actors/countries.tsv"):
    _names = [n for n in _row.get("aliases", "").split("|") if n.strip()]
    for _name in [*_names, *_row.get("demonyms", "").split("|")]:
        if _phrase(_name):
            _COUNTRY_PHRASES.setdefault(_phrase(_name), "_".join(_phrase(_names[0])))
#: the scorer's own extra: "Persian" for Iran, which the gazetteer leaves out on purpose
_COUNTRY_PHRASES.setdefault(("persian",), "iran")
_COUNTRY_MAX = max(len(p) for p in _COUNTRY_PHRASES)


def _tokens(name: str) -> tuple[str, ...]:
    """Name → comparable tokens; see :func:`normalize_name`."""
    tokens = list(_phrase(name))  # "U.S." → "us", "Mr." → "mr"
    stripped = True
    while stripped:  # titles can stack: "Former President Dr. X"
        stripped = False
        for title in _TITLES:
            n = len(title)
            if len(tokens) > n and tuple(tokens[:n]) == title:
                tokens = tokens[n:]
                stripped = True
                break
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    for n in range(min(_COUNTRY_MAX, len(tokens) - 1), 0, -1):  # keep a bare country as is
        country = _COUNTRY_PHRASES.get(tuple(tokens[:n]))
        if country is not None:
            tokens = [country, *tokens[n:]]
            break
    return tuple(tokens)


def normalize_name(name: str) -> str:
    """Canonical comparable form of a speaker, organisation or outlet name.

    Case-folded, accents and apostrophe variants unified, possessive "'s" removed, leading
    "The" and honorifics/titles removed, and a leading country or demonym replaced by the
    country ("Iran's Intelligence Ministry" and "Iranian Intelligence Ministry" both give
    "iran intelligence ministry").
    """
    return " ".join(_tokens(name))


def name_matches(pred: str | None, gold: str | None, other_gold_names: Iterable[str] = ()) -> bool:
    """Whether a predicted name denotes the gold one, tolerating a missing first name.

    Equal after :func:`normalize_name`, or the prediction is a trailing part of the gold
    name ("Ahmadinejad" for "Mahmoud Ahmadinejad") that no *other* gold name of the same
    document also ends with: "Larijani" is ambiguous when both Sadeq and Mohammad Javad
    Larijani are speakers, so it matches neither.
    """
    if not pred or not gold:
        return False
    p, g = _tokens(pred), _tokens(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    if len(p) >= len(g) or g[-len(p):] != p:
        return False
    for other in other_gold_names:
        o = _tokens(other) if other else ()
        if o and o != g and len(o) >= len(p) and o[-len(p):] == p:
            return False
    return True


# --------------------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class _Gold:
    """One gold unit: a (merged) seed quotation or a PolNeAR attribution."""

    chars: Chars
    kind: str
    optional: bool
    speaker: str | None = None
    via: tuple[str, ...] = ()
    speaker_span: Span | None = None

    @property
    def start(self) -> int:
        return self.chars[0][0] if self.chars else 0


@dataclass(frozen=True, slots=True)
class _Pred:
    """One prediction unit: a Quote (seed) or the Quotes sharing a clause (PolNeAR)."""

    chars: Chars
    kind: str
    quotes: tuple[Quote, ...]

    @property
    def start(self) -> int:
        return self.chars[0][0] if self.chars else 0


def detect_format(doc: Mapping[str, Any]) -> str:
    """``"polnear"``, ``"ggt"`` or ``"seed"`` for one gold line; ValueError for anything else.

    GGT lines carry the text and quotes with a ``content_span`` and a resolved ``speaker``; a GGT
    article without quotes reads as PolNeAR, which scores it the same (no gold, predictions count)."""
    quotes = doc.get("quotes")
    if "text" in doc and isinstance(quotes, list) and quotes and all(_is_ggt_quote(q) for q in quotes):
        return "ggt"
    if "text" in doc and isinstance(quotes, list) and all("content_fragments" in q for q in quotes):
        return "polnear"
    if "file" in doc and "body_end" in doc:
        return "seed"
    raise ValueError(
        f"gold document {doc.get('id')!r} is neither seed-gold format (needs 'file' and "
        f"'body_end') nor PolNeAR format (needs 'text' and quotes with 'content_fragments'); "
        f"found keys {sorted(doc)}"
    )


def _is_ggt_quote(q: Mapping[str, Any]) -> bool:
    """A GGT quote: one content span and a speaker field, no PolNeAR fragments."""
    return isinstance(q, Mapping) and "content_span" in q and "speaker" in q and "content_fragments" not in q


def _ggt_gold(doc: Mapping[str, Any]) -> list[_Gold]:
    """GGT quotes: chars are the content span; the speaker is the annotators' resolved name."""
    items = []
    for q in doc.get("quotes", []):
        span = q.get("speaker_span")
        items.append(_Gold(chars=_merge([q["content_span"]]), kind=q.get("type") or "indirect", optional=False,
                           speaker=q.get("speaker"), speaker_span=(int(span[0]), int(span[1])) if span else None))
    return items


def _seed_gold(doc: Mapping[str, Any]) -> list[_Gold]:
    """Seed quotations, split-quote halves (shared ``part_of``) merged into one item."""
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for i, q in enumerate(doc.get("quotes", [])):
        key = ("part", q["part_of"]) if q.get("part_of") is not None else ("one", i)
        groups.setdefault(key, []).append(q)
    items = []
    for parts in groups.values():
        parts.sort(key=lambda q: tuple(q["content_span"]))
        speaker = next((q.get("speaker") for q in parts if q.get("speaker")), None)
        via = next((tuple(q["via"]) for q in parts if q.get("via")), ())
        items.append(
            _Gold(
                chars=_merge(q["content_span"] for q in parts),
                kind=parts[0].get("kind", "direct"),
                optional=all(bool(q.get("optional")) for q in parts),
                speaker=speaker,
                via=via,
            )
        )
    return items


def _polnear_gold(doc: Mapping[str, Any]) -> list[_Gold]:
    """PolNeAR attributions: chars are the content fragments."""
    items = []
    for q in doc.get("quotes", []):
        span = q.get("speaker_span")
        has_source = not q.get("no_source") and span is not None
        items.append(
            _Gold(
                chars=_merge(q.get("content_fragments") or [q["content_span"]]),
                kind=q.get("type", "indirect"),
                optional=bool(q.get("optional")),
                speaker=q.get("speaker"),
                speaker_span=(int(span[0]), int(span[1])) if has_source else None,
            )
        )
    return items


def _own_kind(quote: Quote) -> str:
    """A prediction's kind for the kind groups: block counts as direct, comments apart."""
    if quote.section_kind == "comment":
        return "comment"
    return "direct" if quote.kind == "block" else quote.kind


def _seed_preds(quotes: Sequence[Quote]) -> list[_Pred]:
    """One unit per Quote; its chars are the content spans (the clause if it has none)."""
    return [
        _Pred(chars=_merge(q.content_spans or (q.clause_span,)), kind=_own_kind(q), quotes=(q,))
        for q in quotes
    ]


_STRENGTH = {"direct": 0, "block": 0, "mixed": 1, "indirect": 2}


def _polnear_preds(quotes: Sequence[Quote]) -> list[_Pred]:
    """One unit per distinct ``clause_span``; a clause's kind is its strongest quote's."""
    groups: dict[Span, list[Quote]] = {}
    for q in quotes:
        groups.setdefault((int(q.clause_span[0]), int(q.clause_span[1])), []).append(q)
    units = []
    for clause, members in groups.items():
        kind = min((q.kind for q in members), key=lambda k: _STRENGTH.get(k, 3))
        units.append(
            _Pred(chars=_merge([clause]), kind="direct" if kind == "block" else kind, quotes=tuple(members))
        )
    return units


# --------------------------------------------------------------------------- matching


def _match(golds: Sequence[_Gold], preds: Sequence[_Pred], threshold: float) -> tuple[dict[int, int], set[int]]:
    """Greedy one-to-one matching: {gold index: pred index} and preds taken by optional gold."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    ignored: set[int] = set()
    order = sorted(range(len(golds)), key=lambda i: (golds[i].optional, golds[i].start, _size(golds[i].chars)))
    for gi in order:
        gold = golds[gi]
        size = _size(gold.chars)
        if not size:
            continue
        best: tuple[float, int, int, int] | None = None  # (-coverage, chars outside, start, index)
        for pi, pred in enumerate(preds):
            if pi in used:
                continue
            inside = _overlap(pred.chars, gold.chars)
            if inside / size <= threshold:
                continue
            rank = (-inside / size, _size(pred.chars) - inside, pred.start, pi)
            if best is None or rank < best:
                best = rank
        if best is None:
            continue
        used.add(best[3])
        if gold.optional:
            ignored.add(best[3])
        else:
            pairs[gi] = best[3]
    return pairs, ignored


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _prf(matched: int, n_pred: int, n_gold: int) -> dict[str, float | None]:
    p, r = _ratio(matched, n_pred), _ratio(matched, n_gold)
    if p is None or r is None:
        f1 = None
    else:
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1}


def read_gold_lines(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line of a gold JSONL file; blank lines skipped, a bad line is E106."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RecordError("E106", path=str(path), line=number, detail=exc.msg) from exc
            if not isinstance(doc, dict):
                raise RecordError("E106", path=str(path), line=number, detail="not a JSON object")
            yield number, doc


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Parse a gold JSONL file (either format; blank lines skipped), checking each line's format."""
    path = Path(path)
    docs: list[dict[str, Any]] = []
    for number, doc in read_gold_lines(path):
        try:
            detect_format(doc)
        except ValueError as exc:
            raise ValueError(f"{path}: line {number}: {exc}") from exc
        docs.append(doc)
    logger.debug("loaded %d gold documents from %s", len(docs), path)
    return docs


def score_quotes(
    gold_docs: Sequence[Mapping[str, Any]],
    predictions: Mapping[str, Sequence[Quote]],
    *,
    doc_key: str | Callable[[Mapping[str, Any]], str] = "id",
) -> dict[str, Any]:
    """GGT scores of ``predictions`` (keyed like the gold documents) against ``gold_docs``.

    ``doc_key`` names the gold field (or gives a function) whose value keys ``predictions``;
    a gold document without predictions is scored as predicting nothing.
    """
    tally = _QuoteTally([str(t) for t in THRESHOLDS])
    formats: set[str] = set()
    missing = 0
    seen: set[str] = set()

    for doc in gold_docs:
        fmt = detect_format(doc)
        formats.add(fmt)
        key = doc_key(doc) if callable(doc_key) else str(doc[doc_key])
        seen.add(key)
        if key not in predictions:
            missing += 1
            logger.debug("no predictions for gold document %s", key)
        quotes = list(predictions.get(key, ()))
        golds = {"polnear": _polnear_gold, "ggt": _ggt_gold}.get(fmt, _seed_gold)(doc)
        preds = _polnear_preds(quotes) if fmt == "polnear" else _seed_preds(quotes)
        tally.add_document(fmt, golds, preds)

    unknown = set(predictions) - seen
    if unknown:
        logger.warning("%d prediction keys match no gold document, e.g. %s", len(unknown), sorted(unknown)[:3])
    return tally.scores(len(gold_docs), formats, missing)


class _QuoteTally:
    """``score_quotes``' running counts, so that its steps (one document, one threshold's
    matches, the attribution of the matched pairs, the final scores) are named: counts of gold,
    predicted and matched quotes per threshold, per kind, for direct+mixed, and for speakers."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.n_gold = self.n_optional = self.n_pred = 0
        self.matched = dict.fromkeys(keys, 0)
        self.ignored = dict.fromkeys(keys, 0)
        self.kind_gold = dict.fromkeys(KINDS, 0)
        self.kind_found = {k: dict.fromkeys(KINDS, 0) for k in keys}
        self.group_gold = 0
        self.group_pred = dict.fromkeys(keys, 0)
        self.group_matched = dict.fromkeys(keys, 0)
        self.speaker_hits = self.speaker_pairs = self.name_hits = self.name_pairs = self.via_hits = self.via_pairs = 0

    def add_document(self, fmt: str, golds: list[_Gold], preds: list[_Pred]) -> None:
        """One gold document and its predictions: counts, matches at every threshold, and the
        attribution of the pairs matched at the lowest."""
        required = [g for g in golds if not g.optional]
        self.n_gold += len(required)
        self.n_optional += len(golds) - len(required)
        self.n_pred += len(preds)
        for g in required:
            self.kind_gold[g.kind] = self.kind_gold.get(g.kind, 0) + 1
        self.group_gold += sum(g.kind in _GROUP for g in required)
        names = [g.speaker for g in golds if g.speaker]
        chain_names = names + [v for g in golds for v in g.via]

        for tkey, threshold in zip(self.keys, THRESHOLDS):
            pairs, taken = _match(golds, preds, threshold)
            self.add_matches(tkey, golds, preds, pairs, taken)
            if threshold != THRESHOLDS[0]:
                continue
            self.add_attribution(fmt, golds, preds, pairs, names, chain_names)

    def add_matches(self, tkey: str, golds: list[_Gold], preds: list[_Pred], pairs: dict[int, int], taken: set[int]) -> None:
        """One threshold's matches: overall, per kind, and for direct+mixed (where a prediction
        matched to nothing still counts against precision)."""
        self.matched[tkey] += len(pairs)
        self.ignored[tkey] += len(taken)
        for gi in pairs:
            kind = golds[gi].kind
            self.kind_found[tkey][kind] = self.kind_found[tkey].get(kind, 0) + 1
        hits = sum(golds[gi].kind in _GROUP for gi in pairs)
        spoken_for = set(pairs.values()) | taken
        loose = sum(p.kind in _GROUP for i, p in enumerate(preds) if i not in spoken_for)
        self.group_matched[tkey] += hits
        self.group_pred[tkey] += hits + loose

    def add_attribution(self, fmt: str, golds: list[_Gold], preds: list[_Pred], pairs: dict[int, int],
                        names: list[str], chain_names: list[str]) -> None:
        """Who said it, for each matched pair: the speaker's span (PolNeAR), the speaker's name
        and the chain of channels (seed gold)."""
        for gi, pi in pairs.items():
            gold, pred = golds[gi], preds[pi]
            if fmt in ("polnear", "ggt") and gold.speaker_span is not None:
                self.speaker_pairs += 1
                self.speaker_hits += any(
                    _spans_overlap(q.speaker_mention_span, gold.speaker_span) for q in pred.quotes
                )
            if fmt in ("seed", "ggt") and gold.speaker:
                self.name_pairs += 1
                self.name_hits += name_matches(pred.quotes[0].speaker, gold.speaker, names)
            if fmt == "seed" and gold.via:
                self.via_pairs += 1
                got = pred.quotes[0].via
                self.via_hits += len(got) == len(gold.via) and all(
                    name_matches(p, g, chain_names) for p, g in zip(got, gold.via)
                )

    def scores(self, n_documents: int, formats: set[str], missing: int) -> dict[str, Any]:
        """The scores and counts ``score_quotes`` returns."""
        keys = self.keys
        by_kind: dict[str, dict[str, Any]] = {}
        for kind in sorted(self.kind_gold, key=lambda x: (KINDS.index(x) if x in KINDS else len(KINDS), x)):
            by_kind[kind] = {"n_gold": self.kind_gold[kind]}
            for k in keys:
                found = self.kind_found[k].get(kind, 0)
                by_kind[kind][k] = {"found": found, "r": _ratio(found, self.kind_gold[kind])}

        return {
            "format": formats.pop() if len(formats) == 1 else ("mixed" if formats else None),
            "overall": {k: _prf(self.matched[k], self.n_pred - self.ignored[k], self.n_gold) for k in keys},
            "by_kind": by_kind,
            DIRECT_MIXED: {k: _prf(self.group_matched[k], self.group_pred[k], self.group_gold) for k in keys},
            "speaker_span_match": _ratio(self.speaker_hits, self.speaker_pairs),
            "name_accuracy": _ratio(self.name_hits, self.name_pairs),
            "via_accuracy": _ratio(self.via_hits, self.via_pairs),
            "counts": {
                "documents": n_documents,
                "documents_without_predictions": missing,
                "n_gold": self.n_gold,
                "n_optional": self.n_optional,
                "n_pred": self.n_pred,
                "matched": self.matched,
                "optional_matched": self.ignored,
                DIRECT_MIXED: {"n_gold": self.group_gold, "n_pred": self.group_pred, "matched": self.group_matched},
                "speaker_span_pairs": self.speaker_pairs,
                "name_pairs": self.name_pairs,
                "via_pairs": self.via_pairs,
            },
        }


# --------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "    —" if value is None else f"{value:5.3f}"


def format_report(scores: Mapping[str, Any]) -> str:
    """The scores as a plain-text table for the CLI."""
    counts = scores["counts"]
    keys = list(scores["overall"])
    lines = [
        f"Quote scores ({scores['format']} gold, Gender Gap Tracker matching): "
        f"{counts['documents']} documents, {counts['n_gold']} gold "
        f"(+{counts['n_optional']} optional), {counts['n_pred']} predicted",
    ]
    if counts.get("documents_without_predictions"):
        lines.append(f"  ({counts['documents_without_predictions']} gold documents had no predictions)")
    lines += ["", f"{'':<28}{'P':>7}{'R':>7}{'F1':>7}{'matched':>9}{'on opt.':>9}"]
    for label, block, n_matched, n_ignored in (
        ("overall", scores["overall"], counts["matched"], counts["optional_matched"]),
        (DIRECT_MIXED, scores[DIRECT_MIXED], counts[DIRECT_MIXED]["matched"], None),
    ):
        for k in keys:
            row = block[k]
            extra = f"{n_ignored[k]:>9}" if n_ignored is not None else ""
            lines.append(
                f"{label + ' @' + k:<28}{_fmt(row['p']):>7}{_fmt(row['r']):>7}{_fmt(row['f1']):>7}"
                f"{n_matched[k]:>9}{extra}"
            )
    lines += ["", f"{'recall by gold kind':<28}{'n':>7}" + "".join(f"{'@' + k:>7}" for k in keys)]
    for kind, row in scores["by_kind"].items():
        if row["n_gold"]:
            lines.append(f"{kind:<28}{row['n_gold']:>7}" + "".join(f"{_fmt(row[k]['r']):>7}" for k in keys))
    lines.append("")
    for label, key, pairs in (
        ("speaker span match", "speaker_span_match", "speaker_span_pairs"),
        ("resolved-name accuracy", "name_accuracy", "name_pairs"),
        ("via accuracy", "via_accuracy", "via_pairs"),
    ):
        if counts.get(pairs):
            lines.append(f"{label + ' @' + keys[0]:<28}{_fmt(scores[key]):>7}  (of {counts[pairs]} matched pairs)")
    return "\n".join(lines)
