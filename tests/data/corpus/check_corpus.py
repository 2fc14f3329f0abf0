#!/usr/bin/env python3
"""Consistency checks for the corpus in this folder. Run: python3 tests/data/corpus/check_corpus.py

Exits 1 and lists the problems if any check fails; prints counts otherwise.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLOVER_QUAD = {
    **dict.fromkeys(["AGREE", "CONSULT", "SUPPORT", "CONCEDE"], 1),
    **dict.fromkeys(["COOPERATE", "AID", "RETREAT"], 2),
    **dict.fromkeys(["REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST"], 3),
    **dict.fromkeys(["SANCTION", "MOBILIZE", "COERCE", "ASSAULT"], 4),
}
THREAD = re.compile(r"^\d+ thoughts on “", re.M)
QUOTE = re.compile(r'"([^"\n]*)"|“([^”\n]*)”')
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
problems: list[str] = []


def fail(msg: str) -> None:
    problems.append(msg)


def body_of(text: str) -> str:
    m = THREAD.search(text)
    return text[: m.start()] if m else text


def iso(s: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s)
    except (TypeError, ValueError):
        return None


def url_date(url: str) -> dt.date | None:
    m = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", url)
    if m:
        return dt.date(*map(int, m.groups()))
    m = re.search(r"/(20\d\d)/([a-z]{3})/(\d\d)/", url)
    if m:
        return dt.date(int(m.group(1)), MONTHS[m.group(2)], int(m.group(3)))
    return None


def quote_spans(body: str):
    """(start, content) of every quotation in the body; a trailing comma or full stop is dropped."""
    for m in QUOTE.finditer(body):
        g = 1 if m.group(1) is not None else 2
        content = m.group(g)
        if content and content[-1] in ",.":
            content = content[:-1]
        yield m.start(g), content


# ------------------------------------------------------------------ articles
articles: dict[str, dict] = {}
for n, line in enumerate((HERE / "articles.jsonl").read_text(encoding="utf-8").splitlines(), 1):
    try:
        a = json.loads(line)
    except json.JSONDecodeError as e:
        fail(f"articles.jsonl line {n}: {e}")
        continue
    for k in ("id", "title", "url", "outlet", "text"):
        if not isinstance(a.get(k), str) or not a[k].strip():
            fail(f"article line {n}: missing {k}")
    if a.get("id") in articles:
        fail(f"duplicate article id {a['id']}")
    articles[a["id"]] = a

undated = [i for i, a in articles.items() if "date" not in a]
if len(undated) != 3:
    fail(f"expected exactly 3 articles without date, found {len(undated)}")
for i, a in articles.items():
    if "date" in a:
        d = iso(a["date"])
        if d is None or not (dt.date(2013, 1, 1) <= d <= dt.date(2013, 3, 31)):
            fail(f"{i}: bad date {a.get('date')!r}")
        u = url_date(a["url"])
        if u and d and abs((u - d).days) > 1:
            fail(f"{i}: URL date {u} far from date {d}")
    if not a["url"].startswith("https://www."):
        fail(f"{i}: url should start with https://www.")
    words = len(a["text"].split())
    if not 250 <= words <= 700:
        fail(f"{i}: {words} words (want 250-700)")
    if "\n\n" not in a["text"]:
        fail(f"{i}: no blank-line paragraphs")
threads = [i for i, a in articles.items() if THREAD.search(a["text"])]
if len(threads) != 3:
    fail(f"expected 3 articles with a comment thread, found {len(threads)}")
if len(articles) < 36:
    fail(f"only {len(articles)} articles")

# the three undated articles: one date only in the URL, one only in a dateline
only_url = [i for i in undated if url_date(articles[i]["url"]) and not re.match(r"^[A-Z ,]+, [A-Z][a-z]{2,8}\.? \d+ \(", articles[i]["text"])]
only_dateline = [i for i in undated if not url_date(articles[i]["url"]) and re.match(r"^[A-Z ,]+, [A-Z][a-z]{2,8}\.? \d+ \(", articles[i]["text"])]
if not only_url or not only_dateline:
    fail(f"undated articles: need one dated only by URL ({only_url}) and one only by dateline ({only_dateline})")

# verbatim reprints: identical texts across outlets
by_text = collections.defaultdict(list)
for i, a in articles.items():
    by_text[a["text"]].append(a["outlet"])
reprinted = [outs for outs in by_text.values() if len(set(outs)) >= 3]
if len(reprinted) < 2:
    fail(f"need >= 2 wire stories carried verbatim by >= 3 outlets, found {len(reprinted)}")

# ------------------------------------------------------------------ statements
groups = [json.loads(l) for l in (HERE / "statements.gold.jsonl").read_text(encoding="utf-8").splitlines()]
sids = [g["statement"] for g in groups]
if len(set(sids)) != len(sids):
    fail("duplicate statement ids")
claimed: dict[tuple[str, int], str] = {}
for g in groups:
    for k in ("statement", "speaker", "date", "members"):
        if k not in g:
            fail(f"{g.get('statement')}: missing {k}")
    if not g["members"]:
        fail(f"{g['statement']}: no members")
    dates = []
    for m in g["members"]:
        a = articles.get(m["article"])
        if a is None:
            fail(f"{g['statement']}: unknown article {m['article']}")
            continue
        body = body_of(a["text"])
        q, start = m["quote"], m.get("start")
        if q not in a["text"]:
            fail(f"{g['statement']}: quote not a substring of {m['article']}: {q!r}")
        elif start is None or body[start : start + len(q)] != q:
            fail(f"{g['statement']}: start offset wrong in {m['article']}: {q!r}")
        if m.get("kind") not in ("direct", "mixed", "indirect"):
            fail(f"{g['statement']}: bad kind {m.get('kind')}")
        if m.get("mention") and m["mention"] not in body:
            fail(f"{g['statement']}: mention {m['mention']!r} not in {m['article']}")
        if start is not None:
            if (m["article"], start) in claimed:
                fail(f"{m['article']}@{start} claimed by {claimed[(m['article'], start)]} and {g['statement']}")
            claimed[(m["article"], start)] = g["statement"]
        dates.append(a.get("date"))
    known = [d for d in dates if d]
    if known and g["date"] > min(known):
        fail(f"{g['statement']}: date {g['date']} later than first report {min(known)}")
    if iso(g["date"]) is None:
        fail(f"{g['statement']}: bad date {g['date']}")

# every direct or mixed quotation in every body belongs to exactly one group
for i, a in articles.items():
    body = body_of(a["text"])
    for start, content in quote_spans(body):
        owner = claimed.get((i, start))
        if owner is None:
            fail(f"{i}: quotation not in any group: {content!r}")
            continue
        g = next(g for g in groups if g["statement"] == owner)
        m = next(m for m in g["members"] if m["article"] == i and m.get("start") == start)
        if m["kind"] == "indirect" or m["quote"] != content:
            fail(f"{i}: quotation {content!r} claimed as {m['quote']!r} ({m['kind']})")

multi_outlet = [g for g in groups if len({articles[m["article"]]["outlet"] for m in g["members"]}) >= 2]
if len(multi_outlet) < 8:
    fail(f"only {len(multi_outlet)} multi-outlet groups")

# ------------------------------------------------------------------ dates gold
for line in (HERE / "dates.gold.jsonl").read_text(encoding="utf-8").splitlines():
    r = json.loads(line)
    a = articles.get(r["article"])
    if a is None:
        fail(f"dates.gold: unknown article {r['article']}")
        continue
    if iso(r["date"]) is None or ("date" in a and a["date"] != r["date"]):
        fail(f"dates.gold: {r['article']} date {r['date']} disagrees")
    body = body_of(a["text"])
    for it in r["relative"]:
        if body.count(it["context"]) != 1:
            fail(f"dates.gold: context not unique in {r['article']}: {it['context']!r}")
        if body[it["start"] : it["start"] + len(it["expr"])] != it["expr"]:
            fail(f"dates.gold: bad offset in {r['article']}: {it['expr']!r}")

# ------------------------------------------------------------------ dyad gold
dyad = json.loads((HERE / "dyad.gold.json").read_text(encoding="utf-8"))
quads = collections.Counter()
n_events = 0
for wk, events in dyad["weeks"].items():
    for e in events:
        n_events += 1
        d = iso(e["date"])
        if d is None or "{}-W{:02d}".format(*d.isocalendar()[:2]) != wk or e["week"] != wk:
            fail(f"dyad {e['event']}: week {wk} does not match date {e['date']}")
        if {e["actor"], e["recipient"]} != {"USA", "IRN"}:
            fail(f"dyad {e['event']}: actor/recipient not USA/IRN")
        if PLOVER_QUAD.get(e["plover"]) != e["quad"]:
            fail(f"dyad {e['event']}: plover {e['plover']} vs quad {e['quad']}")
        if e["negotiation_signal"] not in ("positive", "negative", "conditional", None):
            fail(f"dyad {e['event']}: bad negotiation_signal")
        for aid in e["articles"]:
            if aid not in articles:
                fail(f"dyad {e['event']}: unknown article {aid}")
        for sid in e.get("statements", []):
            if sid not in sids:
                fail(f"dyad {e['event']}: unknown statement {sid}")
        quads[e["quad"]] += 1

# ------------------------------------------------------------------ report
if problems:
    print("\n".join(problems))
    print(f"\n{len(problems)} problem(s)")
    sys.exit(1)
outlets = collections.Counter(a["outlet"] for a in articles.values())
members = sum(len(g["members"]) for g in groups)
print(f"articles: {len(articles)} ({len(undated)} undated, {len(threads)} with comment threads), outlets: {len(outlets)}")
print(f"statement groups: {len(groups)} ({sum(len(g['members']) > 1 for g in groups)} multi-member, "
      f"{len(multi_outlet)} multi-outlet), members: {members}")
print(f"verbatim wire reprints: {[sorted(set(o)) for o in reprinted]}")
print(f"dyad events: {n_events} by quad {dict(sorted(quads.items()))}, weeks {list(dyad['weeks'])}")
print("OK")
