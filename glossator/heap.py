"""Freed memory kept for the next text, instead of handed back to the system and asked for again.

Compiling texts one after another frees and asks again for the same few megabytes (each page's
HTML, its tokens' strings). glibc's malloc hands memory freed at the top of its heap back to the
system as soon as more than 128 KB is free there, and then faults it in again, a page at a time:
about 40 page faults a text, 3% of a cold build's time. Keeping some padding at the top of the heap
stops that. The setting is process-wide, so the command line sets it (not the library), and the
worker processes a build starts do too.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

TOP_PAD = 16 * 2**20
"""Bytes malloc keeps at the top of its heap beyond what is in use (glibc's ``M_TOP_PAD``)."""
_M_TOP_PAD = -2
"""``mallopt``'s parameter number for the padding (``malloc.h``)."""


def keep_freed_memory() -> bool:
    """Have malloc keep :data:`TOP_PAD` bytes of freed memory for reuse; whether it could (Linux C libraries)."""
    mallopt = _mallopt()
    return mallopt is not None and mallopt(_M_TOP_PAD, TOP_PAD) == 1


def _mallopt() -> Callable[[int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return None
