"""Replays the fuzz corpus (``fuzz/corpus/``) through both fuzz targets: diagnostics only, never an exception.

The corpus holds the seeds and the inputs atheris found interesting or that once crashed; replaying
them on every test run keeps fixed bugs fixed without running the fuzzer (see ``fuzz/fuzz_build.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
CORPUS = sorted((FUZZ / "corpus").iterdir())


def _targets():
    spec = importlib.util.spec_from_file_location("glossator_fuzz_targets", FUZZ / "targets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


targets = _targets()


@pytest.fixture(scope="module")
def scratch():
    folder = targets.Scratch()
    yield folder
    folder.remove()


def test_the_corpus_is_kept():
    assert len(CORPUS) >= 15


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_input_ends_in_diagnostics_or_a_build(path: Path, scratch):
    data = path.read_bytes()
    targets.load_target(scratch, data)
    targets.build_target(scratch, data)


def test_an_input_is_a_text_and_an_annotation_file():
    assert targets.split(b"text\n%%%%\nyaml") == (b"text", b"yaml")
    text, annotations = targets.split(b"- id: a")
    assert annotations == b"- id: a" and text.startswith(b"---\ntitle:")
