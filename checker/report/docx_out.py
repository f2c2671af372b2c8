"""Word output: a copy of the .docx draft with each finding as a Word comment where it applies."""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence

from lxml import etree

from ..ingest.docx import (
    Styles,
    W,
    body_paragraphs,
    document_root,
    is_strict,
    open_archive,
    parse_part,
    read_part,
    styles_of,
    visible_text,
)
from ..model import CheckerError, Report
from .comments import AUTHOR, Comment, comments_of

_W = f"{{{W}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"  # xml:space="preserve": keep edge spaces
INITIALS = "CC"
COMMENTS_PART = "word/comments.xml"
RELS_PART = "word/_rels/document.xml.rels"
TYPES_PART = "[Content_Types].xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
# The parts Word 2013+ keeps beside comments.xml (replies and "resolved", ids that survive edits, UTC dates),
# whose entries name a comment by its paragraphs' w14:paraId or (the last) by the durable id the second gives
COMMENT_PARTS_RELS = ("http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                      "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                      "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible")
_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# XML 1.0 cannot hold these (a draft's text may, after a Word field or a pasted control character).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# a list number as the reader writes it before a numbered paragraph ("1.", "(a)", "iv)", "2.3")
_LIST_LABEL = re.compile(r"\(?[0-9A-Za-z]{1,6}(?:\.[0-9]{1,4})*[.)]?\s+")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the date of a part this writer adds: the same bytes every run


def render(reports: Sequence[Report], **options) -> bytes:
    """The draft (options["original"]: the .docx bytes the reports were read from) with the comments."""
    original = options.get("original")
    if not isinstance(original, bytes | bytearray):
        raise CheckerError("a Word copy with comments needs the .docx draft the reports were checked from")
    source = reports[0].document.source if reports else "<docx>"
    # dated as Word dates a reviewer's comments: the time of the check (SOURCE_DATE_EPOCH fixes it)
    date = options.get("checked") or options.get("generated")
    return annotate(bytes(original), comments_of(reports, options.get("version", "")), source, date)


def annotate(raw: bytes, comments: Sequence[Comment], source: str, date: str | None = None) -> bytes:
    """A copy of the .docx `raw` with the comments added; every other part is copied as it was."""
    with open_archive(raw, source) as zf:
        document = document_root(zf, source)
        if is_strict(read_part(zf, "word/document.xml", source) or b""):  # read as the usual markup
            raise CheckerError("the Word document is saved as Strict Open XML, which cydcheck reads but "
                               "cannot add comments to: save it in Word as a Word Document (.docx) for the "
                               "copy with comments", file=source)
        types = parse_part(zf, TYPES_PART, source)
        assert types is not None  # required
        rels = _with_comments_rel(parse_part(zf, RELS_PART, source, required=False))
        target = _comments_target(rels, source)
        existing = parse_part(zf, target, source, required=False)
        paragraphs = body_paragraphs(document, source)  # numbered as the reader numbers them
        styles = styles_of(zf, source)  # hidden text is not shown: the reader skips it
        store = existing if existing is not None else etree.Element(_W + "comments", nsmap={"w": W})
        # a copy checked again (a copy cydcheck wrote, edited since): its earlier findings give way to these
        parts = _drop_own_comments(zf, rels, document, store, source)
        next_id = 1 + max([*_ids(document), *_ids(store)], default=-1)
        placed: dict[int, list[int]] = {}  # paragraph index -> its whole-paragraph comments' ids, in order
        for cid, comment in enumerate(comments if paragraphs else (), next_id):
            index = min(max(comment.paragraph, 1), len(paragraphs)) - 1
            if not (comment.quote and _mark_sentence(paragraphs[index], cid, comment.quote, styles)):
                placed.setdefault(index, []).append(cid)
            store.append(_comment(cid, comment.lines, date))
        for index, ids in placed.items():
            _mark(paragraphs[index], ids)
        parts.update({"word/document.xml": _xml(document), RELS_PART: _xml(rels), target: _xml(store),
                      TYPES_PART: _xml(_with_comments_type(types, target))})
        return _rezip(zf, parts, source)


def _drop_own_comments(zf: zipfile.ZipFile, rels: etree._Element, document: etree._Element,
                       store: etree._Element, source: str) -> dict[str, bytes]:
    """Remove the comments cydcheck wrote (by its author name) from the store and their ranges and references
    from the document, in place, and their entries from Word's other comment parts: those parts, changed.
    Every other author's comment is kept as it was; a reply to one removed becomes a comment of its own."""
    own = [c for c in store.iterfind(_W + "comment") if c.get(_W + "author") == AUTHOR]
    if not own:
        return {}
    ids = {c.get(_W + "id") for c in own}
    para_ids = {p.get(_PARA_ID) for c in own for p in c.iter(_W + "p")} - {None}
    for c in own:
        store.remove(c)
    for el in list(document.iter(_W + "commentRangeStart", _W + "commentRangeEnd", _W + "commentReference")):
        if el.get(_W + "id") in ids:
            parent = el.getparent()
            parent.remove(el)
            if el.tag == _W + "commentReference" and all(c.tag == _W + "rPr" for c in parent):
                parent.getparent().remove(parent)  # the run that held only the reference
    changed: dict[str, bytes] = {}
    durable_ids: set[str] = set()
    for rel_type in COMMENT_PARTS_RELS:  # commentsIds gives the durable ids commentsExtensible names
        name = _part_of(rels, rel_type, source)
        root = parse_part(zf, name, source, required=False) if name else None
        if name and root is not None and _drop_entries(root, para_ids, durable_ids):
            changed[name] = _xml(root)
    return changed


def _drop_entries(root: etree._Element, para_ids: set[str], durable_ids: set[str]) -> bool:
    """Remove the entries of a comment part that name a removed comment by paraId or durableId (adding each
    entry's durableId to `durable_ids`), and unlink replies from it (paraIdParent); whether any changed."""
    changed = False
    for entry in [e for e in root if isinstance(e.tag, str)]:
        names = {etree.QName(k).localname: k for k in entry.attrib}  # w15:paraId, w16cid:durableId ...
        said = {local: entry.get(name) for local, name in names.items()}
        if said.get("paraId") in para_ids or said.get("durableId") in durable_ids:
            if "durableId" in said:
                durable_ids.add(said["durableId"])
            root.remove(entry)
            changed = True
        elif said.get("paraIdParent") in para_ids:
            del entry.attrib[names["paraIdParent"]]
            changed = True
    return changed


def _ids(root: etree._Element) -> list[int]:
    """Every numeric w:id in a part: a comment takes an id no annotation of the draft uses."""
    values = (el.get(_W + "id") for el in root.iter() if isinstance(el.tag, str))
    return [int(v) for v in values if v is not None and v.isdigit() and len(v) < 10]


def _marker(tag: str, cid: int) -> etree._Element:
    """A w:commentRangeStart or w:commentRangeEnd of comment `cid`."""
    el = etree.Element(_W + tag)
    el.set(_W + "id", str(cid))
    return el


def _reference(cid: int) -> etree._Element:
    """The run Word shows comment `cid`'s mark by, placed after its range's end."""
    run = etree.Element(_W + "r")
    run.append(_marker("commentReference", cid))
    return run


def _mark(p: etree._Element, ids: Sequence[int]) -> None:
    """Span the whole paragraph with each comment: range starts in order after its properties, range
    ends in reverse order at its end (nested, the first comment outermost), each with its reference."""
    ppr = p.find(_W + "pPr")
    at = p.index(ppr) + 1 if ppr is not None else 0
    for offset, cid in enumerate(ids):
        p.insert(at + offset, _marker("commentRangeStart", cid))
    for cid in reversed(ids):
        p.extend((_marker("commentRangeEnd", cid), _reference(cid)))


def _mark_sentence(p: etree._Element, cid: int, quote: str, styles: Styles) -> bool:
    """Span the sentence `quote` of paragraph p with comment `cid`, from the run where it starts to the run
    where it ends (a plain run split there, so the range is the sentence itself), a list number the reader
    put before it left out; False where the paragraph does not show the sentence as the reader read it."""
    units = [(unit, visible_text(unit, styles)) for unit in _units(p)]
    shown = "".join(text for _, text in units)
    at = shown.find(quote)
    label = _LIST_LABEL.match(quote)
    if at < 0 and label:  # the list number the reader puts before a numbered paragraph's text
        quote = quote[label.end():]
        at = shown.find(quote)
    if at < 0 or not quote:
        return False
    end, pos = at + len(quote), 0
    first = last = None
    for child, text in units:
        if text and first is None and pos + len(text) > at:
            first = _split(child, at - pos, "right", styles)
            if first is not child:  # split: the half kept starts the sentence, and may end it too
                child, text, pos = first, text[at - pos:], at
        if text and pos < end <= pos + len(text):
            last = _split(child, end - pos, "left", styles)
            break
        pos += len(text)
    if first is None or last is None:
        return False
    first.addprevious(_marker("commentRangeStart", cid))
    closing = _marker("commentRangeEnd", cid)
    last.addnext(closing)
    closing.addnext(_reference(cid))
    return True


# Elements of a paragraph that hold runs and may hold a comment's range too: a tracked insertion or move, a
# link, a smart tag. A range is marked on the runs inside them, so it can start or end within one.
_RUN_HOLDERS = frozenset(_W + t for t in ("ins", "moveTo", "hyperlink", "smartTag"))


def _units(p: etree._Element) -> list[etree._Element]:
    """The children of paragraph p a comment's range is marked between: its runs and other children, and the
    runs inside a tracked insertion (or a link) in place of the insertion itself."""
    out: list[etree._Element] = []
    for child in p:
        if child.tag in _RUN_HOLDERS:
            out += _units(child)
        else:
            out.append(child)
    return out


def _split(child: etree._Element, offset: int, keep: str, styles: Styles) -> etree._Element:
    """Split a plain run (one w:t, no other text) at `offset` of its text, in place, and return the half
    the range keeps ("right": from the offset on, "left": up to it); any other child is kept whole."""
    texts = child.findall(_W + "t")
    plain = child.tag == _W + "r" and len(texts) == 1 and all(
        c.tag in (_W + "t", _W + "rPr") for c in child)
    text = (texts[0].text or "") if plain else ""
    if not plain or not 0 < offset < len(text) or visible_text(child, styles) != text:
        return child
    right = copy.deepcopy(child)
    texts[0].text = text[:offset]
    right.find(_W + "t").text = text[offset:]
    for t in (texts[0], right.find(_W + "t")):
        t.set(_XML_SPACE, "preserve")
    child.addnext(right)
    return right if keep == "right" else child


def _comment(cid: int, lines: Sequence[str], date: str | None) -> etree._Element:
    el = etree.Element(_W + "comment")
    el.set(_W + "id", str(cid))
    el.set(_W + "author", AUTHOR)
    el.set(_W + "initials", INITIALS)
    if date:
        el.set(_W + "date", date)
    for line in lines:
        para = etree.SubElement(el, _W + "p")
        t = etree.SubElement(etree.SubElement(para, _W + "r"), _W + "t")
        t.text = _NOT_XML.sub("", line)
        t.set(_XML_SPACE, "preserve")
    return el


def _with_comments_rel(rels: etree._Element | None) -> etree._Element:
    """The document's relationships, with one to the comments part if it had none."""
    if rels is None:
        rels = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    tag = f"{{{PKG_REL_NS}}}Relationship"
    if any(r.get("Type") == COMMENTS_REL for r in rels.iter(tag)):
        return rels
    taken = {r.get("Id") for r in rels.iter(tag)}
    n = 1
    while f"rId{n}" in taken:
        n += 1
    rel = etree.SubElement(rels, tag)
    rel.set("Id", f"rId{n}")
    rel.set("Type", COMMENTS_REL)
    rel.set("Target", "comments.xml")
    return rels


def _comments_target(rels: etree._Element, source: str) -> str:
    """The part the comments relationship names, as a path in the archive."""
    return _part_of(rels, COMMENTS_REL, source) or COMMENTS_PART


def _part_of(rels: etree._Element, rel_type: str, source: str) -> str | None:
    """The part a relationship of the document names, as a path in the archive (a target is relative to
    word/); None where there is no such relationship."""
    for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
        if r.get("Type") == rel_type:
            target = r.get("Target", "")
            part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else "word/" + target)
            if part.startswith("..") or not part.endswith(".xml"):
                raise CheckerError(f"the draft's comments are in an unexpected place ('{target[:80]}'): "
                                   "save it again from Word and check that", file=source)
            return part
    return None


def _with_comments_type(types: etree._Element, part: str) -> etree._Element:
    name = "/" + part
    tag = f"{{{TYPES_NS}}}Override"
    if not any(o.get("PartName") == name for o in types.iter(tag)):
        override = etree.SubElement(types, tag)
        override.set("PartName", name)
        override.set("ContentType", COMMENTS_TYPE)
    return types


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rezip(zf: zipfile.ZipFile, parts: dict[str, bytes], source: str) -> bytes:
    """The archive again, each part in its place and as it was packed, the changed ones replaced and
    the new ones (the comments) at the end. The parts copied are at most what check_size allowed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in zf.infolist():
            data = parts.pop(info.filename, None)
            if data is None:
                try:
                    data = zf.read(info)
                except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
                    raise CheckerError(f"cannot unpack {info.filename}: {exc}", file=source) from None
            new.writestr(info, data)
        for name, data in parts.items():
            new.writestr(zipfile.ZipInfo(name, _ZIP_EPOCH), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
