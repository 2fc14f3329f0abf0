"""Every error backchannel raises, with numbered messages that name the input, the problem and the fix.

The tree::

    BackchannelError                  base of everything raised on purpose
    ├── InputError(ValueError)        one input cannot be read: the run records it and goes on
    │   ├── EmptyInputError
    │   ├── BinaryInputError
    │   ├── EncodingError
    │   ├── TooLargeError
    │   ├── MarkupError               HTML with no extractable text, or truncated
    │   ├── RecordError               a JSONL line or WARC record that is not an article
    │   └── LanguageError             not in a language the pipeline parses
    ├── StoreError(RuntimeError)      the DuckDB store, or a --parts partition, cannot be opened or written
    └── ConfigError(ValueError)       a bad option or settings file

Messages are templates in :class:`Errors`; the code (``E101``) is kept in the failures table
so a user can count problems by kind.
"""

from __future__ import annotations


class Errors:
    """Numbered message templates. Codes are stable: tests and the failures table use them."""

    # 1xx: reading one input
    E101 = "{path}: the file is empty; nothing to read."
    E102 = "{path}: looks like binary data ({detail}), not text or HTML; remove it from the input."
    E103 = "{path}: no detectable text encoding ({detail}); re-save it as UTF-8."
    E104 = "{path}: {size_mb:.1f} MB is over the {limit_mb:.1f} MB limit per document; split it or pass --max-mb."
    E105 = "{path}: HTML with no extractable article text ({detail}); check the page is complete."
    E106 = "{path}: line {line}: not valid JSON ({detail}); fix or remove the line."
    E107 = "{path}: line {line}: a JSONL article needs a non-empty 'text' or 'html' field; found keys {keys}."
    E108 = "{path}: language detected as '{lang}' (score {score:.2f}), not one of {allowed}; pass --language to parse it anyway."
    E109 = "{path}: cannot open ({detail})."
    E110 = "{path}: not a supported input (extension '{ext}'); use .txt, .text, .html, .htm, .xhtml, .jsonl, .ndjson, .warc, .warc.gz or .parquet."
    E111 = "{path}: WARC archive is unreadable ({detail}); records before the damage were kept."
    E112 = "{path}: the document has no text after cleaning; nothing to parse."
    E113 = "{path}: HTML looks truncated ({detail}); the text that could be extracted was kept."
    E114 = "{path}: processing failed unexpectedly ({detail}); please report this with the file."
    E115 = "{path}: {length:,} characters without a space at offset {offset}; the tokenizer is quadratic on such runs, so the document is refused."
    E116 = "{path}: a Parquet input needs a 'text' or 'html' column; found columns {columns}."
    E117 = "{path}: Parquet file is unreadable ({detail}); rows before the damage were kept."
    E118 = "{path}: row {line}: no text in 'text' or 'html' (empty, null or not a string); nothing to read."
    E119 = "{path}: {found:,} quotes in one document; kept the first {cap:,} and dropped {dropped:,} quotes (raise max_quotes in backchannel.toml to keep more)."
    E120 = "{path}: {found:,} events in one document; kept the first {cap:,} and dropped {dropped:,} events (raise max_events in backchannel.toml to keep more)."
    E121 = "{path}: a {kind}, not a regular file; only regular files are read."
    E122 = "{path}: compressed data inflates more than {ratio} times ({inflated_mb:.1f} MB from {read_mb:.2f} MB), so it was refused as a decompression bomb; records before it were kept."
    E123 = "{path}: WARC record {record}: {detail}; the record was skipped."
    E124 = "{path}: WARC record {record} has {what}; the archive is damaged or hostile, so reading stopped; records before it were kept."
    E125 = "{path}: more than the {limit_mb:.1f} MB limit per document (reading stopped there); split it or pass --max-mb."
    E126 = "{path}: looks like {encoding} without a byte-order mark, but does not decode ({detail}); re-save it as UTF-8."
    # 2xx: store
    E201 = "{path}: cannot open the store ({detail}); is another backchannel process writing to it?"
    E202 = "{path}: the store was written by an incompatible schema version {found} (expected {expected}); export it and start a new store."
    E203 = "unknown table '{table}'; choose one of {tables}."
    E204 = "unknown export format '{fmt}'; choose one of {formats}."
    E205 = "{path}: partition {name} cannot be merged ({detail}); it was skipped; read its inputs again with the same --parts to write it anew, or restore the files."
    E206 = "{path}: cannot write a partition ({detail}); check that the directory is writable and has space."
    E207 = "{path}: merging partition {name} into the store failed ({detail}); nothing of it was merged; rerun 'backchannel load' once the cause is fixed."
    E209 = "{path}: not a backchannel store ({detail}); pass --store with the store's file, or move this file aside to start a new store."
    E210 = "{path}: the store is damaged ({detail}); restore it from a backup, or move it aside and read the inputs again."
    E211 = "{path}: the store cannot be written ({detail}); make the file and its folder writable or pass another --store; commands that only query it still work."
    E212 = "{path}: no store here yet ({detail}); run 'backchannel read PATH' first, or pass --store with an existing store."
    E213 = "{path}: cannot create the store ({detail}); create the folder first or pass another --store."
    E214 = "{path}: the disk is full ({detail}); every batch committed before was kept; free some space and run the same command again to resume."
    E215 = "{path}: cannot use the store ({detail})."
    # 3xx: configuration
    E301 = "{path}: cannot read settings ({detail})."
    E302 = "unknown setting '{name}' in {path}; known settings: {known}."
    E303 = "no spaCy pipeline '{name}' is installed ({detail}); run the README's install command."
    E304 = "{path}: cannot use this actor file ({detail}); see the README's 'Actors' section for the format."
    E305 = "unknown engine '{name}'; choose one of {known}."
    E306 = "the dask engine needs dask.distributed ({detail}); install it with: pip install 'backchannel[dask]'."
    E307 = "cannot reach the Dask scheduler at {address} ({detail}); check the address, or leave out --scheduler to start a local cluster."
    E308 = "{path}: no Parquet partitions here (no 'documents' folder); give the directory a run wrote with --parts."
    E309 = "{path}: cannot write the output ({detail}); check that its folder exists and is writable."
    E310 = "{path}: given as both --jsonl and --store; writing the JSONL there would destroy the store, so nothing was read."


class BackchannelError(Exception):
    """Base class: everything backchannel raises on purpose."""

    code: str = "E000"

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        template = getattr(Errors, code)
        super().__init__(template.format(**fields))

    def __reduce__(self) -> tuple:
        # a worker's error reaches the driver pickled; rebuild it from its code and fields
        return _rebuild, (type(self), self.code, self.fields)


def _rebuild(cls: type[BackchannelError], code: str, fields: dict) -> BackchannelError:
    return cls(code, **fields)


class InputError(BackchannelError, ValueError):
    """One input cannot be read; the run records it and continues with the others."""

    severity = "error"


class EmptyInputError(InputError):
    """The input has no bytes or no text."""


class BinaryInputError(InputError):
    """The input is binary data."""


class EncodingError(InputError):
    """The bytes decode in no known encoding."""


class TooLargeError(InputError):
    """The input is over the per-document size limit."""


class MarkupError(InputError):
    """HTML that yields no article text."""


class RecordError(InputError):
    """A JSONL line or WARC record that is not an article."""


class LanguageError(InputError):
    """The article is not in a language the pipeline parses."""


class StoreError(BackchannelError, RuntimeError):
    """The DuckDB store cannot be opened or written."""


class ConfigError(BackchannelError, ValueError):
    """A bad option or settings file."""


def detail(exc: BaseException) -> str:
    """The first line of a library's exception, short enough to sit inside one of our messages."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
