"""`cydcheck serve`: the real server on a free loopback port, driven over HTTP and by a headless Chromium.

The server runs as its own process (`cydcheck serve --port 0`) with TMPDIR pointed at a test folder, so
the tests see every file it leaves behind, and its peak memory (VmHWM) is read from /proc.
Skipped where the `serve` extra (or, for the browser tests, Chromium and chromedriver) is missing,
except in CI (CI=true), where `.ci/run` installs them and their absence is a failure.
"""

from __future__ import annotations

import base64
import concurrent.futures
import html
import http.client
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from cli_helpers import plan_pack, run_main
from conftest import FIXTURES, ROOT
from report_samples import parse_html
from test_ingest_formats import _docx, paragraphs  # noqa: F401 - the fixture, for the Word draft

from checker import __version__, ingest, peer_examples
from checker.diff import diff_reports
from checker.report import copy_with_findings, render

SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".md", ".json", ".pdf"))
EDGAR = FIXTURES / "ingest" / "mcd-2023-10k-cut.htm"
MB = 1024 * 1024
IN_CI = os.environ.get("CI") == "true"


def _need(module: str):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        if IN_CI:
            pytest.fail(f"{module} is required in CI (.ci/run installs the 'serve' extra)")
        pytest.skip(f"{module} is not installed (pip install 'cydcheck[serve]')")


# ---------------------------------------------------------------- the server process


class Server:
    """`cydcheck serve --port 0` in its own process; its temporary folder is `tmp`."""

    def __init__(self, tmp: Path, *args: str):
        _need("checker.serve")
        self.tmp = tmp
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        for name in ("SOURCE_DATE_EPOCH", "CYDCHECK_MAX_BYTES"):
            env.pop(name, None)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from checker.cli import main; main()", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        line = self.proc.stdout.readline()
        found = re.search(r"http://(\[[0-9a-f:]+\]|[0-9.]+):(\d+)/", line)
        if not found:
            self.proc.kill()
            raise AssertionError(f"the server did not start: {line!r} {self.proc.stderr.read()[-2000:]}")
        self.url = found.group(0)
        self.port = int(found.group(2))

    def peak_kb(self) -> int:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.tmp.iterdir())

    def stop(self) -> str:
        self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("serve-tmp"))
    yield s
    err = s.stop()
    assert "Traceback" not in err, err[-3000:]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A fresh server for the hostile uploads, so its peak memory reflects only them."""
    s = Server(tmp_path_factory.mktemp("hostile-tmp"))
    yield s
    err = s.stop()
    assert "Traceback" not in err, err[-3000:]


def multipart(fields: dict[str, str], file: tuple[str, bytes] | None = None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    if file is not None:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file[0]}"\r\n'
                  'Content-Type: application/octet-stream\r\n\r\n'.encode())
        out.write(file[1] + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def request(port: int, method: str, path: str, body=None, headers: dict[str, str] | None = None,
            chunked: bool = False) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8")
    finally:
        conn.close()


def post(port: int, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> tuple[int, str]:
    body, ctype = multipart(fields, file)
    status, _, page = request(port, "POST", "/check", body, {"Content-Type": ctype})
    return status, page


def report_of(page: str) -> str:
    """The report the page shows: its iframe's srcdoc, unescaped, with its links within it as in the file
    (the frame has them as 'about:srcdoc#id', the only form a srcdoc frame follows in place)."""
    frame = next(n for n in parse_html(page).iter("iframe") if n.attrs.get("id") == "report")
    assert 'href="#' not in frame.attrs["srcdoc"]
    return frame.attrs["srcdoc"].replace('href="about:srcdoc#', 'href="#')


def statuses_in(report_html: str) -> dict[str, str]:
    return {tr.attrs["data-rule"]: tr.attrs["data-status"]
            for tr in parse_html(report_html).iter("tr") if "data-rule" in tr.attrs}


def error_of(page: str) -> str:
    return next(n.text for n in parse_html(page).iter("p") if n.attrs.get("id") == "error")


def downloads_of(page: str) -> dict[str, str]:
    """The text downloads under the report, by format (a Word or PDF copy's bytes are left to download_bytes)."""
    return {fmt: data.decode("utf-8") for fmt, (_, data) in download_bytes(page).items()
            if fmt not in ("docx", "pdf")}


def download_bytes(page: str) -> dict[str, tuple[str, bytes]]:
    """Every download under the report, by format: its file name and its bytes."""
    out = {}
    for a in parse_html(page).iter("a"):
        if (a.attrs.get("id") or "").startswith("download-"):
            head, data = a.attrs["href"].split(",", 1)
            assert head.endswith(";base64") and a.attrs.get("download")
            out[a.attrs["id"][len("download-"):]] = (a.attrs["download"], base64.b64decode(data))
    return out


def expected(checker, path: Path, monkeypatch) -> list:
    """What `cydcheck check NAME` gives, run beside the file (so the source is the bare file name), with
    the peer examples the CLI puts under each gap."""
    monkeypatch.chdir(path.parent)
    return peer_examples.attach(checker.check_path(path.name))


# ---------------------------------------------------------------- the page over HTTP


def test_page_is_a_plain_form_under_a_strict_policy(server):
    status, headers, page = request(server.port, "GET", "/")
    assert status == 200
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "form-action 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    dom = parse_html(page)
    form = next(dom.iter("form"))
    assert (form.attrs["method"], form.attrs["action"], form.attrs["enctype"]) == \
        ("post", "/check", "multipart/form-data")
    inputs = {i.attrs.get("name"): i.attrs.get("type") for i in dom.iter("input")}
    assert inputs["file"] == "file" and inputs["previous"] == "hidden"
    assert [s.attrs["src"] for s in dom.iter("script")] == ["/serve.js"]  # no inline or external script
    links = [n.attrs.get(a) for n in dom.iter() for a in ("src", "href") if n.attrs.get(a)]
    assert not [u for u in links if "//" in u]  # no external assets
    status, headers, script = request(server.port, "GET", "/serve.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and "drop" in script


def _title(page: str) -> str:
    return next(parse_html(page).iter("title")).text


def test_each_answer_is_titled_with_what_it_is(server):
    """The title is what a screen reader says first of a page: every answer was titled as the empty form,
    'cydcheck: check a cybersecurity disclosure', a report and an error alike."""
    form = "cydcheck: check a cybersecurity disclosure"
    assert _title(request(server.port, "GET", "/")[2]) == form
    _, page = post(server.port, {"form": "auto"}, ("q3-draft.md", b"Item 1C. Cybersecurity\n\nThe board oversees it."))
    assert _title(page) == f"Gap report: q3-draft.md — {form}"
    _, page = post(server.port, {"form": "auto"}, ("empty.md", b""))
    assert _title(page) == f"Error: {error_of(page)} — {form}"


@pytest.mark.parametrize("method, path, host", [
    ("GET", "/nope", None), ("PUT", "/check", None), ("GET", "/", "attacker.example"),
    ("POST", "/check", None), ("GET", "/check", None),
], ids=["404", "405", "bad-host", "400", "303"])
def test_every_answer_carries_the_security_headers(server, method, path, host):
    # a scanner (or a browser sniffing a plain-text error as HTML) sees the same policy on every answer
    headers = {"Host": host} if host else {}
    status, got, _ = request(server.port, method, path, b"" if method in ("POST", "PUT") else None, headers)
    assert status >= 300
    for name, value in (("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"),
                        ("cache-control", "no-store")):
        assert got.get(name) == value, (status, name)
    assert "default-src 'none'" in got.get("content-security-policy", ""), status


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_upload_shows_the_check_html_report_and_its_downloads(server, checker, monkeypatch, sample):
    status, page = post(server.port, {"form": "auto"}, (sample.name, sample.read_bytes()))
    assert status == 200, page[-2000:]
    reports = expected(checker, sample, monkeypatch)
    # byte for byte what `cydcheck check NAME --format html` writes: the same renderer, no second copy
    assert report_of(page) == render(reports, "html", version=__version__)
    shown = [r for rep in reports for r in rep.results if r.peer_examples]
    assert report_of(page).count('class="peers-head"') == len(shown)  # "How peers say it", as in the CLI
    if sample.name == "draft-10k-1c-deficient.md":
        assert len(shown) == 7 and all(len(r.peer_examples) == 3 for r in shown)
    files = downloads_of(page)
    assert sorted(files) == ["html", "json", "markdown", "sarif"]
    if sample.suffix == ".pdf":  # a PDF comes back as a copy with the findings as notes, as `check -o x.pdf`
        name, copy = download_bytes(page)["pdf"]
        assert name == sample.stem + "-checked.pdf"
        assert copy == copy_with_findings(reports, "pdf", sample.read_bytes(), version=__version__)
    for fmt, content in files.items():
        assert content == render(reports, fmt, version=__version__), fmt


def test_a_word_draft_comes_back_as_a_copy_with_the_findings_as_comments(server, checker):
    from test_report_docx import SAMPLE_DOCX, SAMPLE_MD, comments_in

    raw = SAMPLE_DOCX.read_bytes()
    status, page = post(server.port, {"form": "auto"}, ("Counsel draft.docx", raw))
    assert status == 200, page[-2000:]
    name, copy = download_bytes(page)["docx"]
    assert name == "Counsel draft-checked.docx"
    reports = peer_examples.attach([checker.check_document(ingest.load(str(SAMPLE_DOCX))[0])])  # as the CLI
    want = copy_with_findings(reports, "docx", raw, version=__version__)
    assert [c["lines"] for c in comments_in(copy)] == [c["lines"] for c in comments_in(want)]
    # the paralegal edits the commented copy and drops it again: its copy keeps the name, not -checked-checked
    status, page = post(server.port, {"form": "auto"}, (name, copy))
    again, second = download_bytes(page)["docx"]
    assert again == "Counsel draft-checked.docx"
    assert len(comments_in(second)) == len(comments_in(copy))  # the earlier findings replaced, not added to
    status, page = post(server.port, {"form": "auto"}, ("draft.md", SAMPLE_MD.read_bytes()))
    assert "docx" not in download_bytes(page)  # a Markdown draft has no Word copy


def test_a_strict_open_xml_word_draft_gets_its_report_and_says_why_it_has_no_copy(server):
    """A draft saved as Word's "Strict Open XML Document" is read, but its copy with comments is refused (the two
    kinds of Word markup mixed): the page answered 400 with that refusal alone, the report lost. The report is
    shown, and the page says why no Word copy is offered."""
    from test_ingest import _strict
    from test_report_docx import SAMPLE_DOCX

    status, page = post(server.port, {"form": "auto"}, ("Counsel draft (strict).docx",
                                                         _strict(SAMPLE_DOCX.read_bytes())))
    assert status == 200, page[-2000:]
    downloads = download_bytes(page)
    assert "docx" not in downloads and "html" in downloads
    assert "SK106-B1I-ERM" in html.unescape(page)
    assert "No Word copy with the findings as comments" in page and "Strict Open XML" in page


def test_downloads_are_named_after_the_draft(server):
    # the partner downloads the reports of v2 and v3: each says which draft it is, not cydcheck-report (1).html
    draft = (ROOT / "samples" / "draft-10k-1c-deficient.md").read_bytes()
    _, page = post(server.port, {}, ("Société 10-K (draft) – v3.md", draft))
    names = {fmt: name for fmt, (name, _) in download_bytes(page).items()}
    assert names == {"html": "Société 10-K (draft) – v3-report.html", "markdown": "Société 10-K (draft) – v3-report.md",
                     "json": "Société 10-K (draft) – v3-report.json", "sarif": "Société 10-K (draft) – v3-report.sarif"}
    _, page = post(server.port, {"text": draft.decode("utf-8")})
    assert download_bytes(page)["html"][0] == "cydcheck-report.html"  # pasted text has no name of its own


def test_a_long_file_name_keeps_its_suffix(server):
    # law-firm names run long: the label is shortened in its middle part, never by cutting off ".docx"
    name = ("Société Générale 10-K 2025 Item 1C cybersecurity draft — comments from partner J. Smith, revised "
            "after audit committee review v7 final FINAL.md")
    status, page = post(server.port, {}, (name, (ROOT / "samples" / "draft-10k-1c-deficient.md").read_bytes()))
    assert status == 200, error_of(page)
    shown = download_bytes(page)["html"][0]
    assert shown.startswith("Société Générale 10-K 2025") and shown.endswith("…-report.html") and len(shown) < 140


def test_pasted_text_form_and_8k_dates_are_used(server, checker):
    text = (ROOT / "samples" / "draft-10k-1c-complete.md").read_text(encoding="utf-8")
    status, page = post(server.port, {"text": text, "form": "auto"})
    assert status == 200
    assert "pasted text" in report_of(page)
    assert set(statuses_in(report_of(page)).values()) == {"met"}
    incident = json.loads((ROOT / "samples" / "ccld-2026-8k-105.json").read_text(encoding="utf-8"))
    body = incident["body_markdown"]
    late = post(server.port, {"text": body, "form": "8-K", "determined_on": "2025-11-03",
                              "filed_on": "2025-12-01"})
    on_time = post(server.port, {"text": body, "form": "8-K", "determined_on": "2025-11-26",
                                 "filed_on": "2025-12-01"})
    deadline_rules = [r for r in statuses_in(report_of(late[1])) if "DEADLINE" in r.upper()]
    assert len(deadline_rules) == 1
    assert statuses_in(report_of(late[1]))[deadline_rules[0]] == "missing"
    assert statuses_in(report_of(on_time[1]))[deadline_rules[0]] == "met"


def test_pasted_text_stays_in_the_box_to_edit_and_check_again(server):
    text = "Item 1C. Cybersecurity\n\nThe board <oversees> “cybersecurity” risk & more."
    for fields, status in (({"text": text}, 200), ({"text": text, "filed_on": "yesterday"}, 400)):
        got, page = post(server.port, fields)
        assert got == status
        box = next(n for n in parse_html(page).iter("textarea") if n.attrs.get("name") == "text")
        assert box.text.lstrip("\n") == text
    _, page = post(server.port, {"text": text}, ("d.md", b"Item 1C. Cybersecurity\n\nThe board oversees."))
    box = next(n for n in parse_html(page).iter("textarea") if n.attrs.get("name") == "text")
    assert not box.text.strip()  # a file was checked, not the box


BINARY = bytes(range(256)) * 64


@pytest.mark.parametrize(("fields", "file", "status", "message"), [
    ({}, ("draft.txt", BINARY), 400, "draft.txt: looks like a binary file"),
    ({}, ("draft.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), 415, "not .doc: open it in Word, save it as .docx"),
    ({}, ("Board memo.ODT", b"PK\x03\x04"), 415, "not .odt: open it in its program, save it as .docx"),
    ({}, ("Item 1C (v3).docm", b"PK\x03\x04"), 415, "not .docm: open it in Word, save it as .docx"),
    ({}, ("drafts.zip", b"PK\x03\x04"), 415, "not .zip: take the draft out of the archive and drop it"),
    ({}, ("Item 1C.pages", b"PK\x03\x04"), 415, "not .pages: in Pages choose File > Export To > Word (.docx) and drop"),
    ({}, ("draft.pdf", b"%PDF-1.7"), 400, "draft.pdf: cannot read the PDF"),
    ({}, ("C:\\Users\\me\\secret\\draft.docx", b"PK\x03\x04 not a zip"), 400, "draft.docx:"),
    ({}, ("empty.md", b""), 400, "empty.md: the file is empty"),
    ({}, ("~$ciété 10-K – v3.docx", b"\x0bJane Partner" + b"\x00" * 149), 400,
     "~$ciété 10-K – v3.docx: Word's lock file of '…ciété 10-K – v3.docx', a document open in Word, not a draft"),
    ({"form": "auto"}, None, 400, "Choose a file"),
    ({"form": "10-Q"}, ("d.md", b"The board oversees cybersecurity."), 400, "Unknown form '10-Q'"),
    ({"filed_on": "yesterday"}, ("d.md", b"The board oversees cybersecurity."), 400, "Filed on: not an ISO date"),
    ({"determined_on": "2025-06-10", "filed_on": "2025-06-02"}, ("d.md", b"Item 1.05. The incident."), 400,
     "d.md: the filing date 2025-06-02 (filed on) is before the materiality determination 2025-06-10"),
    ({"previous": '{"v": 1, "reports": [1]}'}, ("d.md", b"Board text."), 400, "previous report"),
    ({"previous": "x" * (2 * MB)}, ("d.md", b"Board text."), 413, "field 'previous' is larger"),
], ids=["binary", "doc", "odt", "docm", "zip", "pages", "broken-pdf", "not-a-zip", "empty", "word-lock", "nothing", "form", "date", "dates-reversed", "previous", "previous-too-large"])
def test_bad_uploads_are_a_message_on_the_page_and_a_4xx(server, fields, file, status, message):
    got, page = post(server.port, fields, file)
    assert got == status
    assert message in error_of(page)
    assert "Traceback" not in page and str(server.tmp) not in page and "upload." not in error_of(page)
    assert next(parse_html(page).iter("form"))  # the form is there to try again
    assert _previous_in(page) == ""  # a damaged comparison state is not carried on


def _previous_in(page: str) -> str:
    return next(i for i in parse_html(page).iter("input") if i.attrs.get("name") == "previous").attrs["value"]


def test_a_failed_upload_keeps_the_previous_draft_for_the_diff(server):
    draft = ROOT / "samples" / "draft-10k-1c-deficient.md"
    _, first = post(server.port, {}, (draft.name, draft.read_bytes()))
    state = _previous_in(first)
    assert json.loads(state)["reports"][0]["source"] == draft.name
    status, page = post(server.port, {"previous": state}, ("scan.txt", BINARY))
    assert status == 400 and _previous_in(page) == state


def test_no_script_from_the_input_reaches_the_page(server):
    hostile = ("# Item 1C. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk."
               "<script>alert(1)</script><img src=x onerror=alert(2)> \"><script src=//evil.example/x.js></script>\n")
    for name in ("hostile.md", "hostile.html"):
        status, page = post(server.port, {}, (name, hostile.encode()))
        assert status == 200
        dom = parse_html(page)
        assert [s.attrs.get("src") for s in dom.iter("script")] == ["/serve.js"]
        frame = next(n for n in dom.iter("iframe") if n.attrs.get("id") == "report")
        assert "sandbox" in frame.attrs and not frame.attrs["sandbox"]  # no scripts, no same origin inside
        report = parse_html(frame.attrs["srcdoc"])
        assert not list(report.iter("script")) and not [n for n in report.iter() if "onerror" in n.attrs]


def test_malformed_requests_are_4xx(server):
    status, _, page = request(server.port, "POST", "/check", b"a=b",
                              {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415 and "multipart/form-data" in error_of(page)
    status, _, page = request(server.port, "POST", "/check", b"--xyz\r\nno headers end",
                              {"Content-Type": "multipart/form-data; boundary=xyz"})
    assert 400 <= status < 500 and "Traceback" not in page
    status, _, page = request(server.port, "POST", "/check", b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
                              {"Content-Type": "multipart/form-data; boundary=b"})
    assert status == 400 and "without a field name" in error_of(page)
    # another site's page reaching the local server through DNS rebinding names another host
    status, _, _ = request(server.port, "GET", "/", headers={"Host": "attacker.example"})
    assert status == 400
    assert server.leftovers() == []


@pytest.mark.parametrize("headers", [
    {"Origin": "https://attacker.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:1"},
], ids=["origin", "null-origin", "fetch-metadata", "other-port"])
def test_another_sites_page_cannot_make_it_check(server, headers):
    # a page on another site can post a form to http://127.0.0.1:PORT/check (its Host is right): the
    # browser's Origin and Sec-Fetch-Site headers tell it apart, and nothing is read or checked
    body, ctype = multipart({}, ("d.md", b"# Item 1C. Cybersecurity\n\nThe board oversees cybersecurity."))
    status, _, page = request(server.port, "POST", "/check", body, {"Content-Type": ctype, **headers})
    assert status == 403
    assert error_of(page).startswith("This page checks only files sent from itself")
    assert 'id="report"' not in page and server.leftovers() == []


def test_its_own_page_and_non_browser_clients_may_check(server):
    body, ctype = multipart({}, ("d.md", b"# Item 1C. Cybersecurity\n\nThe board oversees cybersecurity."))
    for headers in ({"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"},
                    {"Origin": f"http://localhost:{server.port}", "Host": f"localhost:{server.port}"},
                    {"Origin": "null", "Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}, {}):
        status, _, page = request(server.port, "POST", "/check", body, {"Content-Type": ctype, **headers})
        assert status == 200 and 'id="report"' in page, headers


def test_uploads_are_checked_with_the_configured_packs_and_selection(tmp_path):
    # A legal team's .cydcheck.yaml names its house rules folder and disables a rule: `cydcheck check` used
    # them, `cydcheck serve` started in the same folder checked every upload with the built-in packs and every
    # rule, so a rule the team had switched off came back as a gap and a house rule never ran.
    house = tmp_path / "house-rules"
    house.mkdir()
    (house / "house.yaml").write_text(plan_pack().replace("pack: tiny", "pack: house"), encoding="utf-8")
    config = tmp_path / ".cydcheck.yaml"
    config.write_text("pack: house\nrules-dirs: [house-rules]\ndisable: [T-PLAN]\n", encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    s = Server(tmp_path / "tmp", "--config", str(config))
    try:
        draft = ROOT / "samples" / "draft-10k-1c-deficient.md"
        status, page = post(s.port, {}, (draft.name, draft.read_bytes()))
        assert status == 200, page[-800:]
        assert statuses_in(report_of(page)) == {"T-BOARD": "met"}
    finally:
        assert "Traceback" not in s.stop()


def test_the_result_address_opened_again_leads_to_the_form(server):
    # the address bar shows /check after a result: Enter there, a restored tab or a bookmark is a GET
    status, headers, _ = request(server.port, "GET", "/check")
    assert status == 303 and headers["location"] == "/"


def test_second_upload_with_the_previous_state_shows_the_diff(server, checker, monkeypatch):
    old_path, new_path = ROOT / "samples" / "draft-10k-1c-deficient.md", ROOT / "samples" / "draft-10k-1c-complete.md"
    _, first = post(server.port, {}, (old_path.name, old_path.read_bytes()))
    state = next(i for i in parse_html(first).iter("input") if i.attrs.get("name") == "previous").attrs["value"]
    status, second = post(server.port, {"previous": state}, (new_path.name, new_path.read_bytes()))
    assert status == 200
    want = diff_reports(expected(checker, old_path, monkeypatch)[0], expected(checker, new_path, monkeypatch)[0])
    rows = {tr.attrs["data-rule"]: tr.attrs["data-change"]
            for tr in parse_html(second).iter("tr") if "data-change" in tr.attrs}
    assert rows == {c.rule: c.kind for c in want.changes if c.kind != "unchanged"}
    assert want.count("improved") >= 5 and set(rows.values()) == {"improved"}
    # and back: the complete draft replaced by the deficient one regresses
    state = next(i for i in parse_html(second).iter("input") if i.attrs.get("name") == "previous").attrs["value"]
    _, third = post(server.port, {"previous": state}, (old_path.name, old_path.read_bytes()))
    kinds = {tr.attrs["data-change"] for tr in parse_html(third).iter("tr") if "data-change" in tr.attrs}
    assert kinds == {"regressed"}


def test_the_table_of_changes_names_itself_and_heads_each_row_by_its_element(server):
    """A screen reader in the table of changes read 'Missing', 'Met', 'improved' in a row with no header for
    it, and the table had no caption: each row is headed by its element now, and the caption says what
    the table holds."""
    old_path, new_path = ROOT / "samples" / "draft-10k-1c-deficient.md", ROOT / "samples" / "draft-10k-1c-complete.md"
    _, first = post(server.port, {}, (old_path.name, old_path.read_bytes()))
    _, second = post(server.port, {"previous": _previous_in(first)}, (new_path.name, new_path.read_bytes()))
    table = next(t for t in parse_html(second).iter("table") if t.attrs.get("class") == "diff")
    assert next(table.iter("caption")).text.startswith("Elements whose status changed")
    rows = [tr for tr in table.iter("tr") if "data-change" in tr.attrs]
    firsts = [next(c for c in tr.children if not isinstance(c, str)) for tr in rows]
    assert firsts and all((c.tag, c.attrs.get("scope")) == ("th", "row") for c in firsts)


def test_a_note_to_the_draft_resolved_shows_as_none_found_not_as_not_checked(server):
    # "Missing -> not checked, improved": the second draft was checked for notes and had none
    head = b"# Item 1C. Cybersecurity\n\nThe board oversees cybersecurity risk.\n\n"
    _, first = post(server.port, {}, ("v3.md", head + b"[Note to draft: confirm the vendor incident.]\n"))
    state = next(i for i in parse_html(first).iter("input") if i.attrs.get("name") == "previous").attrs["value"]
    _, second = post(server.port, {"previous": state}, ("v4.md", head))
    row = next(tr for tr in parse_html(second).iter("tr") if tr.attrs.get("data-rule") == "DRAFT-PLACEHOLDER")
    # the element heads the row (a th), then the statuses and the change
    assert [td.text.strip() for td in row.iter("td")] == ["Missing", "none found", "improved"]


# ---------------------------------------------------------------- hostile uploads


def test_60_mb_upload_is_refused_while_streaming(hostile_server):
    before = hostile_server.peak_kb()
    body, ctype = multipart({}, ("big.txt", b"board oversight " * (60 * MB // 16)))
    assert len(body) > 60 * MB
    status, _, page = request(hostile_server.port, "POST", "/check", body, {"Content-Type": ctype})
    assert status == 413 and "larger than the 50 MB limit" in error_of(page)
    assert error_of(page).startswith("The upload (60 MB) is larger")  # the size the browser said
    assert "the filing's HTML or the Word draft" in error_of(page) and "CYDCHECK_MAX_BYTES" in error_of(page)
    # without a Content-Length (chunked), the limit is counted as the bytes arrive
    chunks = (body[i:i + MB] for i in range(0, len(body), MB))
    status, _, page = request(hostile_server.port, "POST", "/check", chunks, {"Content-Type": ctype}, chunked=True)
    assert status == 413 and "larger than the 50 MB limit" in error_of(page)
    assert "the filing's HTML or the Word draft" in error_of(page)
    grown = hostile_server.peak_kb() - before
    assert grown < 20 * 1024, f"peak memory grew by {grown} kB for a refused 60 MB upload"
    assert hostile_server.leftovers() == []


def test_zip_bomb_docx_is_refused_without_unpacking(hostile_server):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            block = b" " * MB
            for _ in range(256):  # 256 MB of XML (the limit is 200 MB) in a few hundred kB
                part.write(block)
    bomb = buf.getvalue()
    assert len(bomb) < 2 * MB
    before = hostile_server.peak_kb()
    status, page = post(hostile_server.port, {}, ("bomb.docx", bomb))
    assert status == 400 and "bomb.docx: refusing to unpack" in error_of(page)
    grown = hostile_server.peak_kb() - before
    assert grown < 30 * 1024, f"peak memory grew by {grown} kB for a zip bomb"
    assert hostile_server.leftovers() == []


def test_50_concurrent_uploads_each_get_their_own_report(hostile_server, checker, monkeypatch):
    drafts = [ROOT / "samples" / "draft-10k-1c-deficient.md", ROOT / "samples" / "draft-10k-1c-complete.md",
              EDGAR, ROOT / "samples" / "raasy-2025-20f-16k.json"]
    want = {p.name: {r.rule: r.status for r in expected(checker, p, monkeypatch)[0].results} for p in drafts}
    jobs = [drafts[i % len(drafts)] for i in range(50)]
    before = hostile_server.peak_kb()
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        pages = list(pool.map(lambda p: (p.name, *post(hostile_server.port, {}, (p.name, p.read_bytes()))), jobs))
    for name, status, page in pages:
        assert status == 200, (name, page[-500:])
        assert name in report_of(page)  # its own document, not a neighbour's
        assert statuses_in(report_of(page)) == want[name], name
    assert hostile_server.proc.poll() is None
    grown = hostile_server.peak_kb() - before
    assert grown < 200 * 1024, f"peak memory grew by {grown} kB for 50 concurrent uploads"
    assert hostile_server.leftovers() == []


# ---------------------------------------------------------------- the server's own storage


def call_app(app, body: bytes, ctype: str, chunk: int = 64 * 1024, stall_after: int | None = None,
             ) -> tuple[int, str]:
    """One POST /check through the ASGI app in this process: its status and page; with `stall_after`, the
    client sends that many chunks and then nothing more, never closing."""
    import asyncio

    chunks = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [b""]
    sent: list[dict] = []
    given = 0

    async def receive() -> dict:
        nonlocal given
        if stall_after is not None and given >= stall_after:
            await asyncio.Event().wait()
        given += 1
        data = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": data, "more_body": bool(chunks)}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/check", "raw_path": b"/check", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", ctype.encode()),
                         (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    page = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, page.decode("utf-8")


def test_the_report_page_is_rendered_off_the_event_loop(tmp_path, monkeypatch):
    # A 45 MB text renders into a 106 MB page (the section, its Markdown and JSON, each as a download): done
    # on the event loop it froze every other request for seconds; done in a check's slot, it is also bounded
    # by the number of slots.
    serve = _need("checker.serve")
    import threading

    from checker.api import Checker

    threads: list[bool] = []
    real = serve.render_page

    def render_page(*args, **kwargs):
        if kwargs.get("reports"):
            threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(serve, "render_page", render_page)
    app = serve.create_app(Checker(), serve.Settings(tmp_root=tmp_path))
    body, ctype = multipart({}, ("d.md", (ROOT / "samples" / "draft-10k-1c-deficient.md").read_bytes()))
    status, page = call_app(app, body, ctype)
    assert status == 200 and report_of(page)
    assert threads == [False]


def test_an_upload_that_stops_midway_is_refused_after_the_idle_time(tmp_path):
    # A client that opens an upload and stops sending (a dropped VPN, or a slow client holding connections on
    # purpose) held its connection and its half-written file for ever: nothing bounded the wait for the body.
    serve = _need("checker.serve")
    from checker.api import Checker

    app = serve.create_app(Checker(), serve.Settings(tmp_root=tmp_path, body_idle_seconds=0.2))
    body, ctype = multipart({}, ("d.md", (ROOT / "samples" / "draft-10k-1c-deficient.md").read_bytes()))
    status, page = call_app(app, body, ctype, chunk=256, stall_after=2)
    assert status == 408, page[-800:]
    assert "nothing arrived for 0.2 seconds" in error_of(page)
    assert list(tmp_path.iterdir()) == []  # the half-written upload is gone
    status, page = call_app(app, body, ctype, chunk=256)  # the same upload, sent whole, is checked
    assert status == 200 and report_of(page)


@pytest.mark.parametrize("where", ["folder", "upload"])
def test_a_full_temporary_disk_is_a_plain_message_and_one_log_line(tmp_path, monkeypatch, capsys, where):
    # The server's temporary folder fills up (or vanishes): the user is told the server has no room, the
    # log names the folder and the cause, never the document's text; no traceback, not "not well-formed".
    serve = _need("checker.serve")
    from checker.api import Checker

    full = OSError(28, "No space left on device")
    if where == "folder":
        def mkdtemp(*args, **kwargs):
            raise full

        monkeypatch.setattr(serve.tempfile, "mkdtemp", mkdtemp)
    else:
        real_write = serve._Part.write

        def write(self, data: bytes) -> None:
            if self.name == "file" and self.size + len(data) > 1000:
                raise full
            real_write(self, data)

        monkeypatch.setattr(serve._Part, "write", write)
    app = serve.create_app(Checker(), serve.Settings(tmp_root=tmp_path))
    secret = b"Project Nightingale: the board was told of the breach. " * 200
    body, ctype = multipart({}, ("d.md", secret))
    status, page = call_app(app, body, ctype)
    err = capsys.readouterr().err
    assert status == 507, page[-800:]
    assert "no room" in error_of(page) and "the disk is full" in error_of(page)
    assert "well-formed" not in page and "Traceback" not in page and str(tmp_path) not in page
    assert err.count("\n") == 1 and "the disk is full" in err and "Nightingale" not in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the command


def test_wider_bind_needs_a_flag(capsys):
    _need("checker.serve")
    code, _, err = run_main(capsys, "serve", "--host", "0.0.0.0")
    assert code == 2 and err.count("\n") == 1 and "--allow-network" in err


def test_wider_bind_with_the_flag_warns(tmp_path):
    s = Server(tmp_path, "--host", "0.0.0.0", "--allow-network")
    try:
        assert s.url.startswith("http://0.0.0.0:")
        status, _, _ = request(s.port, "GET", "/")
        assert status == 200
    finally:
        err = s.stop()
    assert "warning: listening on 0.0.0.0" in err


def test_ipv6_loopback_still_refuses_another_host_name(tmp_path):
    # --host ::1: a DNS-rebound name (attacker.example resolving to ::1) must be refused as on 127.0.0.1
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    s = Server(tmp_path, "--host", "::1")
    try:
        assert s.url.startswith("http://[::1]:")
        for host, want in ((f"attacker.example:{s.port}", 400), ("attacker.example", 400),
                           (f"[::1]:{s.port}", 200), (f"localhost:{s.port}", 200), ("[::2]", 400)):
            conn = http.client.HTTPConnection("::1", s.port, timeout=60)
            conn.request("GET", "/", headers={"Host": host})
            assert conn.getresponse().status == want, host
            conn.close()
    finally:
        s.stop()


def test_taken_port_is_a_one_line_error(capsys):
    _need("checker.serve")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        code, _, err = run_main(capsys, "serve", "--port", str(taken.getsockname()[1]))
    assert code == 2 and err.startswith("cydcheck: error: cannot listen on 127.0.0.1:") and err.count("\n") == 1


def test_uploads_left_by_a_killed_server_are_deleted_when_it_starts_again(tmp_path):
    # killed mid-check (the OOM killer, kill -9), the server never deletes the upload it held: the next start
    # deletes the upload folders of servers no longer running, and only those
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f"cydcheck-serve-{dead.pid}-k3x_9abc"
    left.mkdir()
    (left / "upload.docx").write_bytes(b"the draft of an undisclosed incident")
    running = tmp_path / f"cydcheck-serve-{os.getpid()}-a1b2c3d4"  # another server, still running
    running.mkdir()
    other = tmp_path / "cydcheck-serve-notmine"  # no process id in its name: not one of these folders
    other.mkdir()
    s = Server(tmp_path)
    try:
        assert s.leftovers() == sorted([running.name, other.name])
    finally:
        err = s.stop()
    assert "removed 1 upload folder left by a server that was stopped before it could delete it" in err
    assert str(dead.pid) in err and "undisclosed" not in err


def test_a_bad_size_limit_in_the_environment_is_said_before_the_packs_are_compiled(capsys, monkeypatch):
    # a typo in the service's environment is the one-line error at once, not after compiling every pack
    _need("checker.serve")
    from checker.api import Checker

    def compile_pack(self, pack_id):
        raise AssertionError(f"compiled {pack_id} before reading the configuration")

    monkeypatch.setattr(Checker, "pack", compile_pack)
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", "50MB")
    code, _, err = run_main(capsys, "serve", "--port", "0")
    assert code == 2 and err == ("cydcheck: error: CYDCHECK_MAX_BYTES must be a positive whole number of "
                                 "bytes, not '50MB'\n")


def test_without_the_extra_the_command_says_what_to_install(capsys, monkeypatch):
    import checker

    # as if starlette/uvicorn were not installed: importing checker.serve fails
    monkeypatch.delattr(checker, "serve", raising=False)
    monkeypatch.setitem(sys.modules, "checker.serve", None)
    code, _, err = run_main(capsys, "serve")
    assert code == 2 and "pip install 'cydcheck[serve]'" in err


# ---------------------------------------------------------------- in a real browser


def _driver(javascript: bool):
    webdriver = _need("selenium.webdriver")
    browser = next((shutil.which(b) for b in ("chromium", "chromium-browser") if shutil.which(b)), None)
    driver_path = shutil.which("chromedriver")
    if not browser or not driver_path:
        if IN_CI:
            pytest.fail("Chromium and chromedriver are required in CI (.ci/run installs them)")
        pytest.skip("Chromium or chromedriver is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1400"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = _driver(javascript=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def plain_browser():
    """Scripts off: the page must work as a plain HTML form."""
    driver = _driver(javascript=False)
    yield driver
    driver.quit()


def _policy_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def _upload_in_browser(driver, url: str, path: Path | None = None) -> dict[str, str]:
    """Choose the file in the form, submit, and read each element's status from the rendered report."""
    from selenium.webdriver.common.by import By

    if path is not None:
        if not driver.find_elements(By.ID, "file"):
            driver.get(url)
        driver.find_element(By.ID, "file").send_keys(str(path))
    _submit(driver, lambda: driver.find_element(By.ID, "check").click())
    return _statuses_in_browser(driver)


def _submit(driver, action) -> None:
    """Do what submits the form, then wait until the answer page has replaced this one and fully loaded."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    action()

    def replaced(_driver) -> bool:
        # expected_conditions.staleness_of, except that chromedriver may also answer a node of the old page
        # with "Node with given id does not belong to the document": that node is just as gone.
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    wait = WebDriverWait(driver, 120)
    wait.until(replaced)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def _statuses_in_browser(driver) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    driver.switch_to.frame(driver.find_element(By.ID, "report"))
    try:
        return {tr.get_attribute("data-rule"): tr.get_attribute("data-status")
                for tr in driver.find_elements(By.CSS_SELECTOR, "tr[data-rule]")}
    finally:
        driver.switch_to.default_content()


def test_browser_uploads_every_sample_and_reads_the_statuses(server, browser, checker, monkeypatch):
    for sample in SAMPLES:
        browser.get(server.url)
        got = _upload_in_browser(browser, server.url, sample)
        want = {r.rule: r.status for r in expected(checker, sample, monkeypatch)[0].results}
        assert got == want, sample.name
    assert _policy_violations(browser) == []


def test_browser_word_draft_with_tracked_changes(server, browser, checker, tmp_path, paragraphs):  # noqa: F811
    from selenium.webdriver.common.by import By

    draft = tmp_path / "counsel draft.docx"
    draft.write_bytes(_docx(paragraphs))
    browser.get(server.url)
    got = _upload_in_browser(browser, server.url, draft)
    report = checker.check_path(str(draft))[0]
    assert got == {r.rule: r.status for r in report.results}
    assert "met" in got.values()
    browser.switch_to.frame(browser.find_element(By.ID, "report"))
    text = browser.find_element(By.TAG_NAME, "body").text
    browser.switch_to.default_content()
    assert "counsel draft.docx" in text
    assert "We do not engage third parties" not in text  # the tracked deletion is not the draft's text


def test_browser_whole_edgar_filing(server, browser, checker, monkeypatch):
    browser.get(server.url)
    got = _upload_in_browser(browser, server.url, EDGAR)
    assert got == {r.rule: r.status for r in expected(checker, EDGAR, monkeypatch)[0].results}
    assert list(got.values()).count("met") >= 6


def test_browser_evidence_links_stay_in_the_report(server, browser):
    # the report's links ("p. 34, ..., para. 5", "[11]", "Skip to the element table") lead within it; in a
    # srcdoc frame a bare "#id" is resolved against the page's address and the frame broke (an error page)
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    _upload_in_browser(browser, server.url, EDGAR)
    browser.switch_to.frame(browser.find_element(By.ID, "report"))
    try:
        link = browser.find_elements(By.CSS_SELECTOR, "blockquote .where a")[0]
        target = link.get_attribute("href").split("#", 1)[1]
        link.click()
        assert browser.execute_script("return location.href") == f"about:srcdoc#{target}"
        assert browser.find_element(By.ID, target).is_displayed()
        browser.find_element(By.CSS_SELECTOR, f"#{target}.ref, a.ref[id='{target}']").click()  # back to its row
        assert browser.find_elements(By.CSS_SELECTOR, "tr[data-rule]")
        assert browser.execute_script("return location.href").startswith("about:srcdoc#row-")
    finally:
        browser.switch_to.default_content()
    assert browser.current_url.endswith("/check")


def test_browser_without_scripts_second_draft_shows_the_diff(server, plain_browser, checker, monkeypatch):
    from selenium.webdriver.common.by import By

    old_path, new_path = ROOT / "samples" / "draft-10k-1c-deficient.md", ROOT / "samples" / "draft-10k-1c-complete.md"
    plain_browser.get(server.url)
    first = _upload_in_browser(plain_browser, server.url, old_path)
    assert "missing" in first.values()
    # the result page holds the form again: drop the newer draft there
    plain_browser.find_element(By.ID, "file").send_keys(str(new_path))
    second = _upload_in_browser(plain_browser, server.url)
    assert set(second.values()) == {"met"}
    want = diff_reports(expected(checker, old_path, monkeypatch)[0], expected(checker, new_path, monkeypatch)[0])
    rows = {tr.get_attribute("data-rule"): tr.get_attribute("data-change")
            for tr in plain_browser.find_elements(By.CSS_SELECTOR, "tr[data-change]")}
    assert rows == {c.rule: c.kind for c in want.changes if c.kind != "unchanged"}
    summary = plain_browser.find_element(By.ID, "diff-summary-1").text
    assert summary.startswith(f"{want.count('improved')} improved, 0 regressed")


def test_browser_the_form_and_the_changes_fit_320_css_pixels(server, plain_browser):
    """WCAG 1.4.10 reflow: at 320 CSS px (a 1,280 px window zoomed to 400%) the form's drop zone, text box and
    hint, and the table of changes, ran past the window (332 and 354 px wide): the colleague scrolled sideways
    for each line."""
    from selenium.webdriver.common.by import By

    old_path, new_path = ROOT / "samples" / "draft-10k-1c-deficient.md", ROOT / "samples" / "draft-10k-1c-complete.md"
    plain_browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": 320, "height": 1400, "deviceScaleFactor": 1, "mobile": False})
    overflow = "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    try:
        plain_browser.get(server.url)
        assert plain_browser.execute_script(overflow) == 0
        _upload_in_browser(plain_browser, server.url, old_path)
        plain_browser.find_element(By.ID, "file").send_keys(str(new_path))
        _upload_in_browser(plain_browser, server.url)
        assert plain_browser.find_elements(By.CSS_SELECTOR, "table.diff tr[data-change]")
        assert plain_browser.execute_script(overflow) == 0
    finally:
        plain_browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_browser_drop_on_the_page_submits_the_file(server, browser, checker, monkeypatch):
    sample = ROOT / "samples" / "draft-10k-1c-deficient.md"
    browser.get(server.url)
    _submit(browser, lambda: browser.execute_script(
        "const dt = new DataTransfer();"
        "dt.items.add(new File([arguments[0]], arguments[1], {type: 'text/markdown'}));"
        "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true}));",
        sample.read_text(encoding="utf-8"), sample.name))
    got = _statuses_in_browser(browser)
    assert got == {r.rule: r.status for r in expected(checker, sample, monkeypatch)[0].results}


def test_browser_drop_anywhere_on_the_result_page_checks_the_newer_draft(server, browser, checker, monkeypatch):
    # after the first report the drop zone is scrolled away: the partner drops the newer draft on the report
    from selenium.webdriver.common.by import By

    old_path, new_path = ROOT / "samples" / "draft-10k-1c-deficient.md", ROOT / "samples" / "draft-10k-1c-complete.md"
    browser.get(server.url)
    _upload_in_browser(browser, server.url, old_path)
    drop = ("const dt = new DataTransfer();"
            "dt.items.add(new File([arguments[0]], arguments[1], {type: 'text/markdown'}));"
            "document.getElementById(arguments[2]).dispatchEvent("
            "new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));")
    _submit(browser, lambda: browser.execute_script(drop, new_path.read_text(encoding="utf-8"), new_path.name,
                                                    "report-heading"))
    assert set(_statuses_in_browser(browser).values()) == {"met"}
    assert ", 0 regressed" in browser.find_element(By.ID, "diff-summary-1").text
    prevented = browser.execute_script(
        "const e = new DragEvent('dragover', {bubbles: true, cancelable: true});"
        "document.querySelector('h1').dispatchEvent(e); return e.defaultPrevented;")
    assert prevented  # a file dragged over any part of the page is the page's, not the browser's to open
    # from one element to another inside the page the frame keeps letting the drag through; out of the window not
    dragging = ("document.querySelector(arguments[0]).dispatchEvent(new DragEvent('dragenter', {bubbles: true}));"
                "document.querySelector(arguments[1]).dispatchEvent(new DragEvent('dragleave', {bubbles: true, "
                "clientX: arguments[2], clientY: arguments[2]}));"
                "return document.body.classList.contains('dragging');")
    assert browser.execute_script(dragging, "h1", "h2", 200) is True
    assert browser.execute_script(dragging, "h1", "h2", 0) is False


def test_browser_says_it_is_checking_until_the_answer(server, browser):
    # a 40 MB PDF takes seconds: the button says so and cannot be pressed twice; back on the page, it is ready
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    browser.execute_script("document.getElementById('upload').addEventListener('submit', e => e.preventDefault())")
    browser.find_element(By.ID, "text").send_keys("The board oversees cybersecurity.")
    browser.find_element(By.ID, "check").click()
    button = browser.find_element(By.ID, "check")
    assert button.get_attribute("disabled") and button.text == "Checking…"
    browser.execute_script("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert not button.get_attribute("disabled") and button.text == "Check"


def test_browser_printing_the_page_never_prints_a_cut_report(server, browser):
    # Ctrl+P on the result page printed the frame's first screen: one element of twelve, with no word of the
    # rest. The printout says where the whole report is instead.
    from selenium.webdriver.common.print_page_options import PrintOptions

    pdfium = _need("pypdfium2")
    browser.get(server.url)
    _upload_in_browser(browser, server.url, ROOT / "samples" / "draft-10k-1c-deficient.md")
    doc = pdfium.PdfDocument(base64.b64decode(browser.print_page(PrintOptions())))
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r\n", " ")
    assert "Scorecard" not in text and "Evidence and guidance" not in text
    assert "draft-10k-1c-deficient-report.html" in text and "print it" in text


def test_browser_two_files_dropped_at_once_say_to_drop_one(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    _submit(browser, lambda: browser.execute_script(
        "const dt = new DataTransfer();"
        "dt.items.add(new File(['The board oversees cybersecurity.'], 'v2.md'));"
        "dt.items.add(new File(['The audit committee oversees cybersecurity.'], 'v3.md'));"
        "document.body.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));"))
    assert browser.find_element(By.ID, "error").text == \
        "2 files were dropped (v2.md, v3.md): drop one file at a time."


def test_browser_error_is_shown_on_the_page(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    binary = tmp_path / "scan.txt"
    binary.write_bytes(BINARY)
    browser.get(server.url)
    browser.find_element(By.ID, "file").send_keys(str(binary))
    _submit(browser, lambda: browser.find_element(By.ID, "check").click())
    assert "scan.txt: looks like a binary file" in browser.find_element(By.ID, "error").text
    assert not browser.find_elements(By.ID, "report")


def test_open_waits_for_the_server_then_opens_the_page(monkeypatch):
    serve = _need("checker.serve")
    opened = []
    monkeypatch.setattr(serve.webbrowser, "open", opened.append)

    class Started:
        started = True

    serve._open_when_started(Started(), "http://127.0.0.1:8650/")
    assert opened == ["http://127.0.0.1:8650/"]


def test_the_file_chooser_offers_every_suffix_the_checker_reads():
    # ACCEPT was a list of its own: the page's chooser hid .xhtml, .markdown, .jsonl and .ndjson, which an
    # upload of them is read as, and a new reader had to be added there too
    from checker import ingest, serve

    assert set(serve.ACCEPT) == set(ingest.READERS)
    refusal = serve.refused_suffix(".rtf")
    assert all(suffix in refusal for suffix in ingest.READERS)
