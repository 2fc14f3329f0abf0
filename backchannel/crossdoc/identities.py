"""Speakers across documents: "Larijani", "Mohammad Javad Larijani" and "M.J. Larijani" are one
person, and his brother Sadeq Larijani another.

Each document already names its speakers by their fullest name there (``speakers.py``). Across
documents, names are blocked by surname; within a block, full names that agree on their given
names (equal, an initial, or a spelling variant by rapidfuzz) are one person. A bare surname, or
a name that fits several people, goes to the person whose context it shares — the words around
that person's mentions (office, country, co-mentioned names) — and stays apart, marked
ambiguous, when nothing decides.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from backchannel.entities.gazetteer import Gazetteer
from backchannel.entities.offices import holder_of
from backchannel.records import Person, QuoteRef
from backchannel.resources.names import without_accents
from backchannel.resources.tables import words
from backchannel.resources.titles import ORGANISATION_WORDS, is_title_word

#: given names this similar are one name spelled two ways ("Mohammad", "Mohammed")
GIVEN_NAME_RATIO = 80.0
_OFFICE_HEADS = words("office_heads")
_HONORIFICS = words("honorifics")


def name_parts(name: str) -> list[str]:
    """Lower-case name words without titles: "Ayatollah Ali Khamenei" → [ali, khamenei],
    "M.J. Larijani" → [m, j, larijani]."""

    sectors = Gazetteer.default().sector_words
    words = [w for w in re.split(r"[\s.]+", without_accents(name).replace("’", "'")) if w]
    words = [re.sub(r"'s$", "", w) for w in words]
    # "Judiciary Chief Ayatollah Sadeq Amoli Larijani": the office before the name is not the name
    while len(words) > 2 and (words[0].lower() in _HONORIFICS | _OFFICE_HEADS or is_title_word(words[0])
                              or words[0].lower() in sectors):
        words = words[1:]
    if len(words) == 2 and (words[0].lower() in _HONORIFICS or is_title_word(words[0])):
        words = words[1:]
    return [w.lower() for w in words if re.search(r"\w", w)]


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 5 and all(w[:1].isupper() or w.lower() in ("al", "bin", "de", "van", "von", "la", "el") for w in words)


def _given_names_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Do these given names fit one person? Each of the shorter list's names must match one of
    the longer's, in order: equal, an initial of it, or a spelling variant."""

    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    j = 0
    for name in short:
        while j < len(long_):
            other = long_[j]
            j += 1
            if name == other or (len(name) == 1 and other.startswith(name)) or (len(other) == 1 and name.startswith(other)):
                break
            if len(name) > 2 and len(other) > 2 and fuzz.ratio(name, other) >= GIVEN_NAME_RATIO:
                break
        else:
            return False
    return True


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:

    return frozenset(STOP_WORDS) | {"said", "says", "told", "added", "according"}


def context_words(text: str) -> Counter[str]:
    stop = _stop_words()
    return Counter(w for w in re.findall(r"[a-z]{3,}", without_accents(text).lower()) if w not in stop)


def _pid(key: str) -> str:
    return "sp_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=65536)
def known_name(speaker: str, when: str | None, countries: frozenset[str] = frozenset()) -> str | None:
    """The gazetteer's name for a speaker: an alias ("Amoli Larijani" is Sadeq Larijani) or an
    office held on the quote's date ("the supreme leader", "Iran's foreign minister"); None when
    it does not know, or knows several."""
    g = Gazetteer.default()
    people = {c.name for c in g.lookup(speaker) if c.kind == "person"}
    if len(people) == 1:
        return people.pop()
    found = holder_of(g, speaker, when, countries)
    return found.name if found else None


def _countries_in(texts: Iterable[str]) -> frozenset[str]:
    """Countries a document's speaker contexts name ("Tehran", "Iranian", "Iran")."""

    g = Gazetteer.default()
    found: set[str] = set()
    for text in texts:
        for word in re.findall(r"[A-Z][\w.]+", text):
            found.update(c.country for c in g.lookup(word) if c.country and c.kind in ("country", "demonym", "metonym"))
    return frozenset(found)


def _named_in_document(refs: Sequence[QuoteRef]) -> dict[tuple[str, int], str]:
    """Descriptions resolved within their document: "Iran's Foreign Ministry spokesman" is the one
    person the same article names whose mentions carry "spokesman"; "the supreme leader" the
    office's holder in the country the article is about. Unsure stays as written."""
    out: dict[tuple[str, int], str] = {}
    countries = _countries_in(dict.fromkeys(r.context for r in refs))
    index = _ContextIndex(r for r in refs if r.speaker and _is_name(r.speaker))
    for ref in refs:
        if not ref.speaker:
            continue
        person = _person_part(ref.speaker)
        if person != ref.speaker and _is_name(person):  # "Supreme National Security Council Saeed Jalili"
            out[ref.key] = person
            continue
        if _is_name(ref.speaker):
            continue
        known = known_name(ref.speaker, ref.date, countries)
        if known is not None:
            out[ref.key] = known
            continue
        head = re.sub(r"['’]s$", "", ref.speaker.split()[-1].lower())
        if len(head) < 4 or head in ("official", "officials", "source", "sources", "government", "ministry"):
            continue  # "a senior official" could be anyone the article names
        fits = index.speakers_with(head)
        if len(fits) == 1:
            out[ref.key] = next(iter(fits))
    return out


class _ContextIndex:
    """The named speakers of one document by the words of their mentions' contexts, so that
    finding who a description's head word fits costs the speakers that have the word, not every
    quote of the document for every description (28k quotes made that quadratic)."""

    def __init__(self, refs: Iterable[QuoteRef]) -> None:
        self.contexts: dict[str, set[str]] = defaultdict(set)  # context → its speakers
        self.by_word: dict[str, set[str]] = defaultdict(set)  # lower-cased word → contexts with it
        for ref in refs:
            speakers = self.contexts[ref.context]
            if not speakers:
                for word in re.findall(r"\w+", ref.context):
                    self.by_word[word.lower()].add(ref.context)
            speakers.add(ref.speaker)  # type: ignore[arg-type]
        self.found: dict[str, frozenset[str]] = {}

    def speakers_with(self, head: str) -> frozenset[str]:
        """The speakers whose context has ``head`` as a whole word (case-insensitively), once per head."""
        found = self.found.get(head)
        if found is None:
            pattern = re.compile(rf"\b{re.escape(head)}\b", re.I)
            # a one-word head is looked up; anything else ("al-", "(aeoi)") is searched everywhere
            candidates = self.by_word.get(head, ()) if re.fullmatch(r"\w+", head) else self.contexts
            found = self.found[head] = frozenset(
                s for context in candidates if pattern.search(context) for s in self.contexts[context])
        return found


def _person_part(name: str) -> str:
    """The person in a speaker's name, without the organisation or office before it:
    "Supreme National Security Council Saeed Jalili" → "Saeed Jalili"."""

    words = name.split()
    cut = max((k + 1 for k, w in enumerate(words[:-2]) if w[:1].isupper() and w.lower() in ORGANISATION_WORDS), default=0)
    tail = words[cut:]
    if cut and not all(w[:1].isupper() for w in tail):
        tail = words  # the organisation is not followed by a name
    return " ".join(_strip_office(" ".join(tail)))


def _is_name(speaker: str) -> bool:
    """A person's name, not a description: "the Leader" and "The foreign minister" are not."""
    if speaker.split()[0].lower() in ("the", "a", "an") or not speaker[:1].isupper():
        return False
    parts = name_parts(speaker)
    return bool(parts) and _looks_like_person(" ".join(w.capitalize() for w in parts)) and _looks_like_person(speaker.split()[-1])


def _by_document(refs: Iterable[QuoteRef]) -> Iterable[tuple[QuoteRef, str | None]]:
    """Quotes with their in-document resolution (or None), one document at a time (refs come
    ordered by document, so no more than one document is held)."""
    batch: list[QuoteRef] = []
    for ref in itertools.chain(refs, [None]):
        if batch and (ref is None or ref.article_id != batch[0].article_id):
            named = _named_in_document(batch)
            yield from ((r, named.get(r.key)) for r in batch)
            batch = []
        if ref is not None:
            batch.append(ref)


def resolve_people(refs: Iterable[QuoteRef]) -> tuple[dict[tuple[str, int], tuple[str, str]], list[Person]]:
    """Each quote's speaker as a corpus-wide person: (quote key → (person id, name)), and the people."""

    by_surname: dict[str, list[QuoteRef]] = defaultdict(list)
    others: dict[str, list[QuoteRef]] = defaultdict(list)
    written: dict[tuple[str, int], tuple[str, str]] = {}  # quote → (the gazetteer's name, the text's)
    for ref, resolved in _by_document(refs):
        if not ref.speaker:
            continue
        known = resolved or known_name(ref.speaker, ref.date)
        if known is not None and known != ref.speaker:
            # block under the gazetteer's name; the name the text used stays an alias (below)
            written[ref.key] = (known, ref.speaker)
            ref = dataclasses.replace(ref, speaker=known)
        parts = name_parts(ref.speaker)
        if _is_name(ref.speaker):
            by_surname[parts[-1]].append(ref)
        else:
            others[" ".join(parts) or ref.speaker.lower()].append(ref)
    assigned: dict[tuple[str, int], tuple[str, str]] = {}
    people: dict[str, Person] = {}
    for surname, block in by_surname.items():
        _resolve_block(surname, block, assigned, people)
    for key, block in others.items():  # bodies ("Iran's Intelligence Ministry"), by their normalised name
        names = Counter(r.speaker for r in block)
        person = Person(_pid("org|" + key), names.most_common(1)[0][0])  # type: ignore[arg-type]
        person.aliases.update(names)  # type: ignore[arg-type]
        person.countries.update(r.country for r in block if r.country)
        person.n_quotes = len(block)
        people[person.id] = person
        for r in block:
            assigned[r.key] = (person.id, person.name)
    for key, (known, text) in written.items():
        aliases = people[assigned[key][0]].aliases
        aliases[text] += 1
        aliases[known] -= 1
        if aliases[known] <= 0:
            del aliases[known]
    for person in people.values():  # the name the texts use most, now that every mention is in
        if person.aliases and not person.ambiguous:
            person.name = _display_name(person.aliases)
    return {key: (pid, people[pid].name) for key, (pid, _) in assigned.items()}, list(people.values())


def _resolve_block(surname: str, block: list[QuoteRef], assigned: dict[tuple[str, int], tuple[str, str]],
                   people: dict[str, Person]) -> None:
    full: dict[str, list[QuoteRef]] = defaultdict(list)
    bare: list[QuoteRef] = []
    for ref in block:
        parts = name_parts(ref.speaker or "")
        (full[" ".join(parts)] if len(parts) >= 2 else bare).append(ref)
    # fullest names first: "mohammad javad larijani" founds the person "m j larijani" joins
    found: list[tuple[list[str], Person]] = []
    pending: list[tuple[list[str], list[QuoteRef]]] = []
    for key in sorted(full, key=lambda k: (-len(k.split()), -len(k), k)):
        parts = key.split()
        fits = [(p, person) for p, person in found if _given_names_agree(parts[:-1], p[:-1])]
        if not fits and not any(len(g) == 1 for g in parts[:-1]):
            person = Person(_pid(f"person|{key}"), _display(full[key]))
            found.append((parts, person))
            fits = [(parts, person)]
        if len(fits) == 1:
            _add(fits[0][1], full[key], assigned)
        else:
            pending.append((parts, full[key]))  # "M. Larijani": fits several people, or none yet
    for parts, refs in pending:
        fits = [person for p, person in found if _given_names_agree(parts[:-1], p[:-1])]
        _place(refs, fits or [person for _, person in found], surname, assigned, people, " ".join(parts))
    for ref in bare:
        _place([ref], [person for _, person in found], surname, assigned, people, surname)
    people.update((person.id, person) for _, person in found)


def _display(refs: Sequence[QuoteRef]) -> str:
    return _display_name(Counter(r.speaker for r in refs if r.speaker))


def _display_name(names: Counter[str]) -> str:
    """The person's name: the full name the texts use most, without the office before it."""
    stripped: Counter[str] = Counter()
    for name, n in names.items():
        stripped[_person_part(name)] += n
    full = [k for k in stripped if len(k.split()) >= 2] or list(stripped)
    # on a tie, the gazetteer's own name for the person, then the fuller, then the first alphabetically
    return min(full, key=lambda k: (-stripped[k], known_name(k, None) != k, -len(k), k))


def _strip_office(name: str) -> list[str]:
    words = name.split()
    parts = name_parts(name)
    return words[len(words) - len(parts):] if 0 < len(parts) <= len(words) else words


def _add(person: Person, refs: Sequence[QuoteRef], assigned: dict[tuple[str, int], tuple[str, str]]) -> None:
    for ref in refs:
        person.aliases[ref.speaker or ""] += 1
        person.context.update(context_words(ref.context))
        person.n_quotes += 1
        if ref.country:
            person.countries[ref.country] += 1
        assigned[ref.key] = (person.id, person.name)


def _place(refs: Sequence[QuoteRef], candidates: Sequence[Person], surname: str,
           assigned: dict[tuple[str, int], tuple[str, str]], people: dict[str, Person], key: str) -> None:
    """A name that does not say which person: the one whose context it shares, else the only one,
    else a person of its own marked ambiguous."""
    for ref in refs:
        if len(candidates) == 1:
            _add(candidates[0], [ref], assigned)
            continue
        words = context_words(ref.context)
        common = set.intersection(*(set(p.context) for p in candidates)) if candidates else set()
        scored = sorted(
            ((sum(min(c, p.context[w]) for w, c in words.items() if w not in common and w != surname), p) for p in candidates),
            key=lambda x: -x[0],
        )
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            _add(scored[0][1], [ref], assigned)
            continue
        ghost = people.get(_pid(f"ambiguous|{key}"))
        if ghost is None:
            ghost = Person(_pid(f"ambiguous|{key}"), ref.speaker or surname, ambiguous=bool(candidates))
            people[ghost.id] = ghost
        _add(ghost, [ref], assigned)
