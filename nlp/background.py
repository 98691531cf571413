"""Run the encoder in a worker thread while the tagger's Python work (gazetteer pass, sparse features) runs.

torch and numpy release the GIL inside their kernels, so the encoder's matrix work and our Python work
proceed side by side. Between kernels the encoder's thread needs the GIL back for a moment; with Python's
default switch interval (5 ms) it would wait up to that long behind the busy main thread each time, so the
interval is shortened while both run and restored afterwards.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

SWITCH_INTERVAL = 0.0002  # seconds; Python's default is 0.005

# One worker: encoder calls from several taggers (threads) queue up instead of sharing the cores.
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cwatch-encoder")
_LOCK = threading.Lock()
_DEPTH = 0  # sections open now (several threads may tag at once): the last one out restores
_SAVED = 0.0


@contextmanager
def short_switch_interval(seconds: float = SWITCH_INTERVAL) -> Iterator[None]:
    """sys.setswitchinterval(seconds) for the duration, then the previous value, also when sections of
    several threads overlap."""
    global _DEPTH, _SAVED
    with _LOCK:
        if _DEPTH == 0:
            _SAVED = sys.getswitchinterval()
            sys.setswitchinterval(min(_SAVED, seconds))
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                sys.setswitchinterval(_SAVED)


def in_background(fn: Callable[..., T], *args: object) -> Future[T]:
    """fn(*args) on the worker thread; .result() waits for it (and re-raises its exception)."""
    return _WORKER.submit(fn, *args)
