"""Which half of a shared data set is ours to read and which stays untouched.

Why: rules tuned while reading a set's errors score well on that set and worse on text nobody
tuned to. A fixed half that is never read sentence by sentence says how the rules do on unseen
text. The half comes from a hash of the item's id, so it is the same on every machine and run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, Literal

Part = Literal["dev", "untouched"]
PARTS: tuple[Part, ...] = ("dev", "untouched")
#: changing the salt would reshuffle the halves and spoil the untouched one: never change it
SALT = "backchannel-untouched-1"


def part_of(item_id: str) -> Part:
    """``"untouched"`` for about half of all ids, ``"dev"`` for the rest."""
    digest = hashlib.sha256(f"{SALT}:{item_id}".encode()).digest()
    return "untouched" if digest[0] % 2 else "dev"


def select(items: Iterable[Mapping[str, Any]], part: Part | None, key: str = "id") -> list[Mapping[str, Any]]:
    """The items of one part (all of them when ``part`` is None)."""
    return [item for item in items if part is None or part_of(str(item[key])) == part]
