"""CI integrations. pre-commit, tried as a new user would: a git repository of drafts, the hook blocks a
deficient draft. And the GitHub Action's check step, run as the runner would.

Offline: the hooks use `language: system` (the cydcheck installed in this environment), once copied
from the shipped .pre-commit-hooks.yaml into a `repo: local` configuration and committed through a
real git hook, once read from this checkout by `pre-commit try-repo`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("pre_commit")

ROOT = Path(__file__).resolve().parent.parent
HOOK_ID = "cydcheck-system"

PACK = r"""
pack: tiny
title: Tiny test pack
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  board: ['board']
  cyber: ['cyber\w*']
rules:
  - id: T-BOARD
    title: Board oversight
    citation: "test (c)(1)"
    severity: error
    message: No board oversight.
    guidance: Say how the board oversees cyber risk.
    match: {sentence: {all: [board, cyber]}}
"""
GOOD = "Item 1C. Cybersecurity\n\nThe board oversees cybersecurity risk.\n"
DEFICIENT = "Item 1C. Cybersecurity\n\nWe sell shoes.\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def shipped_hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == HOOK_ID)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A fresh git repository with a project configuration (the tiny pack) and a drafts folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"),
        HOME=str(tmp_path / "home"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Drafter", GIT_AUTHOR_EMAIL="drafter@example.com",
        GIT_COMMITTER_NAME="Drafter", GIT_COMMITTER_EMAIL="drafter@example.com",
    )
    (tmp_path / "home").mkdir()
    work = tmp_path / "filings"
    (work / "drafts").mkdir(parents=True)
    (work / "tiny.yaml").write_text(PACK, encoding="utf-8")
    (work / ".cydcheck.yaml").write_text("pack: tiny.yaml\n", encoding="utf-8")
    git(work, env, "init", "-q", "-b", "main")
    return work, env


def git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)


def pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_commit_of_a_deficient_draft_is_blocked(repo) -> None:
    work, env = repo
    config = {"repos": [{"repo": "local", "hooks": [shipped_hook()]}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    installed = pre_commit(work, env, "install")
    assert installed.returncode == 0, installed.stderr
    git(work, env, "add", ".")
    git(work, env, "commit", "-q", "-m", "project setup")  # no draft yet: the hook has nothing to check

    (work / "drafts" / "item-1c.md").write_text(DEFICIENT, encoding="utf-8")
    git(work, env, "add", "drafts/item-1c.md")
    blocked = subprocess.run(["git", "commit", "-m", "deficient draft"], cwd=work, env=env,
                             capture_output=True, text=True, timeout=300)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "Failed" in output and "NOT MET  T-BOARD" in output and "T-BOARD" in output
    assert git(work, env, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    (work / "drafts" / "item-1c.md").write_text(GOOD, encoding="utf-8")
    git(work, env, "add", "drafts/item-1c.md")
    passed = subprocess.run(["git", "commit", "-m", "good draft"], cwd=work, env=env, capture_output=True,
                            text=True, timeout=300)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(work, env, "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_hook_ignores_files_outside_the_drafts_folders(repo) -> None:
    work, env = repo
    config = {"repos": [{"repo": "local", "hooks": [shipped_hook()]}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (work / "README.md").write_text("# Our filings\n\nWe sell shoes.\n", encoding="utf-8")
    git(work, env, "add", ".")
    result = pre_commit(work, env, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no files to check" in result.stdout.lower()


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_try_repo_runs_the_shipped_hook_from_the_local_path(repo) -> None:
    work, env = repo
    (work / "drafts" / "bad.md").write_text(DEFICIENT, encoding="utf-8")
    (work / "drafts" / "good.md").write_text(GOOD, encoding="utf-8")
    git(work, env, "add", ".")
    bad = pre_commit(work, env, "try-repo", str(ROOT), HOOK_ID, "--files", "drafts/bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "T-BOARD" in bad.stdout
    good = pre_commit(work, env, "try-repo", str(ROOT), HOOK_ID, "--files", "drafts/good.md")
    assert good.returncode == 0, good.stdout + good.stderr


# ---------------------------------------------------------------- the GitHub Action's check step


def action_step(step_id: str) -> dict:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    return next(s for s in action["runs"]["steps"] if s.get("id") == step_id)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_action_check_step_writes_sarif_annotations_and_exit_code(repo, tmp_path: Path) -> None:
    """The composite action's own script, run as the runner would (inputs in the environment)."""
    work, env = repo
    (work / "drafts" / "nested").mkdir()
    (work / "drafts" / "nested" / "bad.md").write_text(DEFICIENT, encoding="utf-8")
    (work / "drafts" / "good.md").write_text(GOOD, encoding="utf-8")
    outputs = tmp_path / "github_output"
    env = dict(env, PATHS="drafts/**/*.md\n", FAIL_ON="", PACK="", CONFIG="", SARIF="cydcheck.sarif",
               RUNNER_TEMP=str(tmp_path), GITHUB_OUTPUT=str(outputs))
    step = action_step("check")
    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr  # the step records the code; a later step fails the job
    assert "exit-code=1" in outputs.read_text(encoding="utf-8").splitlines()
    assert run.stdout.startswith("::error file=drafts/nested/bad.md,")
    assert "T-BOARD" in run.stdout and "good.md: 1 met" in run.stdout
    sarif = json.loads((work / "cydcheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    env["PATHS"] = "nowhere/*.md"
    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=env, capture_output=True, text=True)
    assert "no file matches" in run.stdout
    assert outputs.read_text(encoding="utf-8").splitlines()[-1] == "exit-code=2"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_action_fail_on_review_input_reaches_the_check(repo, tmp_path: Path) -> None:
    """fail-on-review: true fails the job on a met element marked for review; false overrides the config."""
    work, env = repo
    (work / ".cydcheck.yaml").write_text("pack: sk-106\nselect: [SK106-B1III-PROVIDERS]\nfail-on: warning\n",
                                         encoding="utf-8")
    (work / "drafts" / "engaged.md").write_text(
        "Item 1C. Cybersecurity\n\nIn addition, the Company engaged a third-party vendor, along with an in-house "
        "system administrator, to service the Company's information systems.\n",
        encoding="utf-8")
    outputs = tmp_path / "github_output"
    step = action_step("check")

    def exit_code(review: str) -> str:
        run_env = dict(env, PATHS="drafts/engaged.md", FAIL_ON="", FAIL_ON_REVIEW=review, PACK="", CONFIG="",
                       SARIF="cydcheck.sarif", RUNNER_TEMP=str(tmp_path), GITHUB_OUTPUT=str(outputs))
        run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=run_env, capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return outputs.read_text(encoding="utf-8").split("exit-code=")[-1].split()[0]

    assert exit_code("") == "0"  # met, marked for review: passes by default
    assert exit_code("true") == "1"
    (work / ".cydcheck.yaml").write_text("pack: sk-106\nselect: [SK106-B1III-PROVIDERS]\nfail-on: warning\n"
                                         "fail-on-review: true\n", encoding="utf-8")
    assert exit_code("") == "1" and exit_code("false") == "0"


def _run_check_step(work: Path, env: dict[str, str], tmp_path: Path, paths: str) -> tuple[subprocess.CompletedProcess,
                                                                                           dict[str, str]]:
    """The action's check step on `paths`; its outputs as the runner would read them (the last value wins)."""
    outputs = tmp_path / "github_output"
    outputs.write_text("", encoding="utf-8")
    run_env = dict(env, PATHS=paths, FAIL_ON="", FAIL_ON_REVIEW="", PACK="", CONFIG="", SARIF="cydcheck.sarif",
                   RUNNER_TEMP=str(tmp_path), GITHUB_OUTPUT=str(outputs))
    run = subprocess.run(["bash", "-e", "-c", action_step("check")["run"]], cwd=work, env=run_env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = outputs.read_text(encoding="utf-8").splitlines()
    return run, dict(line.split("=", 1) for line in lines)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_action_a_pattern_that_matches_nothing_fails_even_beside_others(repo, tmp_path: Path) -> None:
    """paths: 'draft/**/*.md drafts/**/*.md' (a typo in one folder) must not check the others and pass."""
    work, env = repo
    (work / "drafts" / "good.md").write_text(GOOD, encoding="utf-8")
    run, outputs = _run_check_step(work, env, tmp_path, "draft/**/*.md drafts/**/*.md")
    assert outputs["exit-code"] == "2"
    assert "::error title=cydcheck::no file matches: draft/**/*.md" in run.stdout
    assert "drafts/**/*.md" not in run.stdout.replace("no file matches: draft/**/*.md", "")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_action_an_input_error_shows_no_report_or_sarif_of_an_earlier_run(repo, tmp_path: Path) -> None:
    """Two uses of the action in one job share RUNNER_TEMP and the default SARIF name: when the second exits
    2 (an empty draft), the first one's text report is not printed as its own, nor its SARIF uploaded."""
    work, env = repo
    (work / "drafts" / "bad.md").write_text(DEFICIENT, encoding="utf-8")
    run, outputs = _run_check_step(work, env, tmp_path, "drafts/bad.md")
    assert outputs["exit-code"] == "1" and "T-BOARD" in run.stdout and outputs["sarif-path"]
    (work / "drafts" / "empty.md").write_text("", encoding="utf-8")
    run, outputs = _run_check_step(work, env, tmp_path, "drafts/empty.md")
    assert outputs["exit-code"] == "2"
    assert "T-BOARD" not in run.stdout, run.stdout
    assert "sarif-path" not in outputs and "sarif-file" not in outputs
