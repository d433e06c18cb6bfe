#!/usr/bin/env python3
"""Coverage-guided fuzzing of the loader (reading, YAML, schema, front matter) with atheris (libFuzzer).

    fuzz/fuzz_load.py NEW_CORPUS fuzz/corpus -dict=fuzz/glossator.dict -max_total_time=60

How to run it, and what to keep: fuzz/harness.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fuzz  # noqa: E402 - found through the line above

if __name__ == "__main__":
    fuzz("load_target")
