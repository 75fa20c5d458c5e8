"""Pause Python's cyclic garbage collector while building many small objects.

Reading 100,000 lanes or building a model with 400,000 nonzeros allocates
millions of containers that all stay alive, and the collector's full passes
re-traverse every one of them: on capa that is a third of the build time.
None of these objects form cycles, so nothing is lost by collecting once at
the end instead (Pyomo pauses its collector while building for the same reason).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
