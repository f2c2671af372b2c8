"""Word .docx drafts: paragraph text with tracked changes accepted, mapped to paragraph numbers."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..model import CheckerError, Document, SourceMap
from .cover import attach
from .decode import OLE_MAGIC, archive_kind, clean, is_word_archive
from .limits import (
    MAX_UNPACKED,
    MAX_ZIP_DIRECTORY,
    limit_text,
    max_input_bytes,
    refuse_dense_markup,
    zip_directory_size,
)
from .word_lock import is_word_lock, lock_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"  # markup compatibility (mc:)
MAX_RATIO = 200  # and so is a part that unpacks to more than this many times its packed size
MAX_LEVEL = 8  # Word's list levels are 0-8: a deeper w:ilvl is not a list level (no label)
MAX_COUNTER = 2**31 - 1  # list numbers past this are not counted (Word itself stops at 32767)
MAX_ROMAN = 3999  # past this, roman and letter formats are shown as decimal
# Whole subtrees that are not text of the document as it stands with all changes accepted.
_SKIP = frozenset(_W + t for t in ("del", "moveFrom", "delText", "instrText", "delInstrText",
                                   "commentReference", "footnoteReference", "endnoteReference",
                                   "pPrChange", "rPrChange", "sectPr"))
_TAB_BREAK = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-",
              _W + "softHyphen": ""}


@dataclass(frozen=True)
class _Paragraph:
    text: str
    number: int  # 1-based position among the document's paragraphs (what Word's navigation counts)
    heading: bool | None = None  # a heading by its style (True), a list item (False), else not said (None)
    row: tuple[int, int] | None = None  # (table, row) of a table row of cells its paragraph is in, else None


def read(raw: bytes, source: str) -> list[Document]:
    with open_archive(raw, source) as zf:  # the archive's directory is read once, for every part
        xml = document_root(zf, source)
        numbering = _numbering(zf, source)
        styles = styles_of(zf, source)
        notes = _notes(zf, styles, source)
    paragraphs = list(_paragraphs(xml, numbering, styles, source, notes))
    kept = [p for p in paragraphs if p.text.strip()]
    if not kept:
        raise CheckerError("the Word document has no text", file=source)
    parts: list[str] = []
    anchors: list[tuple[int, int]] = []
    marks: dict[bool, set[int]] = {True: set(), False: set()}  # heading or not -> where such paragraphs start
    pos = 0
    previous: _Paragraph | None = None
    for p in kept:
        if parts:
            gap = _gap(previous, p)
            parts.append(gap)
            pos += len(gap)
        anchors.append((pos, p.number))
        # a table's rows are no sub-heading of the section unless a heading style makes its first cell one
        heading = False if p.heading is None and p.row is not None else p.heading
        if heading is not None and (previous is None or _gap(previous, p) == "\n\n"):
            marks[heading].add(pos + len(p.text) - len(p.text.lstrip()))
        previous = p
        parts.append(p.text)
        pos += len(p.text)
    # a whole 8-K or 10-K drafted in Word has its cover page: the form it prints
    return [attach(Document(text="".join(parts), source=source,
                            source_map=SourceMap(tuple(anchors), count_newlines=False, unit="paragraph",
                                                 kind="docx", headings=frozenset(marks[True]),
                                                 not_headings=frozenset(marks[False]))))]


def _gap(before: _Paragraph | None, after: _Paragraph) -> str:
    """What stands between two paragraphs' text, as an HTML table reads: the cells of a table row run on as
    one line, the rows of a table are lines of one paragraph; any other two are paragraphs."""
    if before is None or before.row is None or after.row is None or before.row[0] != after.row[0]:
        return "\n\n"
    return " " if before.row == after.row else "\n"


_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream Office writes into a password-protected file


def open_archive(raw: bytes, source: str) -> zipfile.ZipFile:
    """The .docx as a zip archive; a file that is not one (or a password-protected or old .doc) is a
    one-line error, as is one whose directory lists far more parts than a Word document holds."""
    if zip_directory_size(raw) > MAX_ZIP_DIRECTORY:
        raise CheckerError("refusing to unpack: the archive lists more parts than a Word document holds (its "
                           f"directory is larger than {limit_text(MAX_ZIP_DIRECTORY)})", file=source)
    try:
        return zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError):
        what = "not a Word .docx file (not a zip archive)"
        if raw.startswith(OLE_MAGIC) and _ENCRYPTED in raw:
            what = ("the Word document is password-protected, so its text cannot be read: save a copy "
                    "without the password and check that")
        elif raw.startswith(OLE_MAGIC):
            what = "a Word 97-2003 .doc named .docx: save it as .docx to check it"
        elif is_word_lock(source):
            what = f"{lock_text(source)}, not a draft: check the document itself"
        raise CheckerError(what, file=source) from None


def read_part(zf: zipfile.ZipFile, name: str, source: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None

    # The XML the reader parses counts against the same limit as any other input (a highly
    # repetitive 150 MB document.xml packs into 1.3 MB: under the ratio, but minutes to parse).
    limit = min(MAX_UNPACKED, max_input_bytes())
    if info.file_size > limit or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
        raise CheckerError(f"refusing to unpack {name}: it expands to {info.file_size} bytes", file=source)
    try:
        with zf.open(info) as f:
            data = f.read(limit + 1)  # the size in the zip directory may lie: never read past the limit
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
        raise CheckerError(f"cannot unpack {name}: {exc}", file=source) from None
    if len(data) > limit:
        raise CheckerError(f"refusing to unpack {name}: it is too large", file=source)
    return data


def _whole(el: etree._Element | None, default: int, name: str, source: str) -> int:
    """An integer attribute (w:val, w:ilvl) of numbering data; anything else is a one-line error."""
    if el is None:
        return default
    raw = el.get(_W + "val", el.get(_W + "ilvl"))
    if raw is None:
        return default
    text = raw.strip()
    if not (text.lstrip("+-").isdigit() and len(text) <= 20):
        raise CheckerError(f"{name}: '{raw[:40]}' is not a whole number", file=source)
    return int(text)


# Word's "Strict Open XML Document" writes the same markup under the ISO namespaces: read as the usual ones
STRICT_NAMESPACES = ((b"http://purl.oclc.org/ooxml/wordprocessingml/main", W.encode()),
                     (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
                      b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"))


def is_strict(data: bytes) -> bool:
    """The part is written in Strict Open XML's namespaces."""
    return STRICT_NAMESPACES[0][0] in data


def _parse_xml(data: bytes, name: str, source: str) -> etree._Element:
    refuse_dense_markup(data, name, source)
    if is_strict(data):
        for strict, transitional in STRICT_NAMESPACES:
            data = data.replace(strict, transitional)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CheckerError(f"{name} in the .docx is not valid XML: {exc}", file=source) from None


def check_size(zf: zipfile.ZipFile, source: str) -> None:
    """Refuse an archive whose parts expand, all told, past MAX_UNPACKED (a zip bomb)."""
    total = sum(i.file_size for i in zf.infolist())
    if total > MAX_UNPACKED:
        raise CheckerError(f"refusing to unpack: the archive expands to {total} bytes", file=source)


def parse_part(zf: zipfile.ZipFile, name: str, source: str, required: bool = True) -> etree._Element | None:
    """A part of the archive parsed as XML; a missing part is None, or an error when it is required."""
    data = read_part(zf, name, source)
    if data is None:
        if required:
            raise CheckerError(f"not a Word .docx file (no {name})", file=source)
        return None
    return _parse_xml(data, name, source)


def document_root(zf: zipfile.ZipFile, source: str) -> etree._Element:
    """word/document.xml parsed, once the archive's size is checked (the reader's and the Word copy's)."""
    check_size(zf, source)
    names = [i.filename for i in zf.infolist() if not i.is_dir()]
    if not is_word_archive(names):  # another archive named .docx: said what it is
        what, advice = archive_kind(names)
        raise CheckerError(f"not a Word .docx file (no word/document.xml): {what} named .docx: {advice}",
                           file=source)
    root = parse_part(zf, "word/document.xml", source)
    assert root is not None  # required
    return root


def _hides(rpr: etree._Element | None) -> bool | None:
    """Whether run properties hide their text (w:vanish, or w:specVanish: hidden even where hidden text is
    shown); None where they say nothing of it. w:webHidden is hidden on the web only: printed, so read."""
    if rpr is None:
        return None
    if _on(rpr.find(_W + "specVanish")):
        return True
    vanish = rpr.find(_W + "vanish")
    return None if vanish is None else _on(vanish)


def _on(el: etree._Element | None) -> bool:
    """A toggle property (w:vanish, w:b ...): on when present, unless its w:val says off."""
    return el is not None and el.get(_W + "val", "true").strip().lower() not in ("0", "false", "off", "none")


@dataclass(frozen=True)
class _Style:
    """What the reader needs of one style of word/styles.xml."""

    based_on: str | None = None
    hidden: bool | None = None  # its run properties hide the text (None: they say nothing of it)
    numbering: tuple[str | None, int | None] | None = None  # its w:numPr (numId, ilvl), as far as it says
    outline: int | None = None  # its w:outlineLvl: 0-8 a heading's level, 9 body text
    named_heading: bool = False  # Word's "heading 1"-"heading 9" or "Title" (by name: ids may be localized)


@dataclass(frozen=True)
class Styles:
    """Enough of word/styles.xml to tell what a paragraph or run takes from its styles: styleId -> style,
    through each style's basedOn chain."""

    styles: dict[str, _Style] = field(default_factory=dict)
    default_paragraph: str | None = None  # the style of a paragraph that names none ("Normal")
    default_hidden: bool = False  # the document's default run properties hide text (w:docDefaults)

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        """The style and those it is based on, nearest first (a loop of basedOn is followed once)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def _hidden_by(self, style_id: str | None) -> bool | None:
        return next((s.hidden for s in self.chain(style_id) if s.hidden is not None), None)

    def paragraph_style(self, p: etree._Element | None) -> str | None:
        """The id of the paragraph style of w:p `p` (the default paragraph style where it names none)."""
        el = p.find(f"{_W}pPr/{_W}pStyle") if p is not None else None
        return el.get(_W + "val") if el is not None else self.default_paragraph

    def numbering(self, p: etree._Element) -> tuple[str | None, int | None]:
        """The list (numId, ilvl) paragraph `p` takes from its paragraph style ("List Number"), as it says."""
        said = [s.numbering for s in self.chain(self.paragraph_style(p)) if s.numbering]
        return (next((n[0] for n in said if n[0] is not None), None),  # each the nearest style's that says it
                next((n[1] for n in said if n[1] is not None), None))

    def heading(self, p: etree._Element) -> bool:
        """Whether w:p `p` is a heading by Word's styles: an outline level 0-8 (its own, else its style's) or
        a style "heading 1"-"heading 9" or "Title", or one based on them; the nearest that says wins."""
        own = _outline_level(p.find(f"{_W}pPr/{_W}outlineLvl"))
        if own is not None:
            return own < BODY_LEVEL
        style_id = self.paragraph_style(p)
        if style_id and style_id not in self.styles:  # no styles part: Word's own ids ("Heading2")
            return bool(_HEADING_NAME.fullmatch(style_id))
        for style in self.chain(style_id):
            if style.named_heading:
                return True
            if style.outline is not None:
                return style.outline < BODY_LEVEL
        return False

    def paragraph_hides(self, p: etree._Element | None) -> bool | None:
        """Whether the paragraph style of w:p `p` hides text (None: it says nothing of it)."""
        return self._hidden_by(self.paragraph_style(p))

    def run_hidden(self, run: etree._Element, by_paragraph: bool | None) -> bool:
        """Whether a w:r is hidden text: its own properties, else its character style's, else its paragraph
        style's (`by_paragraph`, paragraph_hides of the run's paragraph), else the document's defaults, the
        nearest that says (Word does not print hidden text)."""
        rpr = run.find(_W + "rPr")
        said = _hides(rpr)
        if said is None and rpr is not None:
            rstyle = rpr.find(_W + "rStyle")
            said = self._hidden_by(rstyle.get(_W + "val") if rstyle is not None else None)
        if said is None:
            said = by_paragraph
        return self.default_hidden if said is None else said

    def mark_hidden(self, p: etree._Element) -> bool:
        """Whether the paragraph mark of w:p `p` is hidden: Word then runs the paragraph on into the next."""
        said = _hides(p.find(f"{_W}pPr/{_W}rPr"))
        if said is None:
            said = self.paragraph_hides(p)
        return self.default_hidden if said is None else said


BODY_LEVEL = 9  # w:outlineLvl 9: body text; 0-8 are the levels of headings
_HEADING_NAME = re.compile(r"heading ?[1-9]|title", re.IGNORECASE)


def _outline_level(el: etree._Element | None) -> int | None:
    """A w:outlineLvl's level (anything but a whole number 0-9 says nothing)."""
    raw = (el.get(_W + "val", "") if el is not None else "").strip()
    return int(raw) if raw.isdigit() and int(raw) <= BODY_LEVEL else None


def _style_name(style: etree._Element) -> str:
    name = style.find(_W + "name")
    return name.get(_W + "val", "") if name is not None else ""


NO_STYLES = Styles()  # a draft without word/styles.xml: only a run's own properties say what is hidden


def styles_of(zf: zipfile.ZipFile, source: str) -> Styles:
    """word/styles.xml read into Styles (no such part: NO_STYLES)."""
    root = parse_part(zf, "word/styles.xml", source, required=False)
    if root is None:
        return NO_STYLES
    styles: dict[str, _Style] = {}
    default_paragraph = None
    for el in root.iterfind(_W + "style"):
        style_id = el.get(_W + "styleId")
        if not style_id:
            continue
        based = el.find(_W + "basedOn")
        styles[style_id] = _Style(based_on=based.get(_W + "val") if based is not None else None,
                                  hidden=_hides(el.find(_W + "rPr")),
                                  numbering=_num_pr(el.find(f"{_W}pPr/{_W}numPr"), "word/styles.xml", source),
                                  outline=_outline_level(el.find(f"{_W}pPr/{_W}outlineLvl")),
                                  named_heading=bool(_HEADING_NAME.fullmatch(_style_name(el))))
        if el.get(_W + "type") == "paragraph" and el.get(_W + "default", "").strip().lower() in ("1", "true"):
            default_paragraph = default_paragraph or style_id
    defaults = _hides(root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr"))
    return Styles(styles, default_paragraph, bool(defaults))


@dataclass(frozen=True)
class _Numbering:
    """Enough of word/numbering.xml to label numbered paragraphs: numId -> level -> (format, text)."""

    levels: dict[tuple[str, int], tuple[str, str, int]]  # (numId, ilvl) -> (numFmt, lvlText, start)


def _numbering(zf: zipfile.ZipFile, source: str) -> _Numbering:
    root = parse_part(zf, "word/numbering.xml", source, required=False)
    if root is None:
        return _Numbering({})
    abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
    for a in root.iterfind(_W + "abstractNum"):
        lvls = {}
        for lvl in a.iterfind(_W + "lvl"):
            fmt = lvl.find(_W + "numFmt")
            text = lvl.find(_W + "lvlText")
            ilvl = _whole(lvl, 0, "word/numbering.xml: w:ilvl", source)
            start = _whole(lvl.find(_W + "start"), 1, "word/numbering.xml: w:start", source)
            if not 0 <= ilvl <= MAX_LEVEL:
                continue
            lvls[ilvl] = (
                fmt.get(_W + "val", "decimal") if fmt is not None else "decimal",
                text.get(_W + "val", "") if text is not None else "",
                max(0, min(start, MAX_COUNTER)),
            )
        abstract[a.get(_W + "abstractNumId", "")] = lvls
    levels = {}
    for num in root.iterfind(_W + "num"):
        ref = num.find(_W + "abstractNumId")
        if ref is None:
            continue
        for ilvl, spec in abstract.get(ref.get(_W + "val", ""), {}).items():
            levels[(num.get(_W + "numId", ""), ilvl)] = spec
    return _Numbering(levels)


def body_paragraphs(root: etree._Element, source: str) -> list[etree._Element]:
    """Word's paragraphs of the document body in order, nested ones (text boxes) included: paragraph n of a
    report's location is element n - 1 (the numbering the reader gives and the Word copy writes by). Of
    markup written twice for older readers (mc:AlternateContent: a Word 2010+ text box as mc:Choice, again
    as a VML mc:Fallback), only the choice Word shows is read."""
    body = root.find(_W + "body")
    if body is None:
        raise CheckerError("not a Word .docx file (no document body)", file=source)
    found = []
    walker = etree.iterwalk(body, events=("start",))
    for _, el in walker:
        if el.tag == _W + "p":
            found.append(el)
        elif el.tag == _MC + "Fallback" and el.getparent().find(_MC + "Choice") is not None:
            walker.skip_subtree()
    return found


# A table row holding this much text is a layout table around prose, not a row of cells (as for HTML).
_LONG_ROW = 400


def _table_rows(found: list[etree._Element], styles: Styles) -> dict[etree._Element, tuple[int, int]]:
    """The table row of cells each paragraph in one is in, as (table, row) numbers in document order: a row
    of two or more cells whose text is short of a page of prose (a layout table's paragraphs stand apart)."""
    by_row: dict[etree._Element, list[etree._Element]] = {}
    for p in found:
        tr = next(p.iterancestors(_W + "tr"), None)
        if tr is not None:
            by_row.setdefault(tr, []).append(p)
    rows: dict[etree._Element, tuple[int, int]] = {}
    tables: dict[etree._Element, int] = {}
    for number, (tr, cells) in enumerate(by_row.items()):
        if len(tr.findall(_W + "tc")) < 2 or sum(len(visible_text(p, styles)) for p in cells) > _LONG_ROW:
            continue
        table = tables.setdefault(tr.getparent(), len(tables))
        rows.update((p, (table, number)) for p in cells)
    return rows


_NOTE_KINDS = ("footnote", "endnote")


def _notes(zf: zipfile.ZipFile, styles: Styles, source: str) -> dict[tuple[str, str], str]:
    """The text of each footnote and endnote, by (kind, w:id): Word prints them, so they are read (its
    separators, which hold no text, aside)."""
    found: dict[tuple[str, str], str] = {}
    for kind in _NOTE_KINDS:
        root = parse_part(zf, f"word/{kind}s.xml", source, required=False)
        for note in root.iterfind(_W + kind) if root is not None else ():
            text = " ".join(t for t in (visible_text(p, styles).strip() for p in note.iter(_W + "p")) if t)
            if text:
                found[(kind, note.get(_W + "id", ""))] = text
    return found


def _cited_notes(p: etree._Element, notes: dict[tuple[str, str], str], styles: Styles) -> list[str]:
    """The text of the notes paragraph `p` itself cites, in order, as the draft stands (a reference deleted
    or hidden cites none)."""
    if not notes:
        return []
    by_paragraph = styles.paragraph_hides(p)
    cited = []
    for ref in p.iter(*(f"{_W}{kind}Reference" for kind in _NOTE_KINDS)):
        run = ref.getparent()
        if (next(ref.iterancestors(_W + "p"), None) is not p or _inside_deleted(ref)
                or (run.tag == _W + "r" and styles.run_hidden(run, by_paragraph))):
            continue
        text = notes.get((etree.QName(ref).localname.removesuffix("Reference"), ref.get(_W + "id", "")))
        if text:
            cited.append(text)
    return cited


def _paragraphs(root: etree._Element, numbering: _Numbering, styles: Styles, source: str,
                notes: dict[tuple[str, str], str] | None = None):
    counters: dict[str, dict[int, int]] = {}  # numId -> level -> the number last shown
    joined: _Paragraph | None = None  # paragraphs whose mark was deleted or hidden, run on into the next
    found = body_paragraphs(root, source)
    rows = _table_rows(found, styles)
    for number, p in enumerate(found, 1):
        if _inside_deleted(p):
            continue
        level = _list_level(p, styles, source)
        if level is not None and level not in numbering.levels:
            level = None  # a list the numbering part does not define shows no number
        label = _label(level, numbering, counters)
        # a footnote or endnote it cites is read as a line of its own at the paragraph's end
        text = "\n".join([visible_text(p, styles), *_cited_notes(p, notes or {}, styles)])
        heading = True if styles.heading(p) else (False if level is not None else None)
        if joined is not None:  # numbered by the first paragraph that shows any text
            if joined.text.strip():
                # a heading run in before a paragraph (a style separator) is no heading with it: not said
                number, heading = joined.number, joined.heading if not text.strip() else None
            text = joined.text + text
            joined = None
        if p.find(f"{_W}pPr/{_W}rPr/{_W}del") is not None or styles.mark_hidden(p):
            # A deleted (tracked) or hidden paragraph mark: Word shows the paragraph run on into the next.
            joined = _Paragraph(text, number, heading)
            continue
        yield _Paragraph(f"{label} {text}".strip() if label and text.strip() else text, number, heading,
                         rows.get(p))
    if joined is not None:
        yield joined


def _inside_deleted(p: etree._Element) -> bool:
    parent = p.getparent()
    while parent is not None:
        if parent.tag in _SKIP:
            return True
        parent = parent.getparent()
    return False


BLANK = "[\u25cf]"  # what an unfilled content control stands for: a drafting blank ("[●]")


def _shows_placeholder(sdt: etree._Element) -> bool:
    """Whether a content control (w:sdt) still shows its placeholder ("Click or tap here to enter text.")."""
    return sdt.find(f"{_W}sdtPr/{_W}showingPlcHdr") is not None


def visible_text(root: etree._Element, styles: Styles = NO_STYLES) -> str:
    """The text a paragraph, or a part of one (a run, an insertion), shows with insertions in, deletions,
    comments and hidden text out: what the reader reads there. A content control not yet filled in, which
    shows its placeholder text, is a blank (BLANK), as is a paragraph inside one."""
    if root.tag in _SKIP:
        return ""
    if root.tag == _W + "sdt" and _shows_placeholder(root):
        return BLANK
    # every run read here is of one paragraph (a nested one is skipped): its style is looked up once
    paragraph = root if root.tag == _W + "p" else next(root.iterancestors(_W + "p"), None)
    if paragraph is not None and any(_shows_placeholder(a) for a in paragraph.iterancestors(_W + "sdt")):
        return BLANK
    by_paragraph = styles.paragraph_hides(paragraph)
    out: list[str] = []
    walker = etree.iterwalk(root, events=("start",))
    for _, el in walker:
        tag = el.tag
        if tag in _SKIP or (tag == _W + "r" and styles.run_hidden(el, by_paragraph)):
            walker.skip_subtree()
        elif tag == _W + "sdt" and _shows_placeholder(el):
            out.append(BLANK)
            walker.skip_subtree()
        elif tag == _W + "t":
            out.append(el.text or "")
        elif tag in _TAB_BREAK:
            out.append(_TAB_BREAK[tag])
        elif tag == _W + "p" and el is not root:
            walker.skip_subtree()  # a nested paragraph (text box) is read on its own
    return clean("".join(out)).replace("\u00a0", " ")


def _num_pr(num_pr: etree._Element | None, part: str, source: str) -> tuple[str | None, int | None] | None:
    """A w:numPr's (numId, ilvl), each None where it does not say it; None where there is no w:numPr."""
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(_W + "numId"), num_pr.find(_W + "ilvl")
    return (num_id.get(_W + "val", "") if num_id is not None else None,
            _whole(ilvl, 0, f"{part}: w:ilvl", source) if ilvl is not None else None)


def _list_level(p: etree._Element, styles: Styles, source: str) -> tuple[str, int] | None:
    """The list (numId, ilvl) a paragraph is an item of: its own w:numPr, what it leaves unsaid taken from its
    paragraph style's ("List Number", "List Bullet"); None for a paragraph in no list (numId 0: none)."""
    own = _num_pr(p.find(f"{_W}pPr/{_W}numPr"), "word/document.xml", source) or (None, None)
    styled = styles.numbering(p) if None in own else (None, None)
    num_id = own[0] if own[0] is not None else styled[0]
    ilvl = own[1] if own[1] is not None else styled[1]
    if not num_id or num_id == "0":
        return None
    return num_id, ilvl or 0


def _label(level: tuple[str, int] | None, numbering: _Numbering, counters: dict[str, dict[int, int]]) -> str:
    """The list number Word shows ("1.", "(a)", "2.3") for a paragraph of list `level` (numId, ilvl, one the
    numbering part defines: _paragraphs leaves out any other), counting it; bullets get none."""
    if level is None:
        return ""
    num_id, ilvl = level  # levels are 0-8 only, so the loops below are short
    fmt, template, start = numbering.levels[level]
    mine = counters.setdefault(num_id, {})
    mine[ilvl] = min(mine.get(ilvl, start - 1) + 1, MAX_COUNTER)
    for lvl in [lvl for lvl in mine if lvl > ilvl]:  # a deeper level restarts under a new parent
        del mine[lvl]
    if fmt in ("bullet", "none") or not template:
        return ""
    label = template
    for lvl in range(ilvl + 1):
        value = mine.get(lvl, numbering.levels.get((num_id, lvl), ("", "", 1))[2])
        lvl_fmt = numbering.levels.get((num_id, lvl), ("decimal", "", 1))[0]
        label = label.replace(f"%{lvl + 1}", _format(value, lvl_fmt))
    return label


def _format(value: int, fmt: str) -> str:
    if value > MAX_ROMAN:
        return str(value)
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    return str(value)


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out or "a"


def _roman(n: int) -> str:
    table = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
             (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, sym in table:
        while n >= value:
            out += sym
            n -= value
    return out
