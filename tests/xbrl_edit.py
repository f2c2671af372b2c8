"""Edits of real inline XBRL filings for tests: unwrap, empty or add a fact, change a flag's format."""

from __future__ import annotations

from lxml import etree

IX = "http://www.xbrl.org/2013/inlineXBRL"
XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"
CYD = "http://xbrl.sec.gov/cyd/2024"


def _tree(raw: bytes) -> etree._Element:
    return etree.fromstring(raw.lstrip(), etree.XMLParser(huge_tree=True, recover=True))


def _dump(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def by_id(root: etree._Element, fact_id: str) -> etree._Element:
    found = root.xpath("//*[@id=$i]", i=fact_id)
    assert found, f"no element with id {fact_id}"
    return found[0]


def set_format(raw: bytes, fact_id: str, fmt: str | None) -> bytes:
    root = _tree(raw)
    el = by_id(root, fact_id)
    if fmt is None:
        el.attrib.pop("format", None)
    else:
        el.set("format", fmt)
    return _dump(root)


def unwrap(raw: bytes, fact_id: str) -> bytes:
    """Remove a fact's tag, keeping the words it wrapped (a tag removed)."""
    root = _tree(raw)
    el = by_id(root, fact_id)
    parent = el.getparent()
    index = parent.index(el)
    text = el.text or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    last = children[-1] if children else (parent[index - 1] if index > 0 else None)
    if last is not None:
        last.tail = (last.tail or "") + (el.tail or "")
    else:
        parent.text = (parent.text or "") + (el.tail or "")
    parent.remove(el)
    return _dump(root)


def unwrap_all_cyd(raw: bytes) -> bytes:
    root = _tree(raw)
    ids = [el.get("id") for el in root.iter(f"{{{IX}}}nonNumeric")
           if (el.get("name") or "").startswith("cyd:")]
    for fact_id in ids:
        raw = unwrap(raw, fact_id)
    return raw


def empty(raw: bytes, fact_id: str) -> bytes:
    """Keep a text block's tag but drop its content and continuations (a text block emptied)."""
    root = _tree(raw)
    el = by_id(root, fact_id)
    for child in list(el):
        el.remove(child)
    el.text = ""
    el.attrib.pop("continuedAt", None)
    return _dump(root)


def wrap(raw: bytes, phrase: str, concept: str, fact_id: str, context: str = "c-1") -> bytes:
    """Tag the innermost element whose text holds `phrase` with a new cyd text block."""
    root = _tree(raw)
    holders = [e for e in root.iter() if isinstance(e.tag, str) and phrase in "".join(e.itertext())]
    target = holders[-1]
    fact = etree.Element(f"{{{IX}}}nonNumeric", nsmap={"ix": IX, "cyd": CYD})
    fact.set("name", f"cyd:{concept}")
    fact.set("contextRef", context)
    fact.set("id", fact_id)
    fact.set("escape", "true")
    fact.text, target.text = target.text, None
    for child in list(target):
        fact.append(child)
    target.append(fact)
    return _dump(root)


def add_hidden(raw: bytes, concept: str, text: str, context: str = "c-1") -> bytes:
    root = _tree(raw)
    hidden = next(root.iter(f"{{{IX}}}hidden"))
    fact = etree.SubElement(hidden, f"{{{IX}}}nonNumeric", nsmap={"cyd": CYD})
    fact.set("name", f"cyd:{concept}")
    fact.set("contextRef", context)
    fact.set("id", "hidden-test-fact")
    fact.text = text
    return _dump(root)


def add_incident_context(raw: bytes, context_id: str, member: str, like: str = "c-1") -> bytes:
    """A copy of context `like` with an explicit member of MaterialCybersecurityIncidentAxis."""
    root = _tree(raw)
    base = next(c for c in root.iter(f"{{{XBRLI}}}context") if c.get("id") == like)
    ctx = etree.fromstring(etree.tostring(base))
    ctx.set("id", context_id)
    entity = ctx.find(f"{{{XBRLI}}}entity")
    segment = etree.SubElement(entity, f"{{{XBRLI}}}segment")
    em = etree.SubElement(segment, f"{{{XBRLDI}}}explicitMember", nsmap={"xbrldi": XBRLDI, "cyd": CYD})
    em.set("dimension", "cyd:MaterialCybersecurityIncidentAxis")
    em.text = member
    base.addnext(ctx)
    return _dump(root)


def set_context(raw: bytes, fact_id: str, context_id: str) -> bytes:
    root = _tree(raw)
    by_id(root, fact_id).set("contextRef", context_id)
    return _dump(root)
