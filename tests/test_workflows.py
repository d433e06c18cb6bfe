"""The pull-request and publishing workflows, the pre-commit hook and the review checklist, checked offline."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, dedent, front

WORKFLOWS = REPO / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
PAGES = WORKFLOWS / "pages.yml"
OFFLINE = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
"""An environment in which any download would fail, to prove that validation needs none."""


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", ())]


def validate_workflows(*paths: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("check_jsonschema")
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
    command += [str(path) for path in paths]
    return subprocess.run(command, capture_output=True, text=True, env=OFFLINE, timeout=120)


def test_workflows_match_githubs_schema_offline():
    result = validate_workflows(*sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(PULL_REQUEST.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    result = validate_workflows(broken)
    assert result.returncode == 1
    assert "runs_on" in result.stdout


def test_no_workflow_runs_untrusted_code_with_write_access():
    for path in WORKFLOWS.glob("*.yml"):
        workflow = load(path)
        assert "pull_request_target" not in workflow["on"], path
        assert workflow["permissions"] == {"contents": "read"}, path
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, path
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


def test_pull_requests_are_checked_for_github_annotations_tested_built_and_previewed():
    workflow = load(PULL_REQUEST)
    assert "pull_request" in workflow["on"]
    runs = [step.get("run", "") for step in steps(workflow)]
    assert "python build.py check --strict --format github" in runs
    assert "python build.py build --strict --format github" in runs
    assert "bash .ci/run" in runs  # the project's CI: installs Chromium and the test extras, runs pytest
    upload = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_pushes_to_the_default_branch_deploy_to_pages_with_least_permissions():
    workflow = load(PAGES)
    assert workflow["on"]["push"] == {"branches": ["main"]}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert "actions/upload-pages-artifact" in uses
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    built = next(step for step in build["steps"] if step.get("run", "").startswith("python build.py build"))
    assert "--strict" in built["run"]
    assert built["env"]["GLOSSATOR_BASE_URL"] == "${{ steps.pages.outputs.base_url }}"


def test_pre_commit_files_are_valid_for_pre_commit():
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    checks = (("validate-config", ".pre-commit-config.yaml"), ("validate-manifest", ".pre-commit-hooks.yaml"))
    for command, path in checks:
        result = subprocess.run(["pre-commit", command, path], cwd=REPO, capture_output=True, text=True, env=OFFLINE)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", [".pre-commit-config.yaml", ".pre-commit-hooks.yaml"])
def test_the_hook_runs_check_on_texts_and_annotations_only(name):
    data = yaml.safe_load((REPO / name).read_text())
    (hook,) = data["repos"][0]["hooks"] if name == ".pre-commit-config.yaml" else data
    assert hook["entry"].endswith(" check") and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("content/t.md", "annotations/t/notes.yaml", "annotations/t/notes.yml", "templates/page.html"):
        assert files.search(path), path
    for path in ("README.md", "tests/test_cli.py", "site/index.html"):
        assert not files.search(path), path


def test_the_local_hook_blocks_a_commit_with_a_lost_quote(tmp_path):
    if shutil.which("pre-commit") is None or shutil.which("git") is None:
        pytest.skip("pre-commit and git are needed to run the hook")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "t.md").write_text(front("T") + "Alpha beta gamma.\n")
    (tmp_path / "annotations" / "t").mkdir(parents=True)
    note = tmp_path / "annotations" / "t" / "n.yaml"
    note.write_text(
        dedent("""
        - id: n
          kind: footnote
          quote: beta gamma
          sources:
            - title: S
              url: https://example.org/
    """)
    )
    shutil.copy(REPO / ".pre-commit-config.yaml", tmp_path)
    scripts = str(Path(sys.executable).parent)  # where `pip install -e .` put the `glossator` command
    env = {**OFFLINE, "PATH": scripts + os.pathsep + os.environ["PATH"], "PRE_COMMIT_HOME": str(tmp_path / ".cache")}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    hook = ["pre-commit", "run", "--all-files"]
    assert subprocess.run(hook, cwd=tmp_path, capture_output=True, text=True, env=env).returncode == 0
    note.write_text(note.read_text().replace("beta gamma", "beta gama"))
    result = subprocess.run(hook, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "annotations/t/n.yaml:3:10: error: quote not found in content/t.md" in result.stdout


def test_the_pull_request_template_carries_the_review_checklist_of_contributing():
    template = (REPO / ".github" / "pull_request_template.md").read_text()
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    checklist = re.findall(r"^- \[ \] \*\*(\w[\w ]*)\*\*", template, re.MULTILINE)
    assert checklist == ["Accuracy", "Sources", "Neutrality", "Own words"]
    for item in checklist:
        assert f"**{item}**" in contributing
