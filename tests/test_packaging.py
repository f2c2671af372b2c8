"""The wheel carries what the installed CLI reads, and the sdist what the suite reads."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import checker
from checker.config import tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def package_folder(package: str) -> Path:
    """The source folder setuptools builds `package` from (its package-dir mapping, else its dotted path)."""
    mapped = SETUPTOOLS.get("package-dir", {}).get(package)
    return ROOT / (mapped if mapped else package.replace(".", "/"))


def shipped(path: Path) -> bool:
    """Whether a file beside the modules is named by its package's package-data."""
    for package in SETUPTOOLS["packages"]:
        if path.parent == package_folder(package):
            globs = SETUPTOOLS.get("package-data", {}).get(package, [])
            return any(fnmatch.fnmatch(path.name, g) for g in globs)
    return False


def data_files() -> list[Path]:
    """Every file the installed package reads beside its modules: the packs, templates, schemas and data."""
    found = [p for folder in ("rules", "templates", "checker") for p in (ROOT / folder).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    return sorted(p for p in found if p.suffix != ".py")


def test_every_python_folder_is_a_listed_package():
    folders = {p.parent for p in (ROOT / "checker").rglob("*.py") if "__pycache__" not in p.parts}
    listed = {package_folder(p) for p in SETUPTOOLS["packages"]}
    assert sorted(str(f.relative_to(ROOT)) for f in folders - listed) == []


def test_the_packs_templates_and_data_are_package_data():
    assert package_folder("checker.data.rules") == ROOT / "rules"
    assert package_folder("checker.data.templates") == ROOT / "templates"
    assert [str(p.relative_to(ROOT)) for p in data_files() if not shipped(p)] == []


def test_the_sdist_carries_what_the_suite_reads():
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split("\n")
    for folder in ("rules", "templates", "samples", "docs", "tests", "bench"):
        assert f"graft {folder}" in manifest, folder
    included = {w for line in manifest if line.startswith("include ") for w in line.split()[1:]}
    assert {"LICENSE", "README.md", "action.yml", ".pre-commit-hooks.yaml"} <= included


def test_the_license_is_an_spdx_expression_with_its_file():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_the_version_is_written_once():
    # pyproject.toml's own "0.1.0" beside checker.__version__ (what --version prints) could drift apart
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert SETUPTOOLS["dynamic"]["version"] == {"attr": "checker.__version__"}


def _setuptools_builds_it() -> bool:
    """Whether the installed setuptools meets the build requirement (the wheel is then built offline)."""
    try:
        import setuptools
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 77


@pytest.mark.skipif(not _setuptools_builds_it(), reason="setuptools>=77 (the test extra) not installed")
def test_the_built_wheel_checks_a_sample_from_another_folder(tmp_path):
    src, out = tmp_path / "src", tmp_path / "dist"  # built from a copy: setuptools writes build/ beside it
    for name in ("checker", "rules", "templates"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(src)], check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = out.glob("cydcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert wheel.name.startswith(f"cydcheck-{checker.__version__}-")
    for p in data_files():
        rel = p.relative_to(ROOT)
        inside = ("checker/data/" + str(rel)) if rel.parts[0] in ("rules", "templates") else str(rel)
        assert inside in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("import sys; site = sys.argv.pop(1); sys.path.insert(0, site); import checker, checker.cli; "
             "assert checker.__file__.startswith(site), checker.__file__; checker.cli.main()")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYDCHECK_")}
    env["CYDCHECK_CACHE_DIR"] = "off"
    done = subprocess.run([sys.executable, "-c", probe, str(site), "check", "-f", "html",
                           str(ROOT / "samples" / "draft-10k-1c-complete.md")],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "<html" in done.stdout and "SK106-B1-PROCESS" in done.stdout
