"""Safari's web archives (.webarchive) of a filing: read as the page they saved, or refused in one line."""

from __future__ import annotations

import plistlib
import shutil
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_main
from conftest import FIXTURES

import checker

FILING = FIXTURES / "ingest" / "adbe-2023-10k-cut.htm"
_EDGAR = "https://www.sec.gov/Archives/edgar/data/796343/000079634324000010/adbe-20231201.htm"


def _resource(data: bytes, url: str, mime: str = "text/html") -> dict:
    return {"WebResourceData": data, "WebResourceMIMEType": mime, "WebResourceTextEncodingName": "UTF-8",
            "WebResourceURL": url, "WebResourceFrameName": ""}


def _webarchive(path: Path, main: dict, subresources: tuple[dict, ...] = ()) -> Path:
    """What Safari's File > Save As > Web Archive writes: a binary property list of the page's resources."""
    path.write_bytes(plistlib.dumps({"WebMainResource": main, "WebSubresources": list(subresources)},
                                    fmt=plistlib.FMT_BINARY))
    return path


def _verdicts(report: checker.Report) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {r.rule: (r.status, tuple(e.text for e in r.evidence)) for r in report.results}


def test_a_safari_web_archive_of_a_filing_is_checked_as_the_filing(tmp_path: Path, capsys) -> None:
    """A 10-K saved from EDGAR in Safari as a Web Archive was 'a binary file, not text', and a folder holding
    one passed over it without a word; now it is read as the page it saved: the same findings as the .htm."""
    raw = FILING.read_bytes()
    archive = _webarchive(tmp_path / "adbe-20231201.htm.webarchive", _resource(raw, _EDGAR))
    from_archive = checker.Checker().check_path(archive)[0]
    from_htm = checker.Checker().check_path(FILING)[0]
    assert _verdicts(from_archive) == _verdicts(from_htm)
    assert from_archive.document.form == from_htm.document.form and from_archive.document.source == str(archive)
    folder = tmp_path / "FY2026 10-K"
    folder.mkdir()
    shutil.move(archive, folder / archive.name)
    code, out, err = run_main(capsys, "check", f"{folder}/", "--format", "json")
    assert code in (0, 1) and archive.name in out and "not checked" not in err, err


def test_a_web_archive_of_edgars_inline_viewer_reads_the_filing_it_shows(tmp_path: Path, capsys) -> None:
    """EDGAR opens a 10-K in its inline XBRL viewer (/ix?doc=...): the archive's main page is the viewer's
    script, the filing a resource it fetched."""
    viewer = _resource(b"<html><body><div id='app'>Loading...</div><script src='x.js'></script></body></html>",
                       "https://www.sec.gov/ix?doc=/Archives/edgar/data/796343/000079634324000010/adbe-20231201.htm")
    archive = _webarchive(tmp_path / "viewer.webarchive", viewer, (_resource(FILING.read_bytes(), _EDGAR),))
    assert _verdicts(checker.Checker().check_path(archive)[0]) == _verdicts(checker.Checker().check_path(FILING)[0])
    alone = _webarchive(tmp_path / "viewer-only.webarchive", viewer)
    code, _, err = run_main(capsys, "check", str(alone))
    assert_one_line_error(code, err, "viewer-only.webarchive", "EDGAR's inline XBRL viewer")


@pytest.mark.parametrize(("raw", "said"), [
    (b"bplist00\x00\x01garbage", "not a Safari web archive"),
    (plistlib.dumps({"WebMainResource": _resource(b"\x89PNG", "https://x/a.png", "image/png")},
                    fmt=plistlib.FMT_BINARY), "a page of type image/png"),
    (plistlib.dumps(["not", "an", "archive"], fmt=plistlib.FMT_BINARY), "not a Safari web archive"),
])
def test_a_web_archive_that_holds_no_page_to_read_is_a_one_line_error(raw: bytes, said: str, tmp_path: Path,
                                                                      capsys) -> None:
    path = tmp_path / "Item 1C.webarchive"
    path.write_bytes(raw)
    code, _, err = run_main(capsys, "check", str(path))
    assert_one_line_error(code, err, str(path), said)
    assert "File > Save As" in err
