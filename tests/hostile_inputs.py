"""Generators of hostile inputs for the hardening tests and bench/bench_inputs.py (nothing big is committed)."""

from __future__ import annotations

IX = "http://www.xbrl.org/2013/inlineXBRL"
CYD = "http://xbrl.sec.gov/cyd/2024"
SENTENCE = "The Board of Directors oversees cybersecurity risk and the CISO reports to it quarterly."


def shared_chain_html(facts: int, links: int) -> bytes:
    """Inline XBRL where every one of `facts` facts is continuedAt the same chain of `links` continuations."""
    head = (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="{IX}" xmlns:cyd="{CYD}">'
            "<body><p>Item 1C. Cybersecurity</p>")
    fact_els = "".join(
        f'<p><ix:nonNumeric name="cyd:CybersecurityRiskManagementProcessesIntegratedTextBlock" '
        f'contextRef="c-1" id="f{i}" continuedAt="k0">Fact {i}: {SENTENCE}</ix:nonNumeric></p>'
        for i in range(facts))
    def link(j: int) -> str:
        nxt = f' continuedAt="k{j + 1}"' if j + 1 < links else ""
        return f'<p><ix:continuation id="k{j}"{nxt}>Part {j}: {SENTENCE}</ix:continuation></p>'

    chain = "".join(link(j) for j in range(links))
    return (head + fact_els + chain + "</body></html>").encode()


def nested_span_html(depth: int) -> bytes:
    """One inline XBRL fact whose text sits inside `depth` nested spans."""
    inner = "<span>" * depth + SENTENCE + "</span>" * depth
    return (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="{IX}" xmlns:cyd="{CYD}"><body>'
            "<p>Item 1C. Cybersecurity</p>"
            f'<div><ix:nonNumeric name="cyd:CybersecurityRiskManagementProcessesIntegratedTextBlock" '
            f'contextRef="c-1" id="f1">{inner}</ix:nonNumeric></div></body></html>').encode()


def big_docx(paragraphs: int, numbered: bool = True) -> bytes:
    """A .docx of `paragraphs` numbered paragraphs of governance text (about 330 bytes of XML each)."""
    import io
    import random
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    num = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>' if numbered else ""
    rng = random.Random(paragraphs)  # varied words: real text packs about 4:1, not past the zip-bomb ratio
    words = SENTENCE.split() + [f"w{i}" for i in range(5000)]

    def para() -> str:
        text = f"{SENTENCE} " + " ".join(rng.choice(words) for _ in range(22))
        return f'<w:p>{num}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    numbering = (f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                 '<w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%1)"/></w:lvl>'
                 '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    body = "<w:p><w:r><w:t>Item 1C. Cybersecurity</w:t></w:r></w:p>" + "".join(para() for _ in range(paragraphs))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
        z.writestr("word/numbering.xml", numbering)
    return buf.getvalue()
