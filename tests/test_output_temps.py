"""Temporaries made without mkstemp (batch's pending files, the commit's links): named for the sweep,
created exclusively, with a normal file's permissions; a taken name is passed over."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker import output
from checker.output import TEMP_MARK, Output, commit, create_temp


def test_a_temporary_is_named_for_the_sweep_and_has_a_normal_files_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        fd, tmp = create_temp(tmp_path / "report.json")
    finally:
        os.umask(old)
    os.close(fd)
    assert tmp.parent == tmp_path and tmp.name.startswith(f".report.json{TEMP_MARK}") and tmp.suffix == ".tmp"
    assert oct(tmp.stat().st_mode & 0o777) == oct(0o644)


def test_a_taken_name_is_passed_over_and_never_replaced(tmp_path, monkeypatch):
    names = iter([b"\x00" * 6, b"\x00" * 6, b"\x01" * 6, b"\x00" * 6, b"\x00" * 6, b"\x02" * 6])
    monkeypatch.setattr(output.os, "urandom", lambda n: next(names))
    fd, first = create_temp(tmp_path / "a.json")
    os.write(fd, b"first")
    os.close(fd)
    fd, second = create_temp(tmp_path / "a.json")  # the first name is taken: the next one is used
    os.close(fd)
    assert first != second and first.read_bytes() == b"first"
    staged = tmp_path / "staged"
    staged.write_bytes(b"report")
    commit([Output(tmp_path / "a.json", staged=staged)])  # its link skips the taken name too
    assert (tmp_path / "a.json").read_bytes() == b"report" and first.read_bytes() == b"first"


def test_no_free_name_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setattr(output.os, "urandom", lambda n: b"\x00" * n)
    fd, _ = create_temp(tmp_path / "a.json")
    os.close(fd)
    with pytest.raises(FileExistsError):
        create_temp(tmp_path / "a.json")
    staged = tmp_path / "staged"
    staged.write_bytes(b"report")
    with pytest.raises(output.CheckerError, match="cannot write the output"):
        commit([Output(tmp_path / "a.json", staged=staged)])
    assert not (tmp_path / "a.json").exists()


def test_a_commit_into_one_folder_creates_it_once_and_keeps_links_and_inputs_safe(tmp_path):
    staged = []
    for i in range(5):
        f = tmp_path / f"s{i}"
        f.write_bytes(b"%d" % i)
        staged.append(f)
    target = tmp_path / "deep" / "reports"
    (tmp_path / "other").write_bytes(b"keep")
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "reports").mkdir()
    Path(target / "r0").symlink_to(tmp_path / "other")  # a link is replaced, what it names stays
    commit([Output(target / f"r{i}", staged=s) for i, s in enumerate(staged)])
    assert [(target / f"r{i}").read_bytes() for i in range(5)] == [b"0", b"1", b"2", b"3", b"4"]
    assert not (target / "r0").is_symlink() and (tmp_path / "other").read_bytes() == b"keep"
    with pytest.raises(output.CheckerError, match="one of the input files"):
        commit([Output(target / "r1", b"x")], inputs=[target / "r1"])
    assert (target / "r1").read_bytes() == b"1"


def test_a_staged_file_already_in_place_leaves_no_temporary(tmp_path):
    staged = tmp_path / "staged"
    staged.write_bytes(b"report")
    os.link(staged, tmp_path / "a.json")  # an interrupted commit renamed it already
    commit([Output(tmp_path / "a.json", staged=staged)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "staged"]
    assert output.temp_target(f".a.json{TEMP_MARK}0123456789ab.tmp") == "a.json"
    assert output.temp_target(f".a.json{TEMP_MARK}dead.tmp") is None


def test_a_file_open_in_excel_is_said_to_be_open_and_kept(tmp_path, monkeypatch):
    """On Windows a summary open in Excel cannot be replaced (WinError 32); the run said only 'cannot write
    the output: The process cannot access the file ...', which reads as a permissions problem. It now says
    to close it in the other program, names it, and the file keeps what it held."""
    from checker.model import CheckerError

    target = tmp_path / "summary-excel.csv"
    target.write_text("kept", encoding="utf-8")

    def in_use(src, dst):
        exc = PermissionError(13, "The process cannot access the file because it is being used by another "
                                  "process")
        exc.winerror = 32  # as Windows sets it
        raise exc

    monkeypatch.setattr(output.os, "replace", in_use)
    with pytest.raises(CheckerError) as caught:
        commit([Output(target, "new")])
    assert "open in another program (Excel?)" in str(caught.value) and caught.value.file == str(target)
    assert target.read_text(encoding="utf-8") == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["summary-excel.csv"]
