"""Folder walks: which files of a folder `check` reads, and which it leaves out with a note."""

from __future__ import annotations

import csv
import plistlib
import shutil
import unicodedata
from pathlib import Path

from cli_helpers import assert_one_line_error, run_main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _draft_and_its_copy(tmp_path: Path, capsys) -> tuple[Path, Path, Path]:
    """A folder holding a Word draft and the copy with the findings `check -o` wrote beside it."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    draft = drafts / "item-1c.docx"
    shutil.copy(SAMPLES / "draft-10k-1c-deficient.docx", draft)
    copy = drafts / "item-1c-checked.docx"
    assert run_main(capsys, "check", str(draft), "-o", str(copy))[0] == 1
    return drafts, draft, copy


def test_a_copy_with_the_findings_beside_its_draft_is_not_checked_again(tmp_path: Path, capsys) -> None:
    """Counsel wrote the Word copy with comments beside the draft (`check drafts/x.docx -o
    drafts/x-checked.docx`), then ran the folder gate: the draft was checked twice, its gaps counted twice
    ("checked 2 files: 16 open gaps"). The copy beside its draft is left out with a note; named, it is checked."""
    drafts, draft, copy = _draft_and_its_copy(tmp_path, capsys)
    code, out, err = run_main(capsys, "check", str(drafts), "-q")
    assert code == 1
    assert str(copy) not in out and str(draft) in out
    assert out.count("10-K Item 1C — pack sk-106") == 1
    note = next(ln for ln in err.splitlines() if "item-1c-checked.docx" in ln)
    assert note.startswith("cydcheck: note: ") and "item-1c.docx" in note.replace("item-1c-checked.docx", "")
    code, out, _ = run_main(capsys, "check", str(copy), "-q")
    assert str(copy) in out  # named, it is checked


def test_batch_leaves_out_a_copy_with_the_findings_beside_its_draft(tmp_path: Path, capsys) -> None:
    """The same folder given to `batch` (its own walk): the copy was a second filing in summary.csv, its
    gaps counted twice on the dashboard. It is left out, and the run's note says so."""
    drafts, draft, copy = _draft_and_its_copy(tmp_path, capsys)
    code, _, err = run_main(capsys, "batch", str(drafts), "--out", str(tmp_path / "out"))
    with (tmp_path / "out" / "summary.csv").open(encoding="utf-8-sig") as fh:
        sources = [row["source"] for row in csv.DictReader(fh)]
    assert sources == [str(draft)], err
    assert "item-1c-checked.docx" in err and "left out" in err


def test_every_unreadable_file_of_a_folder_is_named_in_the_one_error(tmp_path: Path, capsys) -> None:
    """A folder gate stopped at the first file it could not read (exit 2, naming it); mended and run again, it
    stopped at the next. All of them are named in the one line, and nothing is checked."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(SAMPLES / "draft-10k-1c-deficient.md", drafts / "a-good.md")
    (drafts / "b-broken.docx").write_bytes(b"not a zip archive at all")
    (drafts / "c-broken.pdf").write_bytes(b"%PDF-1.7 nothing more")
    code, out, err = run_main(capsys, "check", str(drafts))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("cydcheck: error: 2 inputs could not be read"), err
    assert "b-broken.docx" in err and "c-broken.pdf" in err and "Traceback" not in err


def test_word_documents_of_other_word_suffixes_in_a_folder_are_named_as_not_checked(tmp_path: Path,
                                                                                    capsys) -> None:
    """A macro-enabled draft (`Item 1C (v3).docm`) or a Word template (`.dotx`) beside the .docx drafts was
    passed over in silence (`checked 1 file: no open gap`), as if the folder held no other draft."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(SAMPLES / "draft-10k-1c-complete.md", drafts / "item-1c.md")
    for name in ("Item 1C (v3).docm", "House style.dotx", "Old style.dotm", "Older style.dot"):
        shutil.copy(SAMPLES / "draft-10k-1c-deficient.docx", drafts / name)
    code, out, err = run_main(capsys, "check", str(drafts), "-q")
    assert code == 0 and "4 documents of a type cydcheck does not read" in err
    assert "Item 1C (v3).docm" in err and "House style.dotx" in err


def _icloud_placeholder(folder: Path, name: str) -> Path:
    """What iCloud Drive leaves of a file it has not downloaded: '.NAME.icloud', a binary property list."""
    placeholder = folder / f".{name}.icloud"
    placeholder.write_bytes(plistlib.dumps({"NSURLNameKey": name, "NSURLFileSizeKey": 24576},
                                           fmt=plistlib.FMT_BINARY))
    return placeholder


def test_a_draft_in_icloud_drive_not_downloaded_is_named_not_passed_over(tmp_path: Path, capsys) -> None:
    """A folder in iCloud Drive whose 'CISO draft v3.docx' was not downloaded ('.CISO draft v3.docx.icloud')
    was checked as if it held the other draft alone: the CISO's draft went unread in silence."""
    drafts = tmp_path / "FY2026 10-K"
    drafts.mkdir()
    shutil.copy(SAMPLES / "draft-10k-1c-complete.md", drafts / "item-1c.md")
    _icloud_placeholder(drafts, "CISO draft v3.docx")
    _icloud_placeholder(drafts, "Board photo.jpg")  # not a draft: passed over
    code, out, err = run_main(capsys, "check", f"{drafts}/", "-q")
    assert code == 0 and err.count("\n") == 1, err
    assert "1 file in iCloud Drive not downloaded to this Mac" in err and "CISO draft v3.docx" in err
    assert ".icloud" not in err and "Board photo" not in err
    (drafts / "item-1c.md").unlink()
    code, out, err = run_main(capsys, "check", f"{drafts}/")
    assert code == 2 and "no input files" in err and "CISO draft v3.docx" in err, err


def test_an_exclude_pattern_typed_with_accents_leaves_out_a_name_a_mac_wrote_decomposed(tmp_path: Path,
                                                                                       capsys) -> None:
    """An exclude pattern typed as 'Ébauche*' in .cydcheck.yaml named nothing in a folder
    whose file a Mac wrote decomposed ('E\u0301bauche 1C.md'): the old draft was checked with the others."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(SAMPLES / "draft-10k-1c-complete.md", drafts / "item-1c.md")
    shutil.copy(SAMPLES / "draft-10k-1c-deficient.md", drafts / unicodedata.normalize("NFD", "Ébauche 1C.md"))
    (tmp_path / ".cydcheck.yaml").write_text('exclude: ["Ébauche*"]\n', encoding="utf-8")
    code, out, err = run_main(capsys, "check", f"{drafts}/", "-q", "--config", str(tmp_path / ".cydcheck.yaml"))
    assert code == 0 and "bauche" not in out + err, out + err


def test_a_pages_or_textedit_document_kept_as_a_folder_is_one_unread_document(tmp_path: Path, capsys) -> None:
    """An older Pages document is a folder Finder shows as one file: the walk went in and checked its
    QuickLook/Preview.pdf as a draft ('Old.pages/QuickLook/Preview.pdf: 7 gaps'), named its index.xml.gz and a
    TextEdit .rtfd's TXT.rtf as documents, and the bundle given by name was 'no input files in this folder'."""
    drafts = tmp_path / "Legal"
    (drafts / "Old.pages" / "QuickLook").mkdir(parents=True)
    shutil.copy(SAMPLES / "draft-10k-1c-deficient.pdf", drafts / "Old.pages" / "QuickLook" / "Preview.pdf")
    (drafts / "Old.pages" / "index.xml.gz").write_bytes(b"\x1f\x8b\x08\x00")
    (drafts / "Notes.rtfd").mkdir()
    (drafts / "Notes.rtfd" / "TXT.rtf").write_text("{\\rtf1\\ansi Item 1C}", encoding="utf-8")
    shutil.copy(SAMPLES / "draft-10k-1c-complete.md", drafts / "item-1c.md")
    code, out, err = run_main(capsys, "check", f"{drafts}/", "--format", "json")
    assert code == 0 and "Preview.pdf" not in out + err and "TXT.rtf" not in err and "index.xml" not in err, err
    assert err.count("\n") == 2 and "2 documents of a type cydcheck does not read" in err, err
    assert f"{drafts}/Notes.rtfd" in err and f"{drafts}/Old.pages" in err
    for bundle, said in (("Old.pages", "a Pages document"), ("Notes.rtfd", "a TextEdit document")):
        code, _, err = run_main(capsys, "check", f"{drafts / bundle}/")
        assert_one_line_error(code, err, bundle, said)
        assert "(.docx)" in err
