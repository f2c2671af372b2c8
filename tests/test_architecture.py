"""The architecture docs/extending.md states, checked on the code: data flows one way (readers, then the
engine, then renderers), renderers only render, the engine knows no rule by name, no import circles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "checker"
# what evaluates a document: a reader or a renderer that loads one of these runs against the flow
EVALUATION = ("checker.api", "checker.engine", "checker.packs", "checker.conditions", "checker.evaluate",
              "checker.learned", "checker.training", "checker.prefilter")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _load_time_imports() -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports when it is loaded (its top-level
    imports; not those inside functions, made on first use, nor those under `if TYPE_CHECKING:`)."""
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in files else target)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m in files and m != name}
    return graph


def test_no_import_circle_at_load_time():
    graph = _load_time_imports()
    state: dict[str, int] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                pytest.fail("import circle: " + " -> ".join([*path[path.index(dep):], dep]))
            if dep not in state:
                visit(dep, (*path, dep))
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, (name,))


def _loaded_by(module: str) -> list[str]:
    """The evaluation modules importing `module` loads, in a fresh interpreter."""
    code = (f"import sys, {module}\n"
            f"print('\\n'.join(m for m in sys.modules if m.startswith({EVALUATION!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.split()


FILES = {_module(p): p for p in PACKAGE.rglob("*.py")}
READERS = sorted(m for m in FILES if m.startswith("checker.ingest"))
RENDERERS = sorted(m for m in FILES if m.startswith("checker.report"))


@pytest.mark.parametrize("module", READERS + RENDERERS)
def test_readers_and_renderers_load_no_evaluation_code(module):
    assert _loaded_by(module) == []


@pytest.mark.parametrize("module", RENDERERS)
def test_a_renderer_writes_no_file(module):
    # a renderer returns its text or bytes; the CLI writes every output together (checker.output.commit)
    tree = ast.parse(FILES[module].read_text(encoding="utf-8"))
    called = {n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
              for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not called & {"commit", "write_text", "write_bytes"}, module


def _shipped_rule_ids() -> set[str]:
    ids: set[str] = set()
    for pack in (ROOT / "rules").glob("*.yaml"):
        ids |= {r["id"] for r in yaml.safe_load(pack.read_text(encoding="utf-8")).get("rules", [])}
    return ids


ENGINE = ["engine.py", "packs.py", "vocab.py", "prefilter.py", "segment.py", "learned.py",
          *(f"conditions/{p.name}" for p in (PACKAGE / "conditions").glob("*.py"))]


@pytest.mark.parametrize("name", ENGINE)
def test_the_engine_knows_no_rule_by_name(name):
    # the strings of its code, not its comments: a rule's id there would decide for the pack
    tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    named = sorted(i for i in _shipped_rule_ids() if any(i in s for s in strings))
    assert named == [], f"{name} names {named}"


@pytest.mark.parametrize("module", ["checker.api", "checker.engine", "checker.packs", "checker.conditions",
                                    "checker.sections", "checker.evaluate"])
def test_the_engine_loads_no_renderer_and_no_command(module):
    code = (f"import sys, {module}\n"
            "print('\\n'.join(m for m in sys.modules if m.startswith(('checker.report', 'checker.cli'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == []
