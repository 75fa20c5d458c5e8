"""Let freed memory go back to the system while HiGHS solves (glibc only; elsewhere a no-op).

glibc's malloc raises its mmap threshold each time a large block is freed, up to
32 MiB, so that later large blocks come from the heap instead; freed heap space
is then kept by the process. HiGHS builds and drops whole LP copies, factors and
presolved sub-MIPs of the model while it solves. On the largest benchmark
instance (30 countries x 300 candidates x 11 years x 8 scenarios) the process
peaked at 4.9 GB, of which 1.4 GB was freed memory malloc had kept: with the
threshold held at glibc's own starting value, 128 KiB, the same solve peaked at
3.5 GB. (A 1 MiB threshold kept 0.15 GB more, and was no faster: 309 s against 317 s.)
Mapping and unmapping costs time where HiGHS allocates many large blocks, as in a
long branch-and-bound: OR-Library capa at 14000 solved in 49.2 s instead of 43.7 s.
planner.solving.engine therefore asks for it only for models of a million nonzeros and more.
Arenas are capped at one per core (glibc's default is eight per core), so that
threads do not each hold freed space in their own.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
THRESHOLD = 128 << 10  # glibc's initial mmap threshold, no longer raised

_done = False


def return_freed_memory() -> bool:
    """Hold malloc's thresholds at 128 KiB and its arenas at one per core, once per process; True if applied."""
    global _done
    if _done or not sys.platform.startswith("linux"):
        return _done
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to tune
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = all(mallopt(p, v) == 1 for p, v in ((M_MMAP_THRESHOLD, THRESHOLD), (M_TRIM_THRESHOLD, THRESHOLD)))
    mallopt(M_ARENA_MAX, max(2, os.cpu_count() or 2))
    _done = ok
    return ok


# From this size on, memory rather than speed is what runs short. Below it glibc's default is
# faster: OR-Library capa at 14000 (0.4 M nonzeros, a long branch-and-bound) solved in 43.7 s by
# default, 49.2 s with the tuning.
LARGE_MODEL_NONZEROS = 1_000_000


def tune_for_size(nonzeros: int) -> bool:
    """Hand freed memory back (return_freed_memory) for a model of LARGE_MODEL_NONZEROS and more."""
    return nonzeros >= LARGE_MODEL_NONZEROS and return_freed_memory()
