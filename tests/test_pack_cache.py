"""The compiled-pack cache: reused across loads, never trusted when a pack file it was built from changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker import packs
from checker.engine import evaluate
from checker.model import Document

BASE = """pack: base
title: Base
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  board: [board]
rules:
  - id: R-BOARD
    title: Board
    citation: x
    severity: error
    message: m
    guidance: g
    match: {sentence: {all: [board]}}
"""
CHILD = """pack: child
title: Child
version: "1"
extends: base.yaml
"""


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CYDCHECK_CACHE_DIR", str(folder))
    return folder


def compiles(monkeypatch) -> list[str]:
    """Record each real compilation."""
    calls: list[str] = []
    real = packs.compile_pack

    def spy(data, name, *args):
        calls.append(Path(name).name)
        return real(data, name, *args)

    monkeypatch.setattr(packs, "compile_pack", spy)
    return calls


def statuses(pack, text="The board oversees it."):
    return [r.status for r in evaluate(pack, Document(text=text)).results]


def test_a_pack_is_compiled_once_and_then_read_from_the_cache(tmp_path, cache, monkeypatch):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    calls = compiles(monkeypatch)
    first = packs.load_pack(tmp_path / "base.yaml")
    second = packs.load_pack(tmp_path / "base.yaml")
    assert calls == ["base.yaml"]
    assert len(list(cache.glob("*.pack"))) == 1
    assert statuses(first) == statuses(second) == ["met"]


def test_a_changed_pack_or_base_is_compiled_again(tmp_path, cache, monkeypatch):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "child.yaml").write_text(CHILD, encoding="utf-8")
    calls = compiles(monkeypatch)
    assert statuses(packs.load_pack(tmp_path / "child.yaml")) == ["met"]
    # The base (read through `extends`) changes: the child's entry is stale.
    (tmp_path / "base.yaml").write_text(BASE.replace("board: [board]", "board: [committee]"), encoding="utf-8")
    assert statuses(packs.load_pack(tmp_path / "child.yaml")) == ["missing"]
    (tmp_path / "child.yaml").write_text(CHILD + "disable: [R-BOARD]\n", encoding="utf-8")
    assert statuses(packs.load_pack(tmp_path / "child.yaml")) == []
    assert calls == ["child.yaml"] * 3
    packs.load_pack(tmp_path / "child.yaml")
    assert calls == ["child.yaml"] * 3


@pytest.mark.parametrize("damage", ["truncate", "wrong key", "garbage"])
def test_a_damaged_or_foreign_entry_is_a_miss_not_an_error(tmp_path, cache, monkeypatch, damage):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    packs.load_pack(tmp_path / "base.yaml")
    entry, = cache.glob("*.pack")
    raw = entry.read_bytes()
    header, body = raw.split(b"\n", 1)
    entry.write_bytes({"truncate": raw[: len(header) + 10],
                       "wrong key": header.replace(b'"key": "', b'"key": "0') + b"\n" + body,
                       "garbage": b"\x00\xff not a cache entry"}[damage])
    calls = compiles(monkeypatch)
    assert statuses(packs.load_pack(tmp_path / "base.yaml")) == ["met"]
    assert calls == ["base.yaml"]


class _Planted:
    """A pickle that leaves a file behind when it is loaded: code run from a cache entry."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _plant(entry: Path, marker: Path) -> None:
    """Keep the entry's valid header, put a pickle that runs code after it (what another user could write)."""
    import pickle

    header = entry.read_bytes().split(b"\n", 1)[0]
    entry.write_bytes(header + b"\n" + pickle.dumps(_Planted(marker)))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
@pytest.mark.parametrize("shared", ["folder writable by others", "entry writable by others", "entry of another user"])
def test_an_entry_others_could_have_written_is_never_unpickled(tmp_path, cache, monkeypatch, shared):
    # CYDCHECK_CACHE_DIR set to a folder shared on a multi-user machine: an entry with a valid header is a
    # pickle, and unpickling it runs whatever its writer put in it. Only the user's own private entries load.
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    packs.load_pack(tmp_path / "base.yaml")
    entry, = cache.glob("*.pack")
    marker = tmp_path / "code-ran"
    _plant(entry, marker)
    if shared == "folder writable by others":
        cache.chmod(0o777)
    elif shared == "entry writable by others":
        entry.chmod(0o664)
    elif os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    else:
        os.chown(entry, 65534, -1)
    calls = compiles(monkeypatch)
    assert statuses(packs.load_pack(tmp_path / "base.yaml")) == ["met"]
    assert not marker.exists(), "a cache entry others could write was unpickled"
    assert calls == ["base.yaml"]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_the_cache_folder_is_made_private(tmp_path, cache):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    packs.load_pack(tmp_path / "base.yaml")
    assert cache.stat().st_mode & 0o777 == 0o700
    entry, = cache.glob("*.pack")
    assert entry.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_cache_folder_of_the_users_own_made_under_umask_002_is_tightened_and_used(tmp_path, cache, monkeypatch):
    # Made by an earlier version with a umask of 002 (Ubuntu's for users), the folder was 0775: not private, so
    # every run was a miss and compiled every pack, silently. It is the user's own: it is made 0700 and used.
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    cache.mkdir(parents=True, exist_ok=True)
    cache.chmod(0o775)
    calls = compiles(monkeypatch)
    packs.load_pack(tmp_path / "base.yaml")
    assert cache.stat().st_mode & 0o777 == 0o700
    packs.load_pack(tmp_path / "base.yaml")
    assert calls == ["base.yaml"]  # the second load came from the cache


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CYDCHECK_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    calls = compiles(monkeypatch)
    packs.load_pack(tmp_path / "base.yaml")
    packs.load_pack(tmp_path / "base.yaml")
    assert calls == ["base.yaml"] * 2
    assert not (tmp_path / "xdg").exists()


def test_an_unwritable_cache_folder_costs_only_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CYDCHECK_CACHE_DIR", str(blocker / "cache"))
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    assert statuses(packs.load_pack(tmp_path / "base.yaml")) == ["met"]


def test_check_in_a_loop_compiles_the_pack_once(monkeypatch, tmp_path):
    import checker
    from checker import api

    monkeypatch.setattr(api, "_SHARED", {})
    loads: list[str] = []
    real = api.load_pack

    def counting(ref, *args):
        loads.append(str(ref))
        return real(ref, *args)

    monkeypatch.setattr(api, "load_pack", counting)
    for _ in range(3):
        report = checker.check("Our board oversees cybersecurity risk.")
    assert loads == ["sk-106"]
    assert report.pack_id == "sk-106"
    # A pack given by path is watched: changed on disk, it is compiled again.
    pack = tmp_path / "base.yaml"
    pack.write_text(BASE, encoding="utf-8")
    assert [r.status for r in checker.check("The board.", pack=pack).results] == ["met"]
    pack.write_text(BASE.replace("board: [board]", "board: [committee]"), encoding="utf-8")
    assert [r.status for r in checker.check("The board.", pack=pack).results] == ["missing"]


def test_a_pack_built_without_the_prefilter_is_not_reused_with_it(tmp_path, cache, monkeypatch):
    from checker import prefilter

    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    calls = compiles(monkeypatch)
    with monkeypatch.context() as m:
        m.setattr(prefilter, "hyperscan", None)
        assert packs.load_pack(tmp_path / "base.yaml").scanner is None
    packs.load_pack(tmp_path / "base.yaml")
    # With Hyperscan installed the second load is another build (another entry), not the first one reused.
    assert calls == ["base.yaml"] * (2 if prefilter.available() else 1)
    assert len(list(cache.glob("*.pack"))) == (2 if prefilter.available() else 1)


def test_a_changed_learned_weights_file_is_compiled_again(tmp_path, cache, monkeypatch):
    # The compiled pack carries the weights it read: new weights beside the same YAML are a new pack.
    shipped = packs.builtin_rules_dir()
    for name in ("sk-106.yaml", "sk-106.learned.json"):
        (tmp_path / name).write_bytes((shipped / name).read_bytes())
    calls = compiles(monkeypatch)
    first = packs.load_pack(tmp_path / "sk-106.yaml")
    packs.load_pack(tmp_path / "sk-106.yaml")
    assert calls == ["sk-106.yaml"]
    weights = tmp_path / "sk-106.learned.json"
    weights.write_text(weights.read_text(encoding="utf-8").replace('"version"', '"version" ', 1), encoding="utf-8")
    second = packs.load_pack(tmp_path / "sk-106.yaml")
    assert calls == ["sk-106.yaml"] * 2
    assert first.learned is not None and second.learned is not None


def test_the_shared_checker_watches_pack_files_in_subfolders_and_only_those(tmp_path):
    from checker import api

    nested = tmp_path / "more" / "deeper.yml"
    nested.parent.mkdir()
    nested.write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "top.yaml").write_text("b: 2\n", encoding="utf-8")
    before = api._stamp([tmp_path, tmp_path / "missing"])
    assert [Path(p).name for p, _, _ in before] == ["top.yaml", "deeper.yml"]
    (tmp_path / "notes.txt").write_text("changed", encoding="utf-8")
    assert api._stamp([tmp_path]) == before
    nested.write_text("a: 22\n", encoding="utf-8")
    assert api._stamp([tmp_path]) != before
