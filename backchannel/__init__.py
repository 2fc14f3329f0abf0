"""backchannel: who said what, through which outlet, and who did what to whom."""

from __future__ import annotations

import logging

from backchannel.api import (
    evaluate_events,
    evaluate_quotes,
    export,
    extract_events,
    extract_quotes,
    load,
    open_store,
    read,
    read_text,
)
from backchannel.errors import BackchannelError, InputError, StoreError
from backchannel.records import Actor, Document, Entity, Event, Failure, Quote, RawInput, RunSummary, Section, Sentence
from backchannel.settings import VERSION, Settings, load_settings
from backchannel.storage.store import Store

__version__ = VERSION

__all__ = [
    "Actor",
    "BackchannelError",
    "Document",
    "Entity",
    "Event",
    "Failure",
    "InputError",
    "Quote",
    "RawInput",
    "RunSummary",
    "Section",
    "Sentence",
    "Settings",
    "Store",
    "StoreError",
    "__version__",
    "evaluate_events",
    "evaluate_quotes",
    "export",
    "extract_events",
    "extract_quotes",
    "load",
    "load_settings",
    "open_store",
    "read",
    "read_text",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
