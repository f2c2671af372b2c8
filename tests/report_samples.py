"""Shared by the report tests: real sample records, the frozen test pack, hostile text, text snapshots."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from checker import Checker, Document, Report, ingest
from checker.model import Section

ROOT = Path(__file__).resolve().parent.parent
REPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
TEST_PACK = REPORT_FIXTURES / "report-pack.yaml"
# Real Item 1C sections from the labelled corpus, in the seed's record shape.
SAMPLES = ("gd-2023-10k-1c.json", "unite-2024-10k-1c.json")
# Snapshotted in every format too: two findings the model alone carries close to its threshold, marked for review.
REVIEW_SAMPLE = "rkt-2023-10k-1c.json"
GENERATED = "2024-05-01T12:00:00Z"
# A report's pack hash (JSON `pack.sha256`, after the pack's `reason`; the workpaper's "Pack SHA-256"; SARIF's
# `packSha256`, by "id@version") changes with every edit of a shipped pack; the snapshots keep the report's
# shape, test_packs the hash itself.
_PACK_SHA256 = re.compile(r'("reason": "(?:[^"\\]|\\.)*",\s*"sha256": "|<dt>Pack SHA-256</dt><dd><code class="hash">'
                          r'|"[\w.-]+@[\w.-]+": ")[0-9a-f]{64}')


def steady(text: str) -> str:
    """The report text with each pack's content hash as a placeholder, for a snapshot."""
    return _PACK_SHA256.sub(r"\1<pack sha256>", text)


VERSION = "0.0.test"

# Disclosure text that tries to break out of every format: HTML tags, a Jinja expression, a table
# cell end, Markdown table/link syntax, a mention, a workflow-command separator and an XML-illegal byte.
HOSTILE = (
    "ITEM 1C. CYBERSECURITY <script>alert('heading')</script>\n"
    "\n"
    "Our board of directors oversees cybersecurity risk <script>alert(1)</script> {{ 7*7 }} </td><td>x"
    " | pipe [link](http://evil.example) @octocat ::error::boom &amp; 100%.\n"
    "\n"
    "The audit committee reviews {% raw %} cyber reports </table> quarterly\x07.\n"
)


@contextmanager
def in_root() -> Iterator[None]:
    """Run from the repository root, so sources are relative paths and snapshots match anywhere."""
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def sample_reports(checker: Checker, *names: str, pack: str | Path = "auto") -> list[Report]:
    with in_root():
        return [checker.check_document(d, pack)
                for name in (names or SAMPLES)
                for d in ingest.load(str((REPORT_FIXTURES / name).relative_to(ROOT)))]


def hostile_report(checker: Checker) -> Report:
    doc = Document(
        text=HOSTILE,
        source="drafts/<evil>&\"quote\".md",
        form="10-K",
        item="1C",
        metadata={"issuer": "<b>Evil</b> & Co {{ config }}", "period": "2024-12-31"},
        sha256="0" * 64,
    )
    doc.section = Section(0, len(HOSTILE), heading="ITEM 1C. CYBERSECURITY <script>", item="1C",
                          method="heading")
    return checker.check_document(doc, TEST_PACK)


class HtmlSnapshot(SingleFileSnapshotExtension):
    """A readable .html file per snapshot, so a reviewer can open the expected report."""

    _write_mode = WriteMode.TEXT
    file_extension = "html"


class TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "txt"


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "md"


class JsonSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "json"


class XmlSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "xml"


VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class Node:
    """A parsed HTML element: enough of a DOM to ask for rows, ids, links and text."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        if tag is None or self.tag == tag:
            yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter(tag)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()


def parse_html(markup: str) -> Node:
    from html.parser import HTMLParser

    root = Node("#document", {})

    class Builder(HTMLParser):
        node = root

        def handle_starttag(self, tag, attrs):
            child = Node(tag, dict(attrs), self.node)
            self.node.children.append(child)
            if tag not in VOID:
                self.node = child

        def handle_endtag(self, tag):
            n = self.node
            while n is not root and n.tag != tag:
                n = n.parent
            if n is not root:
                self.node = n.parent

        def handle_data(self, data):
            self.node.children.append(data)

    b = Builder(convert_charrefs=True)
    b.feed(markup)
    b.close()
    return root


def not_yet_required_report(checker):
    """The report of a Tokyo issuer's 20-F for the year ended 31 March 2023, before Item 16K applied."""
    from checker.ingest import cover
    from checker.model import Document

    text = ("UNITED STATES\nSECURITIES AND EXCHANGE COMMISSION\n\nFORM 20-F\n\nFor the fiscal year ended 31 March 2023"
            "\n\nKAITO PRECISION INDUSTRIES CO., LTD.\n(Exact name of Registrant as specified in its charter)\n\n"
            "Item 16K. Cybersecurity\n\nOur Board of Directors oversees cybersecurity risk.\n")
    return checker.check_document(cover.attach(Document(text=text, source="20f-fy2023.md")))

