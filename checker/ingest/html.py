"""EDGAR HTML and inline XBRL filings: visible text with paragraph breaks, mapped to source lines."""

from __future__ import annotations

import re

from lxml import etree

from .. import xbrl
from ..model import CheckerError, Document, SourceMap
from .cover import attach, iso_date
from .decode import clean as _drop_invisible  # the characters every reader drops
from .decode import decode
from .limits import refuse_dense_markup
from .pages import PAGE_HEADER_BLOCKS, Block, Rendered, assemble
from .records import edgar_cik

# Elements that start a new paragraph; everything else is inline.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table blockquote center pre section article header "
    "footer nav aside address figure figcaption caption form fieldset main document type text".split()
)
# Content that is never text: scripts, styles, the inline XBRL header (hidden facts and contexts).
SKIP_TAGS = frozenset("script style head title noscript template ix:header xbrl:header".split())
CELL_TAGS = frozenset(("td", "th"))
DEI_FIELDS = {
    "dei:documenttype": "form",
    "dei:documentperiodenddate": "period",
    "dei:entityregistrantname": "issuer",
    "dei:entitycentralindexkey": "cik",
    "dei:documentfiscalyearfocus": "fiscal_year",
}

_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

# Stream tokens: text pieces are (str, line); breaks are these markers.
_PARA, _LINE, _SPACE, _CELLBLOCK, _PAGE = "PARA", "LINE", "SPACE", "CELLBLOCK", "PAGE"


def parse_html(raw: bytes | str, source: str) -> etree._Element:
    """Parse HTML / XHTML / inline XBRL (bytes in any of the supported encodings, or text already decoded)
    into an lxml tree."""
    # The declaration goes (lxml's HTML parser refuses it in a str), the line breaks before it stay: line
    # numbers are the file's.
    decoded = decode(raw, source) if isinstance(raw, bytes) else raw
    refuse_dense_markup(decoded, "the HTML", source)
    text = _XML_DECL.sub(lambda m: "\n" * m.group().count("\n"), decoded, count=1)
    # The plain etree parser: lxml.html's element classes cost time and are not needed here.
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CheckerError(f"cannot parse as HTML: {exc}", file=source) from None
    if root is None:
        raise CheckerError("cannot parse as HTML: no content", file=source)
    # libxml2 stops reading at 2048 nested elements (thousands of unclosed <font> tags): the text after
    # that point would be silently missing and its elements reported as not disclosed.
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT":
            raise CheckerError("cannot parse as HTML: elements nested too deeply (unclosed tags?); the text "
                               "past this point cannot be read", file=source, line=err.line)
    return root


def page_title(root: etree._Element) -> str:
    """The page's first <title>, its white space folded; "" where it has none."""
    found = root.find(".//title")
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def edgar_index(root: etree._Element) -> str | None:
    """When the page is an EDGAR filing index (the list of a filing's documents, saved instead of the
    filing), what it lists first: the filing's own document, as 'the 10-K document it lists, x.htm'; else
    None."""
    # (the first title and the first such table, found by walks in C that stop there: every HTML read pays
    # this, and two XPath searches of the whole tree took 6.8 ms of AbbVie's 10-K, these 2.9)
    title = page_title(root)
    table = next((t for t in root.iter("table") if t.get("summary") == "Document Format Files"), None)
    if not (title.startswith("EDGAR Filing Documents for") or table is not None):
        return None
    for row in (table.xpath(".//tr[td]") if table is not None else []):
        cells = [" ".join(c.xpath("string()").split()) for c in row.xpath("./td")]
        if len(cells) >= 4 and cells[2]:
            return f"the {cells[3] or 'filing'} document it lists, {cells[2]}"
    return "the filing's document it lists"


# EDGAR's inline XBRL viewer (sec.gov/ix?doc=...): a script that fetches the filing into its
# #dynamic-xbrl-form. Saved as "HTML only" the page holds the viewer's menus and no filing.
_VIEWER_TITLES = {"inline viewer", "inline xbrl viewer"}
_VIEWER_FORM = "dynamic-xbrl-form"
_SHOWN_WORDS = 50  # a filing shown in the form (the page saved "complete") has at least this many words
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)


def edgar_viewer(root: etree._Element, source_text: str) -> str | None:
    """When the page is EDGAR's inline XBRL viewer saved without the filing it shows, where that filing is:
    its address when the page says what it was saved from, else the viewer's own way to it; else None."""
    if page_title(root).lower() not in _VIEWER_TITLES:
        return None
    shown = next((e for e in root.iter() if e.get("id") == _VIEWER_FORM), None)
    if shown is not None and len("".join(shown.itertext()).split()) >= _SHOWN_WORDS:
        return None
    saved = _SAVED_FROM.search(source_text[:TAIL])
    url = saved.group(1) if saved else ""
    if "/ix?doc=" in url:
        page, _, doc = url.partition("/ix?doc=")
        return page + doc.split("#", 1)[0].split("&", 1)[0]
    return "the viewer's Menu > Open as HTML"


def read(raw: bytes, source: str) -> list[Document]:
    source_text = decode(raw, source)
    root = parse_html(source_text, source)  # parsed once: the visible text, the cover and the cyd facts
    listed = edgar_index(root)
    if listed is not None:
        raise CheckerError("an EDGAR filing index page (the list of the filing's documents), not the filing: "
                           f"open {listed}, and save that", file=source)
    shows = edgar_viewer(root, source_text)
    if shows is not None:
        where = f", {shows}," if shows.startswith("http") else f" ({shows}),"
        raise CheckerError("EDGAR's inline XBRL viewer page, which loads the filing by script and does not "
                           f"hold it: open the filing itself{where} and save that", file=source)
    rendered = render(root)
    not_read = _cut_short(source_text, source)  # a file cut short is said so, even before its visible text
    if not rendered.text.strip():
        raise CheckerError("the HTML file has no visible text", file=source)
    meta = dei_metadata(root)
    form = meta.pop("form", None)
    doc = Document(text=rendered.text, source=source, form=form.upper() if form else None, metadata=meta,
                   source_map=SourceMap(rendered.anchors, count_newlines=False, unit="line",
                                        pages=rendered.pages, kind="html"),
                   source_text=source_text, not_read=not_read)
    # cyd: facts and cover facts are read by the inline XBRL module, which owns that logic; a filing
    # without them (an older one, a draft saved as HTML) has its printed cover page.
    return [attach(xbrl.attach(doc, xbrl.inline_of(root)))]


_CLOSING = re.compile(r"</html\s*>", re.I)
_INLINE_XBRL = re.compile(r"<ix:header|xmlns:ix\s*=", re.I)
TAIL = 4096  # the closing tag is searched for at the end of the file only (EDGAR's wrappers may follow it)


def _cut_short(text: str, source: str) -> tuple[str, ...]:
    """What a file that stops before its closing </html> tag leaves unread: an inline XBRL document is
    well-formed XML when whole, so one without it was cut short (an error); other HTML is said to be unread
    past its end."""
    if _CLOSING.search(text, max(0, len(text) - TAIL)):
        return ()
    if _INLINE_XBRL.search(text, 0, 200_000):
        raise CheckerError("the inline XBRL document stops before its closing </html> tag: the file is cut "
                           "short (save it from EDGAR again)", file=source)
    return ("whatever followed where the file stops: it ends without its closing </html> tag, so it may be "
            "cut short",)


def dei_metadata(root: etree._Element) -> dict[str, str]:
    """Form, period end, fiscal year, issuer and CIK from the filing's dei: cover facts, where tagged."""
    out: dict[str, str] = {}
    for el in root.iter("ix:nonnumeric"):
        key = DEI_FIELDS.get((el.get("name") or "").lower())
        if key and key not in out:
            value = _SPACES.sub(" ", "".join(el.itertext())).strip()
            if value:
                out[key] = iso_date(value) if key == "period" else edgar_cik(value) if key == "cik" else value
    return out


def render(root: etree._Element) -> Rendered:
    """The visible text: blocks separated by blank lines, table rows as lines, furniture dropped."""
    tokens = _tokens(root)
    return assemble(_blocks(tokens))


# Styles that matter (hidden, page breaks, inline blocks) are rare: a substring test of each style string
# finds the few candidates. (An XPath of eight contains() tests read every style eight times: 7x slower.)
_STYLE_HINT = re.compile("none|NONE|idden|IDDEN|reak|REAK|nline|NLINE")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BREAK_BEFORE = re.compile(r"(?:page-)?break-before\s*:\s*(?:always|page)", re.I)
_BREAK_AFTER = re.compile(r"(?:page-)?break-after\s*:\s*(?:always|page)", re.I)
# A block tag styled to flow inline (DFIN's <div style="display:inline">) does not start a paragraph.
_INLINE = re.compile(r"display\s*:\s*inline(?:-block)?\s*(?:;|!|$)", re.I)


def _styled(root: etree._Element) -> tuple[set, set, set, set]:
    """The hidden elements, those with a page break before / after them, and block tags shown inline."""
    hidden, before, after, inline = set(), set(), set(), set()
    for el in root.iter(etree.Element):
        style = el.get("style")
        if not style or not _STYLE_HINT.search(style):
            continue
        if _HIDDEN.search(style):
            hidden.add(el)
        if _BREAK_BEFORE.search(style):
            before.add(el)
        if _BREAK_AFTER.search(style):
            after.add(el)
        if _INLINE.search(style):
            inline.add(el)
    return hidden, before, after, inline


def _tokens(root: etree._Element) -> list:
    """Walk the tree once into a flat stream of text pieces and break markers."""
    # The element sets keep their proxies alive, so the walk meets the very same objects.
    hidden, break_before, break_after, inline = _styled(root)
    tokens: list = []
    row_starts: list[int] = []
    cell_depth = 0
    # Comments and processing instructions come as events of their own (iterwalk's start and end pass them
    # over): only their tail is text (a Word web page's list item after its <![endif]>)
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    skipped: set[etree._Element] = set()
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            if el.tail:
                tokens.append((el.tail, el.sourceline or 0))
            continue
        if event == "start":
            if tag in SKIP_TAGS or el in hidden:
                walker.skip_subtree()
                skipped.add(el)
                continue
            if el in break_before:
                tokens.append(_PAGE)
            if tag in BLOCK_TAGS and el not in inline:
                tokens.append(_CELLBLOCK if cell_depth else _PARA)
            elif tag == "tr":
                row_starts.append(len(tokens))
                tokens.append(_LINE)
            elif tag in CELL_TAGS:
                cell_depth += 1
                tokens.append(_SPACE)
            elif tag == "br":
                tokens.append(_LINE)
            elif tag == "hr":
                tokens.append(_PAGE)
            if el.text:
                tokens.append((el.text, el.sourceline or 0))
        else:
            if el in skipped:
                skipped.discard(el)
            else:
                if tag in BLOCK_TAGS and el not in inline:
                    tokens.append(_CELLBLOCK if cell_depth else _PARA)
                elif tag in CELL_TAGS:
                    cell_depth -= 1
                    tokens.append(_SPACE)
                elif tag == "tr":
                    _settle_row(tokens, row_starts.pop() if row_starts else 0)
                    tokens.append(_LINE)
                if el in break_after:
                    tokens.append(_PAGE)
            if el.tail:
                tokens.append((el.tail, el.sourceline or 0))
    return tokens


# A table row holding this much text is a layout table around prose, not a table of cells.
_LONG_ROW = 400


def _settle_row(tokens: list, start: int) -> None:
    """Blocks inside a table row's cells become spaces, unless the row is really a page of prose."""
    length = sum(len(t[0]) for t in tokens[start:] if type(t) is tuple)
    mark = _PARA if length > _LONG_ROW else _SPACE
    for i in range(start, len(tokens)):
        if tokens[i] is _CELLBLOCK:
            tokens[i] = mark


def _line(pieces: list[tuple[str, int]]) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """One line's clean text (spaces collapsed, invisible characters gone) with its source lines."""
    if any(ln and "\n" in t for t, ln in pieces):
        pieces = _split_source_lines(pieces)
    lines = {ln for _, ln in pieces if ln}
    if len(lines) <= 1:  # the common case (Workiva filings are one long source line): one join
        text = _SPACES.sub(" ", _drop_invisible("".join(p[0] for p in pieces))).strip()
        return (text, ((0, lines.pop()),) if lines else ()) if text else None
    out: list[str] = []
    anchors: list[tuple[int, int]] = []
    pos, space = 0, False
    for piece, ln in pieces:
        clean = _SPACES.sub(" ", _drop_invisible(piece))
        core = clean.strip(" ")
        if not core:
            space = space or bool(clean)
            continue
        if out and (space or clean[0] == " "):
            out.append(" ")
            pos += 1
        if ln and (not anchors or anchors[-1][1] != ln):
            anchors.append((pos, ln))
        out.append(core)
        pos += len(core)
        space = clean[-1] == " "
    return ("".join(out), tuple(anchors)) if out else None


def _split_source_lines(pieces: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A text node that runs over several source lines: each part gets its own line number."""
    out = []
    for text, ln in pieces:
        if not ln or "\n" not in text:
            out.append((text, ln))
            continue
        parts = text.split("\n")
        out.extend((part + ("\n" if k < len(parts) - 1 else ""), ln + k) for k, part in enumerate(parts))
    return out


def _blocks(tokens: list) -> list[Block]:
    """Group the token stream into blocks of lines; note which blocks touch a page break."""
    blocks: list[Block] = []
    lines: list[tuple[str, int]] = []
    pieces: list[tuple[str, int]] = []
    page_pending = 0  # blocks still to be marked as the top of a page
    page = 0

    def end_line() -> None:
        if pieces:
            line = _line(pieces)
            if line:
                lines.append(line)
            pieces.clear()

    for t in tokens:
        if type(t) is tuple:
            pieces.append(t)
        elif t is _SPACE:
            pieces.append((" ", 0))
        elif t is _LINE:
            end_line()
        else:  # paragraph or page break
            end_line()
            if lines:
                blocks.append(Block(lines, page_edge=page_pending > 0, page=page))
                lines = []
                page_pending = max(0, page_pending - 1)
            if t is _PAGE:
                if blocks:
                    blocks[-1].page_edge = True
                    page = blocks[-1].page + 1  # several breaks in a row with nothing between: one page
                page_pending = PAGE_HEADER_BLOCKS
    end_line()
    if lines:
        blocks.append(Block(lines, page_edge=page_pending > 0, page=page))
    return blocks
