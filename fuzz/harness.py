"""What both fuzzing scripts do: instrument glossator and its parsers, then fuzz one target of targets.py.

    fuzz/fuzz_build.py NEW_CORPUS fuzz/corpus -dict=fuzz/glossator.dict -max_total_time=60

libFuzzer writes inputs that reach new code into the first folder (keep the repository's corpus
second, so that it is only read) and a crashing input to ``crash-*`` (see ``-artifact_prefix``).
The script must stay executable: libFuzzer re-runs it for ``-merge`` and ``-fork``. Inputs worth
keeping go into fuzz/corpus/, which tests/security/test_fuzz_corpus.py replays on every test run.
"""

from __future__ import annotations

import sys

import atheris

INSTRUMENTED = ["glossator", "markdown_it", "mdit_py_plugins", "jinja2", "yaml", "targets"]
"""The modules whose branches guide the fuzzer."""


def fuzz(target_name: str) -> None:
    """Run libFuzzer (arguments from ``sys.argv``) on ``targets.<target_name>`` with a scratch folder."""
    with atheris.instrument_imports(
        include=["glossator", "markdown_it", "mdit_py_plugins", "jinja2", "yaml", "targets"]
    ):
        import targets

    scratch = targets.Scratch()
    target = getattr(targets, target_name)
    atheris.Setup(sys.argv, lambda data: target(scratch, data))
    try:
        atheris.Fuzz()
    finally:
        scratch.remove()
