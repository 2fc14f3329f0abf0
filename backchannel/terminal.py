"""Text from the inputs, made safe to print: plain text, never rich markup, control characters shown escaped.

An article, a speaker's name or a file name can hold ``[link=…]`` (which rich would turn into a
hidden hyperlink), ``[/]`` (which makes rich raise), an OSC sequence that sets the window title,
or a bidi override that reorders what the reader sees. Everything the CLI prints from the store or
from an input goes through :func:`safe_text` (rich) or :func:`escape_controls` (plain strings).
"""

from __future__ import annotations

import json
import re
from typing import Any

from rich.text import Text

#: C0 controls but tab and newline, DEL, C1 controls (U+0085 NEL, U+009B CSI, …) and the bidi
#: embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROLS}]")
#: the same plus tab and newline, for output that must stay one line per record (log and failure lines)
_UNSAFE_ONELINE = re.compile(f"[\t\n{_CONTROLS}]")
#: what JSON printed with ``ensure_ascii=False`` may still carry raw (json escapes C0 itself)
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")  # \x1b, \r, \u202e


def escape_controls(value: object, *, oneline: bool = False) -> str:
    """``value`` as a string whose control characters are shown as Python escapes and act on nothing."""
    return (_UNSAFE_ONELINE if oneline else _UNSAFE).sub(_escaped, str(value))


def safe_text(value: object, style: str = "", *, oneline: bool = False) -> Text:
    """Plain rich ``Text`` (no markup, no emoji codes) with control characters escaped."""
    return Text(escape_controls(value, oneline=oneline), style=style)


def safe_json(value: Any, **kwargs: Any) -> str:
    """JSON that reads back exactly but carries no raw DEL, C1 or bidi control (they become ``\\uXXXX``)."""
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, **kwargs))
