"""Engines: where ``batch.process`` runs — in this process, in a pool of local processes, or on
a Dask cluster. Every engine maps the same function over the same batches and hands results back
in input order, so the driver (the only writer to the store) writes the same records whichever
ran them. At most ``2 × workers`` batches are in flight, so the batches in the driver do not grow however
large the corpus.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from backchannel.errors import ConfigError
from backchannel.execution.batch import process, process_part
from backchannel.records import Document, Failure, RawInput
from backchannel.settings import Settings

logger = logging.getLogger(__name__)

T = TypeVar("T")
Results = list[Document | Failure]
ENGINES = ("local", "dask")


def _process(raws: list[RawInput], settings: Settings) -> Results:
    return process(raws, settings)


def _process_part(task: Any, settings: Settings) -> Any:
    """The same work, written by the worker as a Parquet partition; only its name travels back."""
    return process_part(task, settings)


def _warm(settings: Settings) -> None:
    """Load everything once when a worker process starts, not in its first task: the spaCy
    pipeline, and the gazetteers and cue model a first article loads lazily."""
    _process([RawInput("<warm-up>", "Iran's foreign minister said on Monday that talks would resume.", "txt")], settings)


def _in_order(items: Iterable[tuple[T, Any]], submit: Callable[[Any], Any], in_flight: int) -> Iterator[tuple[T, Any]]:
    """Submit each (tag, batch) with a bounded window; yield (tag, results) in submission order.
    ``submit`` returns a future (concurrent.futures or Dask: both have ``result()``)."""
    window: deque[tuple[T, Any]] = deque()
    for tag, batch in items:
        window.append((tag, submit(batch)))
        if len(window) >= in_flight:
            first, future = window.popleft()
            yield first, future.result()
    while window:
        first, future = window.popleft()
        yield first, future.result()


Mapper = Callable[[Iterable[tuple[T, Any]]], Iterator[tuple[T, Any]]]


@contextmanager
def mapper(settings: Settings) -> Iterator[Mapper[Any]]:
    """A function from (tag, batch) pairs to (tag, results) pairs for the configured engine: a
    batch is a list of ``RawInput`` and its results the records, or with ``settings.parts`` a
    ``runner.PartTask`` and its ``parts.Part``."""
    if settings.engine not in ENGINES:
        raise ConfigError("E305", name=settings.engine, known=", ".join(ENGINES))
    fn = _process_part if settings.parts else _process
    if settings.engine == "dask":
        with _dask_client(settings) as client:
            n = max(1, len(client.scheduler_info().get("workers", {})) or settings.workers)
            yield lambda items: _in_order(items, lambda batch: client.submit(fn, batch, settings, pure=False), 2 * n)
        return
    if settings.jobs <= 1:
        yield lambda items: ((tag, fn(batch, settings)) for tag, batch in items)
        return
    # spawn, not fork: a forked child would inherit the driver's DuckDB connection and threads
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(settings.jobs, mp_context=context, initializer=_warm, initargs=(settings,)) as pool:
        yield lambda items: _in_order(items, lambda batch: pool.submit(fn, batch, settings), 2 * settings.jobs)


@contextmanager
def _dask_client(settings: Settings) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster  # noqa: PLC0415 (optional: the dask extra)
    except ImportError as exc:
        raise ConfigError("E306", detail=exc) from exc
    if settings.scheduler:
        try:
            client = Client(settings.scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ConfigError("E307", address=settings.scheduler, detail=exc) from exc
        with client:
            client.run(_warm, settings)
            yield client
        return
    import dask  # noqa: PLC0415 (optional: the dask extra)

    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536 and one BLAS thread; --jobs
    # workers have neither. Measured on 2 cores, 400 articles, three rounds: 1.47-1.50x one
    # process with them, 1.56-1.99x (mean 1.82x) without (benchmarks/scale.py).
    with dask.config.set({"distributed.nanny.pre-spawn-environ": {}}), \
            LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.run(_warm, settings)  # every worker loads the pipeline once, before the first task
        yield client
