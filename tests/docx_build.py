"""Build a real, minimal Word .docx from paragraphs (the tests' drafts and samples/*.docx).

    python tests/docx_build.py samples/draft-10k-1c-deficient.md samples/draft-10k-1c-deficient.docx
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPES = (_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/>'
          '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.styles+xml"/>{extra}</Types>')
_RELS = (_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_RELS = (_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'styles" Target="styles.xml"/>{extra}</Relationships>')
_STYLES = (_DECL + f'<w:styles xmlns:w="{W}">'
           '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
           '<w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:style>'
           + "".join(f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
                     f'<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="{n - 1}"/></w:pPr>'
                     f'<w:rPr><w:b/><w:sz w:val="{32 - 4 * n}"/></w:rPr></w:style>' for n in (1, 2))
           + "</w:styles>")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def paragraph(text: str, style: str = "", inner: str = "") -> str:
    """One w:p: the text as one run (or `inner`, runs and marks written out), with a paragraph style."""
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = inner or f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f"<w:p>{ppr}{runs}</w:p>"


def text_box(text: str) -> str:
    """A run holding a text box as Word 2010+ writes one: the box (wps) as mc:Choice, again as VML in
    mc:Fallback for older readers, each with the text in a paragraph of its own."""
    inner = f'<w:txbxContent><w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:txbxContent>'
    return ('<w:r xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            '<wp:inline><wp:extent cx="5000000" cy="900000"/><wp:docPr id="1" name="Text Box 1"/><a:graphic>'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            f'<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{inner}</wps:txbx><wps:bodyPr/></wps:wsp>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict>'
            f'<v:shape id="tb1" type="#_x0000_t202"><v:textbox>{inner}</v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r>')


def docx(paragraphs: list[str], comments: str = "") -> bytes:
    """A .docx of the w:p strings given; `comments` (w:comment elements) become word/comments.xml."""
    doc = _DECL + f'<w:document xmlns:w="{W}"><w:body>' + "".join(paragraphs) + "<w:sectPr/></w:body></w:document>"
    parts = {"[Content_Types].xml": _TYPES.format(extra=""), "_rels/.rels": _RELS,
             "word/document.xml": doc, "word/styles.xml": _STYLES,
             "word/_rels/document.xml.rels": _DOC_RELS.format(extra="")}
    if comments:
        parts["[Content_Types].xml"] = _TYPES.format(
            extra='<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.wordprocessingml.comments+xml"/>')
        parts["word/_rels/document.xml.rels"] = _DOC_RELS.format(
            extra='<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  'relationships/comments" Target="comments.xml"/>')
        parts["word/comments.xml"] = _DECL + f'<w:comments xmlns:w="{W}">{comments}</w:comments>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, _EPOCH), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def from_markdown(text: str) -> bytes:
    """A draft in Markdown as Word would hold it: '#' lines as headings, each paragraph one w:p."""
    paras = []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        level = len(block) - len(block.lstrip("#"))
        body = " ".join(block.lstrip("#").split())
        paras.append(paragraph(body, f"Heading{min(level, 2)}" if level else ""))
    return docx(paras)


def from_text(text: str) -> bytes:
    """A section's plain text (a corpus record's) as a draft: each non-empty line one paragraph."""
    return docx([paragraph(line.strip()) for line in text.splitlines() if line.strip()])


if __name__ == "__main__":
    Path(sys.argv[2]).write_bytes(from_markdown(Path(sys.argv[1]).read_text(encoding="utf-8")))
