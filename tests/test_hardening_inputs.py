"""Bad inputs through the real entry point: one line on stderr naming the file and exit 2, or a finding."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_main
from test_ingest import W_NS, _para, _run, make_docx

from checker.model import CheckerError

BOARD = "The Audit Committee of our Board of Directors oversees cybersecurity risk and receives reports."


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """cydcheck's console entry point (checker.cli:main) in-process: exit code, stdout, stderr."""
    return run_main(capsys, *args)


def _forbid(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, said: str) -> None:
    """Make `owner.name` fail the test with `said` if it is called: what a refusal must come before."""
    def called(*args: object, **kwargs: object) -> None:
        raise AssertionError(said)

    monkeypatch.setattr(owner, name, called)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">'
           + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
           + b']><w:document xmlns:w="' + W_NS.encode() + b'"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>'
           b"</w:body></w:document>")

# EDGAR's inline XBRL viewer (sec.gov/ix?doc=...) as "Save Page As, HTML only" keeps it: its menus and a
# noscript line, the filing being fetched by the script afterwards
_VIEWER_SHELL = (
    b'<?xml version="1.0" encoding="UTF-8" ?><html xmlns="http://www.w3.org/1999/xhtml"><head lang="en">'
    b'<title>Inline Viewer</title></head><body><noscript>This application relies heavily on JavaScript, you '
    b'will need to allow JavaScript to use this application.</noscript><nav><a>Menu</a><a>Information</a>'
    b'<a>Save XBRL Instance</a><a>Open as HTML</a><a>Sections</a></nav><input placeholder="Search Facts"/>'
    b'<div id="dynamic-xbrl-form" class="position-relative"></div></body></html>')


BAD_FILES = {
    # name: (content, what the error says)
    "empty.txt": (b"", "the file is empty"),
    "blank.md": (b"  \n\t\r\n   \n", "the file is empty"),
    # a Word save or a cloud sync that failed leaves 0 bytes: said so, not "not a zip archive"
    "empty.docx": (b"", "the file is empty (0 bytes)"),
    "empty.pdf": (b"", "the file is empty (0 bytes)"),
    "empty.htm": (b"", "the file is empty (0 bytes)"),
    "empty.json": (b"", "the file is empty (0 bytes)"),
    "nul.txt": (b"Board\x00\x01\x02" * 20, "binary"),
    "scan.txt": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "binary"),
    "filing.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "cannot read the PDF"),
    "filing.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF is read as one when its name ends in .pdf"),
    "controls.txt": (b"\x81\x8d\x8f\x90\x9d" * 60, "cannot decode"),
    "notzip.docx": (b"This is a text file renamed to .docx", "not a zip archive"),
    "bomb.docx": (_zip({"word/document.xml": b"<a>" + b" " * 3_000_000 + b"</a>"}), "refusing to unpack"),
    "laughs.docx": (_zip({"word/document.xml": _LAUGHS}), "not valid XML"),
    "nobody.docx": (_zip({"word/other.xml": b"<a/>"}), "no word/document.xml"),
    "hidden.html": (b"<html><body><script>var board;</script><div style='display:none'>x</div></body></html>",
                    "no visible text"),
    "deep.html": (b"<html><body>" + b"<font>" * 2100 + BOARD.encode() + b"</body></html>", "nested too deeply"),
    # the filing's index page saved from EDGAR instead of its 10-K: a list of documents, not twelve gaps
    "0000320193-24-000123-index.htm": (
        b'<html><head><title>EDGAR Filing Documents for 0000320193-24-000123</title></head><body>'
        b'<div id="formName"><strong>Form 10-K</strong> - Annual report</div>'
        b'<table class="tableFile" summary="Document Format Files"><tr><th>Seq</th><th>Description</th>'
        b'<th>Document</th><th>Type</th></tr><tr><td>1</td><td>10-K</td><td><a href="/Archives/edgar/data/'
        b'320193/000032019324000123/aapl-20240928.htm">aapl-20240928.htm</a></td><td>10-K</td></tr></table>'
        b'</body></html>',
        "an EDGAR filing index page (the list of the filing's documents), not the filing: open the 10-K "
        "document it lists, aapl-20240928.htm, and save that"),
    # EDGAR's inline XBRL viewer page saved instead of the filing: a script's shell, not twelve gaps
    "ix-viewer.htm": (
        _VIEWER_SHELL,
        "EDGAR's inline XBRL viewer page, which loads the filing by script and does not hold it: open the "
        "filing itself (the viewer's Menu > Open as HTML), and save that"),
    "ix-viewer-saved.htm": (
        b"<!-- saved from url=(0093)https://www.sec.gov/ix?doc=/Archives/edgar/data/320193/"
        b"000032019324000123/aapl-20240928.htm -->\n" + _VIEWER_SHELL,
        "EDGAR's inline XBRL viewer page, which loads the filing by script and does not hold it: open the "
        "filing itself, https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/aapl-20240928.htm, "
        "and save that"),
    "nofield.json": (json.dumps({"title": "Item 1C", "form": "10-K"}).encode(), "no text field"),
    "blankbody.json": (json.dumps({"body_markdown": "   "}).encode(), "empty text field"),
    "number.json": (b"42", "must be an object"),
    "nolist.json": (b"[]", "no JSON records"),
    "deep.json": (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    "broken.json": (b'{"text": "Board oversees', "invalid JSON"),
    "empty.jsonl": (b"\n\n", "no JSON records"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_is_one_line_naming_the_file_and_exit_2(tmp_path, capsys, name):
    content, phrase = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, str(path), phrase)
    assert out == ""


def test_the_viewer_saved_with_the_filing_it_showed_is_read_as_that_filing(tmp_path, capsys):
    # "Save Page As, complete" keeps the filing the script put into the page: that page is read, not refused
    filing = (f"<p>Item 1C. Cybersecurity</p><p>{BOARD}</p>" * 30).encode()
    page = _VIEWER_SHELL.replace(b'class="position-relative"></div>', b'class="position-relative">' + filing
                                 + b"</div>")
    path = tmp_path / "ix-viewer-complete.htm"
    path.write_bytes(page)
    code, out, err = run_cli(["check", str(path), "-f", "json"], capsys)
    assert err == "" and code in (0, 1)
    assert any(r["status"] == "met" for r in json.loads(out)["results"])


def _many_parts(count: int) -> bytes:
    """A small .docx followed by `count` empty parts: a few MB whose zip directory alone would take
    hundreds of bytes of memory per part to load."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body>{_para(_run(BOARD))}'
                                        "</w:body></w:document>")
        for n in range(count):
            z.writestr(f"{n:x}", b"")
    return buf.getvalue()


@pytest.mark.parametrize("name", ["parts.docx", "parts.txt"])
def test_a_zip_listing_a_huge_number_of_parts_is_refused_before_its_directory_is_loaded(tmp_path, capsys,
                                                                                        monkeypatch, name):
    # 50 MB of empty parts (about 600,000) cost 325 MB of memory to list: the reader refuses the archive
    # from its end record, before the directory is read into Python objects.
    from checker import ingest

    path = tmp_path / name
    path.write_bytes(_many_parts(40_000))
    code, _, err = run_cli(["check", str(path)], capsys)
    phrase = "refusing to unpack: the archive lists more parts" if name.endswith(".docx") else "a zip archive"
    assert_one_line_error(code, err, str(path), phrase)

    _forbid(monkeypatch, zipfile, "ZipFile", "the archive's directory was loaded")
    with pytest.raises(CheckerError):
        ingest.load(str(path))


@pytest.mark.parametrize("name", ["many.md", "many.htm"])
def test_a_section_of_more_sentences_than_any_disclosure_is_refused_before_the_rules_run(tmp_path, capsys,
                                                                                       monkeypatch, name):
    # 1,400,000 one-letter paragraphs are 4 MB of Markdown but cost 1.8 GB and a minute to evaluate (about
    # 1.2 kB a sentence): a 45 MB one would exhaust the machine. No Item 1C, 16K or 1.05 comes near the limit.
    from checker import engine

    count = 60_000
    body = ("x\n\n" * count) if name.endswith(".md") else ("<p>Yes.</p>" * count)
    text = (f"# Item 1C. Cybersecurity\n\n{BOARD}\n\n{body}" if name.endswith(".md")
            else f"<html><body><p>Item 1C. Cybersecurity</p><p>{BOARD}</p>{body}</body></html>")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    _forbid(monkeypatch, engine, "evaluate_rule", "the rules ran")
    code, out, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, str(path), "sentences (the limit is 50,000): no disclosure is that long")
    assert "the section holds 60,0" in err


def test_html_of_far_more_tags_than_a_filing_of_its_size_is_refused_before_it_is_parsed(tmp_path, capsys,
                                                                                         monkeypatch):
    # 45 MB of "<p>x</p>" (11 million tags; filings hold about one per 55 bytes) took 183 s and 4.3 GB: the
    # tags are counted first, one per 25 bytes of the size limit allowed (here 1,000,000 bytes: 40,000)
    from lxml import etree

    monkeypatch.setenv("CYDCHECK_MAX_BYTES", "1000000")
    path = tmp_path / "tags.htm"
    path.write_text("<html><body><p>Item 1C. Cybersecurity</p>" + "<p>x</p>" * 25_000 + "</body></html>",
                    encoding="utf-8")

    _forbid(monkeypatch, etree, "fromstring", "the HTML was parsed")
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, str(path), "refusing to read the HTML: it holds 50,006 tags (the limit "
                                                "is 40,000, one per 25 bytes of the 1,000,000-byte size limit)")


def test_a_word_part_of_far_more_tags_than_its_size_allows_is_refused_before_it_is_parsed(tmp_path, capsys,
                                                                                          monkeypatch):
    # a 3 MB .docx whose document.xml holds a million three-letter paragraphs took 71 s and 1.1 GB before the
    # section was refused as too long: its tags are counted first, as an HTML file's are
    from lxml import etree

    monkeypatch.setenv("CYDCHECK_MAX_BYTES", "1000000")
    path = tmp_path / "dense.docx"
    path.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": (
        f'<w:document xmlns:w="{W_NS}"><w:body>' + _para(_run("Item 1C. Cybersecurity"))
        + "".join(_para(_run(f"w{i % 997}")) for i in range(12_000)) + "</w:body></w:document>").encode()}))

    _forbid(monkeypatch, etree, "fromstring", "the XML was parsed")
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, str(path), "refusing to read word/document.xml: it holds")
    assert "tags (the limit is 40,000, one per 25 bytes of the 1,000,000-byte size limit)" in err


@pytest.mark.parametrize("records, where", [
    ([{"text": BOARD}, {"title": "no body"}], "[1]"),
    ([{"text": BOARD}, "a string"], "[1]"),
])
def test_a_bad_record_in_a_list_is_named_by_its_index(tmp_path, capsys, records, where):
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, f"{path}{where}", "record")


def test_a_bad_jsonl_line_is_named_by_its_line_number(tmp_path, capsys):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"text": BOARD}) + "\n" + json.dumps({"id": 7}) + "\n", encoding="utf-8")
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, f"{path}:2:", "no text field")


def test_a_directory_without_inputs(tmp_path, capsys):
    # A folder is walked for inputs (issue 16); one holding none is still a one-line error naming it.
    code, _, err = run_cli(["check", str(tmp_path)], capsys)
    assert_one_line_error(code, err, str(tmp_path), "no input files")


def test_a_file_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "draft-v2.md"
    code, _, err = run_cli(["check", str(missing)], capsys)
    assert_one_line_error(code, err, str(missing), "no such file")


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_unreadable_file(tmp_path, capsys):
    """Root reads any file, and CI runs as root: there the real command runs as 'nobody' (setpriv)."""
    if os.geteuid() != 0:
        path = tmp_path / "locked.md"
        path.write_text(BOARD, encoding="utf-8")
        path.chmod(0)
        try:
            code, _, err = run_cli(["check", str(path)], capsys)
        finally:
            path.chmod(0o644)
        assert_one_line_error(code, err, str(path), "permission denied")
        return
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test an unreadable file as root"
    folder = Path(tempfile.mkdtemp(prefix="cydcheck-perm-"))
    try:
        folder.chmod(0o755)
        path = folder / "locked.md"
        path.write_text(BOARD, encoding="utf-8")
        path.chmod(0)
        script = Path(sys.executable).parent / "cydcheck"
        done = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", str(script),
                               "check", str(path)], capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(folder)
    assert_one_line_error(done.returncode, done.stderr, str(path), "permission denied")


def test_empty_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _, err = run_cli(["check", "-"], capsys)
    assert_one_line_error(code, err, "<stdin>", "empty")


def test_a_newline_in_the_file_name_keeps_the_error_on_one_line(tmp_path, capsys):
    path = tmp_path / "draft\nfinal.txt"
    path.write_bytes(b"")
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, "draft\\nfinal.txt", "the file is empty")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "html", "markdown", "github"])
def test_a_file_name_that_is_not_utf8_reaches_every_report(fmt, tmp_path, capsysbinary):
    # "r\xe9sum\xe9.md" from an old Windows zip: every report written to a file, and SARIF on standard
    # output, ended in "internal error: UnicodeEncodeError ... surrogates not allowed", exit 3
    from checker.cli import main

    folder = tmp_path / "drafts"
    folder.mkdir()
    name = os.fsdecode(b"r\xe9sum\xe9.md")
    (folder / name).write_text(BOARD, encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    for output in (["-o", str(out)], []):
        with pytest.raises(SystemExit) as exc:
            main(["check", str(folder), "-f", fmt, "--fail-on", "never", *output])
        printed, err = capsysbinary.readouterr()
        assert exc.value.code in (0, None), err
        written = out.read_bytes() if output else printed
        # its own bytes; percent-encoded in a URI; in XML, which cannot hold them, replaced
        assert any(f in written for f in (b"r\xe9sum\xe9.md", b"r%E9sum%E9.md", "r\ufffdsum\ufffd.md".encode()))


def test_a_batch_over_a_file_name_that_is_not_utf8_checks_it(tmp_path, capsys):
    # the same file in a batch: "1 failed", its row "internal error: UnicodeEncodeError"
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / os.fsdecode(b"r\xe9sum\xe9.md")).write_text(BOARD, encoding="utf-8")
    code, _, err = run_cli(["batch", str(folder), "--out", str(tmp_path / "out"), "--html", "--jobs", "1",
                            "--fail-on", "never"], capsys)
    assert code == 0 and "1 checked, 0 already done, 0 failed" in err, err


# ---------------------------------------------------------------- the size limit


def test_size_limit_is_configurable_and_names_the_file(tmp_path, capsys, monkeypatch):
    path = tmp_path / "draft.md"
    path.write_text(BOARD, encoding="utf-8")
    size = path.stat().st_size
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", str(size - 1))
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, str(path), f"larger than the {size - 1:,}-byte limit")
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", str(size))  # the limit itself is allowed
    code, out, err = run_cli(["check", str(path), "--format", "json", "--fail-on", "never"], capsys)
    assert code == 0 and err == "" and json.loads(out)["document"]["source"] == str(path)


def test_default_size_limit_is_50_mb_read_without_loading_the_file(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CYDCHECK_MAX_BYTES", raising=False)
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # a sparse file: the size is checked before anything is read
        fh.truncate(50 * 1024 * 1024 + 1)
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, str(path), "larger than the 50 MB limit")


@pytest.mark.parametrize("value", ["lots", "-5", "0", "1e6"])
def test_a_bad_size_limit_setting_is_a_usage_error(tmp_path, capsys, monkeypatch, value):
    path = tmp_path / "draft.md"
    path.write_text(BOARD, encoding="utf-8")
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", value)
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, "CYDCHECK_MAX_BYTES", value)


# ---------------------------------------------------------------- inputs that are a finding, not an error


def _json_report(args: list[str], capsys) -> dict:
    code, out, err = run_cli(["check", *args, "--pack", "sk-106", "--format", "json", "--fail-on", "never"],
                             capsys)
    assert code == 0 and "Traceback" not in err, err
    return json.loads(out)


def _quotes(report: dict) -> list[str]:
    return [e["text"] for r in report["results"] for e in r["evidence"]]


def test_invalid_utf8_falls_back_to_cp1252_and_is_checked(tmp_path, capsys):
    # Decision: bytes that are not UTF-8 are read as cp1252 (older EDGAR text), then latin-1.
    path = tmp_path / "legacy.txt"
    path.write_bytes(f"Item 1C. Cybersecurity\n\n{BOARD} Soci\u00e9t\u00e9\u2019s CISO leads it.\n"
                     .encode("cp1252"))
    report = _json_report([str(path)], capsys)
    assert any("Audit Committee" in q for q in _quotes(report))
    code, out, _ = run_cli(["extract", str(path)], capsys)
    assert code == 0 and "Soci\u00e9t\u00e9\u2019s CISO leads it." in out


def test_malformed_html_is_read_as_a_browser_would_and_checked(tmp_path, capsys):
    page = ("<html><body><h2>Item 1C. Cybersecurity<p>" + BOARD.replace("Board", "<b>Board</i>")
            + "</table></td><p>Our CISO &nbsp;&bogus; reports <font size=2>quarterly.</div></body>")
    path = tmp_path / "broken.html"
    path.write_text(page, encoding="utf-8")
    report = _json_report([str(path)], capsys)
    assert any("Board of Directors oversees cybersecurity risk" in q for q in _quotes(report))


def test_docx_external_entities_are_not_resolved(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    document = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
                f'<w:document xmlns:w="{W_NS}"><w:body>'
                + _para(_run("Item 1C. Cybersecurity")) + _para(_run(BOARD + " &x;"))
                + "</w:body></w:document>")
    path = tmp_path / "draft.docx"
    path.write_bytes(_zip({"word/document.xml": document.encode()}))
    code, out, err = run_cli(["check", str(path), "--format", "json", "--fail-on", "never"], capsys)
    assert code == 0 and "TOP-SECRET" not in out + err


def test_a_docx_with_no_text_is_an_error(tmp_path, capsys):
    path = tmp_path / "blank.docx"
    path.write_bytes(make_docx([_para(_run("   ")), _para("")], numbering=None))
    code, _, err = run_cli(["check", str(path)], capsys)
    assert_one_line_error(code, err, str(path), "no text")


# ---------------------------------------------------------------- the installed command, end to end


def cydcheck_command() -> list[str]:
    script = Path(sys.executable).with_name("cydcheck")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from checker.cli import main; main()"]


def test_the_console_script_reports_bad_inputs_in_one_line_each(tmp_path):
    for name in ("nul.txt", "notzip.docx", "deep.json"):
        (tmp_path / name).write_bytes(BAD_FILES[name][0])
        done = subprocess.run([*cydcheck_command(), "check", name], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and name in done.stderr and "Traceback" not in done.stderr
