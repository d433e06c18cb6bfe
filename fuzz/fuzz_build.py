#!/usr/bin/env python3
"""Coverage-guided fuzzing of the whole in-memory build with atheris (libFuzzer).

    fuzz/fuzz_build.py NEW_CORPUS fuzz/corpus -dict=fuzz/glossator.dict -max_total_time=60

libFuzzer writes inputs that reach new code into the first folder (keep the repository's corpus
second, so that it is only read) and a crashing input to ``crash-*`` (see ``-artifact_prefix``).
The script must stay executable: libFuzzer re-runs it for ``-merge`` and ``-fork``. Inputs worth
keeping go into fuzz/corpus/, which tests/security/test_fuzz_corpus.py replays on every test run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fuzz  # noqa: E402 - found through the line above

if __name__ == "__main__":
    fuzz("build_target")
