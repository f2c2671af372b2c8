"""Word output: a copy of the .docx draft with every finding as a Word comment where it applies."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run_main
from click.testing import CliRunner
from docx_build import docx, from_markdown, from_text, paragraph, text_box
from lxml import etree
from report_samples import REPORT_FIXTURES, REVIEW_SAMPLE, ROOT, SAMPLES, VERSION, TextSnapshot

from checker import Checker, ingest
from checker.cli import cli
from checker.ingest import docx as docx_reader
from checker.model import CheckerError
from checker.report import copy_with_findings
from checker.report.comments import AUTHOR, Comment
from checker.report.docx_out import annotate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE_MD = ROOT / "samples" / "draft-10k-1c-deficient.md"
SAMPLE_DOCX = ROOT / "samples" / "draft-10k-1c-deficient.docx"
EPOCH = "1765000000"  # SOURCE_DATE_EPOCH: 2025-12-06T05:46:40Z


def comments_in(raw: bytes) -> list[dict]:
    """Each comment of a .docx: id, author, its text, and the text of the paragraph it is anchored on."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        store = etree.fromstring(z.read("word/comments.xml"))
    where, spans = {}, {}
    for n, p in enumerate(doc.iter(W + "p"), 1):
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        open_ids: set[str] = set()
        for el in p.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "t"):
            cid = el.get(W + "id")
            if el.tag == W + "commentRangeStart":
                where[cid], spans[cid] = (n, text), ""
                open_ids.add(cid)
            elif el.tag == W + "commentRangeEnd":
                open_ids.discard(cid)
            else:
                for i in open_ids:
                    spans[i] += el.text or ""
        refs = {r.get(W + "id") for r in p.iter(W + "commentReference")}
        ends = {e.get(W + "id") for e in p.iter(W + "commentRangeEnd")}
        assert refs == ends, "every comment ends where its reference is"
    out = []
    for c in store.iter(W + "comment"):
        cid = c.get(W + "id")
        lines = ["".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p")]
        n, text = where[cid]
        out.append({"id": cid, "author": c.get(W + "author"), "date": c.get(W + "date"), "lines": lines,
                    "paragraph": n, "anchored_text": text, "range": spans[cid]})
    return out


def check_docx(tmp_path: Path, raw: bytes, *args: str, env: dict | None = None) -> tuple[int, str, Path]:
    draft = tmp_path / "draft.docx"
    draft.write_bytes(raw)
    out = tmp_path / "draft-checked.docx"
    result = CliRunner().invoke(cli, ["check", str(draft), "-o", str(out), *args],
                                env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})
    return result.exit_code, result.output, out


def test_the_shipped_docx_sample_is_the_markdown_sample_in_word():
    assert SAMPLE_DOCX.read_bytes() == from_markdown(SAMPLE_MD.read_text(encoding="utf-8"))


def test_each_gap_is_a_comment_at_the_heading_and_each_met_finding_at_its_paragraph(tmp_path):
    raw = SAMPLE_DOCX.read_bytes()
    code, output, out = check_docx(tmp_path, raw)
    assert code == 1, output  # the sample has gaps: the run still fails the gate
    assert (tmp_path / "draft.docx").read_bytes() == raw  # the draft itself is never written to
    report = Checker().check_document(docx_reader.read(raw, "draft.docx")[0])
    comments = comments_in(out.read_bytes())
    assert all(c["author"] == AUTHOR and c["date"] == "2025-12-06T05:46:40Z" for c in comments)
    heading = [c for c in comments if c["anchored_text"] == "Item 1C. Cybersecurity"]
    assert "5 met, 7 missing" in heading[0]["lines"][0]
    missing = [r for r in report.results if r.status == "missing"]
    assert [c["lines"][0] for c in heading[1:]] == [
        f"MISSING: {r.title} [{r.citation}] ({r.rule})" for r in missing]
    for r in missing:  # the message and the fix, as the terminal gives them
        (c,) = [c for c in heading if r.rule in c["lines"][0]]
        assert " ".join(r.message.split()) in c["lines"] and c["lines"][-2].startswith("Fix: ")
        assert c["lines"][-1].startswith("How a peer says it: \u201c")  # the first of the peer examples
    met = [r for r in report.results if r.status == "met"]
    assert len(comments) == 1 + len(missing) + sum(len({e.location.line for e in r.evidence}) for r in met)
    for r in met:
        ours = [c for c in comments if r.rule in c["lines"][0]]
        assert ours and all(c["lines"][0].startswith("MET: ") for c in ours)
        assert {c["paragraph"] for c in ours} == {e.location.line for e in r.evidence}
        for e in r.evidence:  # the comment spans the sentence quoted, in the paragraph it stands in
            assert any(c["range"] == e.text and c["paragraph"] == e.location.line for c in ours)
    assert all(c["range"] == "Item 1C. Cybersecurity" for c in heading)  # a gap: the heading, whole


def test_no_examples_leaves_the_peers_out(tmp_path):
    _, _, out = check_docx(tmp_path, SAMPLE_DOCX.read_bytes(), "--no-examples")
    gaps = [c for c in comments_in(out.read_bytes()) if c["lines"][0].startswith("MISSING")]
    assert len(gaps) == 7 and all(c["lines"][-1].startswith("Fix: ") for c in gaps)


def test_the_copy_reads_as_the_same_draft_and_checks_the_same(tmp_path):
    raw = SAMPLE_DOCX.read_bytes()
    _, _, out = check_docx(tmp_path, raw)
    before = docx_reader.read(raw, "draft.docx")[0]
    after = docx_reader.read(out.read_bytes(), "draft.docx")[0]
    assert after.text == before.text and after.source_map == before.source_map
    checker = Checker()
    assert ([r.to_dict() for r in checker.check_document(after).results]
            == [r.to_dict() for r in checker.check_document(before).results])
    rewritten = {"word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "word/comments.xml"}
    with zipfile.ZipFile(io.BytesIO(raw)) as a, zipfile.ZipFile(out) as b:
        assert b.namelist() == [*a.namelist(), "word/comments.xml"]  # in place, the new part last
        assert all(a.read(n) == b.read(n) for n in a.namelist() if n not in rewritten)


def _reviewed_draft() -> bytes:
    """A draft with a reviewer's tracked insertion and a reviewer's comment (Counsel's, id 4) on its full stop."""
    counsel = ('<w:comment w:id="4" w:author="Counsel" w:initials="GC"><w:p><w:r><w:t>Confirm with the CISO.'
               '</w:t></w:r></w:p></w:comment>')
    tracked = ('<w:r><w:t xml:space="preserve">The Audit Committee oversees cybersecurity risk</w:t></w:r>'
               '<w:ins w:id="7" w:author="Counsel"><w:r><w:t xml:space="preserve"> and receives quarterly reports'
               ' from our CISO</w:t></w:r></w:ins><w:commentRangeStart w:id="4"/><w:r><w:t>.</w:t></w:r>'
               '<w:commentRangeEnd w:id="4"/><w:r><w:commentReference w:id="4"/></w:r>')
    return docx([paragraph("Item 1C. Cybersecurity", "Heading1"), paragraph("", inner=tracked)], comments=counsel)


def test_a_reviewers_comments_and_tracked_changes_are_kept_and_ids_stay_unique(tmp_path):
    code, output, out = check_docx(tmp_path, _reviewed_draft())
    assert code == 1, output
    comments = comments_in(out.read_bytes())
    assert comments[0] == {"id": "4", "author": "Counsel", "date": None, "lines": ["Confirm with the CISO."],
                           "paragraph": 2, "anchored_text": comments[0]["anchored_text"], "range": "."}
    ids = [int(c["id"]) for c in comments]
    assert len(set(ids)) == len(ids) and min(ids[1:]) == 8  # above every annotation id of the draft
    (committee,) = [c for c in comments if "MET: Board committee" in c["lines"][0]]
    # the sentence across the plain run, the tracked insertion and the reviewer's commented full stop
    assert committee["paragraph"] == 2 and committee["range"] == (
        "The Audit Committee oversees cybersecurity risk and receives quarterly reports from our CISO.")
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        assert z.read("word/document.xml").count(b"<w:ins ") == 1  # the tracked insertion is still tracked
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    assert rels.count("relationships/comments") == 1 and types.count("/word/comments.xml") == 1


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
# Word 2013+'s comment parts: (relationship type, part, root, entry) with {n}: the namespace prefix's name
WORD_COMMENT_PARTS = (
    ("http://schemas.microsoft.com/office/2011/relationships/commentsExtended", "word/commentsExtended.xml",
     "http://schemas.microsoft.com/office/word/2012/wordml", "w15", "commentsEx", "commentEx"),
    ("http://schemas.microsoft.com/office/2016/09/relationships/commentsIds", "word/commentsIds.xml",
     "http://schemas.microsoft.com/office/word/2016/wordml/cid", "w16cid", "commentsIds", "commentId"),
    ("http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible", "word/commentsExtensible.xml",
     "http://schemas.microsoft.com/office/word/2018/wordml/cex", "w16cex", "commentsExtensible",
     "commentExtensible"),
)


def _as_word_saves(raw: bytes, reply_to: str) -> bytes:
    """The copy as Word saves it once a reviewer has replied (Counsel, to comment `reply_to`): each comment's
    paragraph given a w14:paraId, and an entry per comment in Word's three other comment parts."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    store = etree.fromstring(parts["word/comments.xml"])
    reply = etree.fromstring(f'<w:comment xmlns:w="{W[1:-1]}" w:id="900" w:author="Counsel"><w:p><w:r><w:t>'
                             "Done: see the new paragraph.</w:t></w:r></w:p></w:comment>")
    store.append(reply)
    doc = etree.fromstring(parts["word/document.xml"])
    last = list(doc.iter(W + "p"))[-1]
    last.insert(0, etree.fromstring(f'<w:commentRangeStart xmlns:w="{W[1:-1]}" w:id="900"/>'))
    last.append(etree.fromstring(f'<w:commentRangeEnd xmlns:w="{W[1:-1]}" w:id="900"/>'))
    last.append(etree.fromstring(f'<w:r xmlns:w="{W[1:-1]}"><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                                 '<w:commentReference w:id="900"/></w:r>'))
    para_of = {}
    for n, c in enumerate(store.iter(W + "comment"), 1):
        c.find(W + "p").set(f"{{{W14}}}paraId", para_of.setdefault(c.get(W + "id"), f"{n:08X}"))
    rels = parts["word/_rels/document.xml.rels"].decode()
    types = parts["[Content_Types].xml"].decode()
    for rel, name, ns, prefix, root, entry in WORD_COMMENT_PARTS:
        entries = []
        for cid, pid in para_of.items():
            attrs = {"commentEx": f'{prefix}:paraId="{pid}" {prefix}:done="0"'
                                  + (f' {prefix}:paraIdParent="{para_of[reply_to]}"' if cid == "900" else ""),
                     "commentId": f'{prefix}:paraId="{pid}" {prefix}:durableId="{int(pid, 16) + 7000:08X}"',
                     "commentExtensible": f'{prefix}:durableId="{int(pid, 16) + 7000:08X}" '
                                          f'{prefix}:dateUtc="2025-12-08T10:00:00Z"'}[entry]
            entries.append(f"<{prefix}:{entry} {attrs}/>")
        parts[name] = f'<{prefix}:{root} xmlns:{prefix}="{ns}">{"".join(entries)}</{prefix}:{root}>'.encode()
        rels = rels.replace("</Relationships>", f'<Relationship Id="rId{len(rels)}" Type="{rel}" '
                                                f'Target="{name[5:]}"/></Relationships>')
        types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="application/xml"/></Types>')
    parts.update({"word/comments.xml": etree.tostring(store), "word/document.xml": etree.tostring(doc),
                  "word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml": types.encode()})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def test_checking_the_commented_copy_again_replaces_cydchecks_comments_and_keeps_the_reviewers(tmp_path):
    from collections import Counter

    _, _, first = check_docx(tmp_path, _reviewed_draft())
    before = comments_in(first.read_bytes())
    mine = Counter(c["author"] for c in before)
    assert mine["Counsel"] == 1 and mine[AUTHOR] > 1
    (tmp_path / "again").mkdir()
    edited = _as_word_saves(first.read_bytes(), reply_to=before[1]["id"])
    code, output, second = check_docx(tmp_path / "again", edited)
    assert code == 1, output
    after = comments_in(second.read_bytes())  # (which asserts each range ends where its reference is)
    assert Counter(c["author"] for c in after) == {"Counsel": 2, AUTHOR: mine[AUTHOR]}  # not stacked: 13 -> 26
    assert [c["lines"] for c in after if c["author"] == AUTHOR] == [c["lines"] for c in before if c["author"] == AUTHOR]
    counsel = [c for c in after if c["author"] == "Counsel"]
    assert [(c["id"], c["range"]) for c in counsel] == [("4", "."), ("900", "The Audit Committee oversees "
                                                        "cybersecurity risk and receives quarterly reports from our CISO.")]
    with zipfile.ZipFile(second) as z:
        doc = z.read("word/document.xml").decode()
        extra = {name: etree.fromstring(z.read(name)) for _, name, *_ in WORD_COMMENT_PARTS}
    kept = {c["id"] for c in after}  # no range or reference left of a comment removed
    assert set(re.findall(r'<w:comment(?:RangeStart|RangeEnd|Reference) w:id="(\d+)"', doc)) == kept
    counsel_paras = {"00000001", f"{len(before) + 1:08X}"}  # Counsel's comment and the reply, as Word numbered them
    for name, root in extra.items():  # only the reviewer's entries are left, and the reply stands on its own
        assert len(root) == 2, name
        assert all("paraIdParent" not in etree.tostring(e).decode() for e in root)
    assert {e.get(f"{{{WORD_COMMENT_PARTS[0][2]}}}paraId") for e in extra["word/commentsExtended.xml"]} == counsel_paras


def test_a_draft_without_relationships_or_comments_gets_both(tmp_path):
    raw = io.BytesIO()
    body = (f'<w:document xmlns:w="{W[1:-1]}"><w:body>'
            + paragraph("Item 1C. Cybersecurity") + paragraph("The Audit Committee oversees cybersecurity risk.")
            + "</w:body></w:document>")
    with zipfile.ZipFile(raw, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                          'content-types"/>')
        z.writestr("word/document.xml", body)
    _, _, out = check_docx(tmp_path, raw.getvalue())
    with zipfile.ZipFile(out) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        assert [(r.get("Id"), r.get("Target")) for r in rels] == [("rId1", "comments.xml")]
        assert b'PartName="/word/comments.xml"' in z.read("[Content_Types].xml")
    assert any(c["lines"][0].startswith("MET: Board committee") for c in comments_in(out.read_bytes()))


def test_the_same_draft_gives_the_same_bytes(tmp_path):
    _, _, first = check_docx(tmp_path, SAMPLE_DOCX.read_bytes())
    once = first.read_bytes()
    first.unlink()
    _, _, second = check_docx(tmp_path, SAMPLE_DOCX.read_bytes())
    assert second.read_bytes() == once


def test_text_the_xml_cannot_hold_is_left_out_of_a_comment():
    raw = SAMPLE_DOCX.read_bytes()
    out = annotate(raw, [Comment(1, ("a bell \x07 and a form feed \x0c here",))], "draft.docx")
    assert comments_in(out)[0]["lines"] == ["a bell  and a form feed  here"]


def test_a_paragraph_past_the_end_is_commented_on_the_last_one():
    out = annotate(SAMPLE_DOCX.read_bytes(), [Comment(10_000, ("x",)), Comment(0, ("y",))], "draft.docx")
    last = len(docx_reader.read(SAMPLE_DOCX.read_bytes(), "d")[0].source_map.anchors)
    assert [(c["lines"], c["paragraph"]) for c in comments_in(out)] == [(["x"], last), (["y"], 1)]


@pytest.mark.parametrize("args", [["-f", "docx"], ["-f", "docx", "-o", "-"]])
def test_a_word_copy_goes_to_a_file(tmp_path, capsys, args):
    draft = tmp_path / "draft.docx"
    draft.write_bytes(SAMPLE_DOCX.read_bytes())
    code, out, err = run_main(capsys, "check", str(draft), *args)
    assert_one_line_error(code, err, "draft.docx", "give --output as a .docx file name")
    assert out == ""


def test_the_draft_is_never_the_output(tmp_path, capsys):
    draft = tmp_path / "draft.docx"
    raw = SAMPLE_DOCX.read_bytes()
    draft.write_bytes(raw)
    code, _, err = run_main(capsys, "check", str(draft), "-o", str(draft))
    assert_one_line_error(code, err, "draft.docx", "input")
    assert draft.read_bytes() == raw


@pytest.mark.parametrize("inputs", [["samples/draft-10k-1c-deficient.md"],
                                    ["samples/draft-10k-1c-deficient.docx", "samples/draft-10k-1c-complete.md"]])
def test_a_word_copy_is_of_word_drafts_only(tmp_path, capsys, monkeypatch, inputs):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "x"
    code, _, err = run_main(capsys, "check", *inputs, "-f", "docx", "-o", f"{out}/")
    assert_one_line_error(code, err, inputs[-1], "a copy of each Word draft")
    assert not out.exists()


def test_several_drafts_give_a_commented_copy_each_in_a_folder(tmp_path, capsys):
    drafts = tmp_path / "drafts"
    (drafts / "q3").mkdir(parents=True)
    raw = SAMPLE_DOCX.read_bytes()
    (drafts / "10-K draft.docx").write_bytes(raw)
    (drafts / "q3" / "board.docx").write_bytes(docx([paragraph("Item 1C. Cybersecurity", "Heading1"),
                                                     paragraph("The Audit Committee oversees cybersecurity risk.")]))
    code, _, err = run_main(capsys, "check", str(drafts), "-f", "docx", "-o", str(tmp_path / "reviewed") + "/")
    assert code == 1, err
    made = sorted(p.name for p in (tmp_path / "reviewed").iterdir())
    assert made == ["10-K draft-checked.docx", "board-checked.docx"]
    board = comments_in((tmp_path / "reviewed" / "board-checked.docx").read_bytes())
    assert any(c["lines"][0].startswith("MET: Board committee") and c["paragraph"] == 2 for c in board)
    assert comments_in((tmp_path / "reviewed" / "10-K draft-checked.docx").read_bytes())[0]["lines"][0].endswith(
        "5 met, 7 missing.")
    # several drafts, one file: refused, nothing written
    code, _, err = run_main(capsys, "check", str(drafts), "-o", str(tmp_path / "one.docx"))
    assert_one_line_error(code, err, "drafts", "for 2 drafts give a folder with the format, -f docx -o FOLDER/")
    assert not (tmp_path / "one.docx").exists()


def test_the_copies_kept_in_a_folder_inside_the_drafts_folder_are_not_checked_as_drafts(tmp_path, capsys):
    # A team keeps the commented copies beside the drafts (drafts/checked/): the second run walked the
    # copies as drafts and stopped, "output path is one of the input files".
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "Item 1C v3.docx").write_bytes(SAMPLE_DOCX.read_bytes())
    out = str(drafts / "checked") + "/"
    for _ in range(2):
        code, _, err = run_main(capsys, "check", str(drafts), "-f", "docx", "-o", out)
        assert code == 1, err
        assert sorted(p.name for p in (drafts / "checked").iterdir()) == ["Item 1C v3-checked.docx"]
    assert "1 file in " in err and "left out: this run's output" in err
    # so is a single copy written into the folder walked
    (drafts / "checked" / "Item 1C v3-checked.docx").unlink()
    (drafts / "checked").rmdir()
    one = drafts / "v3-checked.docx"
    for _ in range(2):
        code, _, err = run_main(capsys, "check", str(drafts), "-f", "docx", "-o", str(one))
        assert code == 1, err


def test_two_drafts_of_one_name_are_not_commented_over_each_other(tmp_path, capsys):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "draft.docx").write_bytes(SAMPLE_DOCX.read_bytes())
    out = tmp_path / "out"
    code, _, err = run_main(capsys, "check", str(tmp_path / "a" / "draft.docx"), str(tmp_path / "b" / "draft.docx"),
                            "-f", "docx", "-o", f"{out}/")
    assert_one_line_error(code, err, "draft.docx", "would both be commented as draft-checked.docx")
    assert not out.exists()


def test_the_word_copy_and_other_formats_come_from_one_run(tmp_path):
    draft = tmp_path / "draft.docx"
    draft.write_bytes(SAMPLE_DOCX.read_bytes())
    out, js = tmp_path / "c.docx", tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["check", str(draft), "-o", str(out), "-o", str(js)])
    assert result.exit_code == 1
    met = [r["rule"] for r in json.loads(js.read_text())["results"] if r["status"] == "met"]
    assert sorted({c["lines"][0].rsplit("(", 1)[1][:-1] for c in comments_in(out.read_bytes())
                   if c["lines"][0].startswith("MET")}) == sorted(met)


@pytest.mark.parametrize("name", [*SAMPLES, REVIEW_SAMPLE])
def test_snapshot_real_sample(snapshot, name):
    """A real section as a Word draft (a paragraph a line), its comments as a reviewer reads them."""
    (record,) = ingest.load(str(REPORT_FIXTURES / name))
    raw = from_text(record.text)
    report = Checker().check_document(docx_reader.read(raw, f"{Path(name).stem}.docx")[0])
    out = copy_with_findings([report], "docx", raw, version=VERSION, generated="2024-05-01T12:00:00Z")
    text = "\n\n".join(f"[{c['id']}] para. {c['paragraph']}, on: {c['range'][:70]}\n" + "\n".join(c["lines"])
                       for c in comments_in(out))
    assert text == snapshot.use_extension(TextSnapshot)


def _runs(*texts: str) -> str:
    return "".join(f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{t}</w:t></w:r>' for t in texts)


@pytest.mark.parametrize("runs, quote", [
    (("Our CISO has 20 years of experience. The Audit Committee oversees cyber risk. It meets yearly.",),
     "The Audit Committee oversees cyber risk."),
    (("Our CISO has 20 years of experience. The Audit ", "Committee oversees", " cyber risk. It meets yearly."),
     "The Audit Committee oversees cyber risk."),
    (("The Audit Committee oversees cyber risk.",), "The Audit Committee oversees cyber risk."),
])
def test_a_comment_spans_the_sentence_it_quotes_splitting_runs_where_it_must(runs, quote):
    raw = docx([paragraph("Item 1C", "Heading1"), paragraph("", inner=_runs(*runs))])
    out = annotate(raw, [Comment(2, ("x",), quote)], "draft.docx")
    (c,) = comments_in(out)
    assert c["range"] == quote and c["paragraph"] == 2
    assert docx_reader.read(out, "d")[0].text == docx_reader.read(raw, "d")[0].text  # no text moved or lost
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    second = list(doc.iter(W + "p"))[1]  # each half of a split run keeps the run's formatting
    assert all(r.find(W + "rPr/" + W + "b") is not None for r in second.iter(W + "r") if r.find(W + "t") is not None)


def _inserted(*texts: str) -> str:
    """A tracked insertion (Counsel's) of runs of these texts."""
    return ('<w:ins w:id="7" w:author="Counsel">' + "".join(
        f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>' for t in texts) + "</w:ins>")


@pytest.mark.parametrize("inner, quote", [
    # typed in with track changes on: one insertion, two sentences, the comment on the second alone
    (_inserted("Our CISO meets the IT team weekly. The CISO briefs the Audit Committee quarterly."),
     "The CISO briefs the Audit Committee quarterly."),
    (_inserted("Our CISO meets the IT team weekly. The CISO briefs ", "the Audit Committee quarterly. It is new."),
     "The CISO briefs the Audit Committee quarterly."),
    # from a plain run into the middle of an insertion
    (_runs("Our CISO meets the IT team weekly. The CISO briefs ")
     + _inserted("the Audit Committee quarterly. It is new."), "The CISO briefs the Audit Committee quarterly."),
], ids=["one-run", "two-runs", "plain-run-into-insertion"])
def test_a_comment_in_a_tracked_insertion_spans_its_sentence_not_the_whole_insertion(inner, quote):
    raw = docx([paragraph("Item 1C", "Heading1"), paragraph("", inner=inner)])
    out = annotate(raw, [Comment(2, ("x",), quote)], "draft.docx")
    (c,) = comments_in(out)
    assert c["range"] == quote
    assert docx_reader.read(out, "d")[0].text == docx_reader.read(raw, "d")[0].text  # no text moved or lost
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        doc = z.read("word/document.xml").decode()
    assert doc.count("<w:ins ") == 1 and doc.count("</w:ins>") == 1  # still the one tracked insertion


def test_hidden_words_inside_the_sentence_do_not_keep_its_comment_off_it():
    hidden = '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">Risk </w:t></w:r>'
    inner = _runs("Our CISO has 20 years of experience. The Audit ") + hidden + _runs("Committee oversees cyber risk.")
    raw = docx([paragraph("Item 1C", "Heading1"), paragraph("", inner=inner)])
    quote = "The Audit Committee oversees cyber risk."
    assert quote in docx_reader.read(raw, "d")[0].text  # as the reader reads it: the hidden word left out
    (c,) = comments_in(annotate(raw, [Comment(2, ("x",), quote)], "draft.docx"))
    assert c["range"] == "The Audit Risk Committee oversees cyber risk."  # the sentence, its hidden word within


def test_a_sentence_in_a_text_box_is_commented_in_the_box_word_shows_not_its_vml_copy():
    quote = "The Audit Committee oversees cyber risk."
    raw = docx([paragraph("Item 1C", "Heading1"), paragraph("", inner=text_box(quote)), paragraph("It meets.")])
    assert docx_reader.read(raw, "d")[0].line_of(len("Item 1C\n\n")) == 3
    out = annotate(raw, [Comment(3, ("x",), quote), Comment(4, ("y",), "It meets.")], "draft.docx")
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    (start, _) = doc.iter(W + "commentRangeStart")
    ancestors = [a.tag.split("}")[1] for a in start.iterancestors()]
    assert "Choice" in ancestors and "Fallback" not in ancestors
    assert [(c["range"], c["anchored_text"]) for c in comments_in(out)][1] == ("It meets.", "It meets.")


def test_a_list_number_before_the_sentence_is_left_out_and_a_sentence_not_shown_takes_the_paragraph():
    para = "The Audit Committee oversees cyber risk. It meets yearly."
    raw = docx([paragraph("Item 1C", "Heading1"), paragraph(para)])
    out = annotate(raw, [Comment(2, ("x",), "1. The Audit Committee oversees cyber risk."),
                         Comment(2, ("y",), "(a) The Board meets monthly.")], "draft.docx")
    assert [c["range"] for c in comments_in(out)] == ["The Audit Committee oversees cyber risk.", para]


def test_a_numbered_paragraphs_comment_spans_its_sentence(tmp_path):
    from test_ingest import NUMBERING, make_docx

    numbered = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                '<w:r><w:t>The Audit Committee oversees cybersecurity risk. It meets yearly.</w:t></w:r></w:p>')
    raw = make_docx(['<w:p><w:r><w:t>Item 1C. Cybersecurity</w:t></w:r></w:p>', numbered], NUMBERING)
    assert "1. The Audit Committee" in docx_reader.read(raw, "d")[0].text  # the reader shows the number
    _, _, out = check_docx(tmp_path, raw)
    (committee,) = [c for c in comments_in(out.read_bytes()) if c["lines"][0].startswith("MET: Board committee")]
    assert committee["range"] == "The Audit Committee oversees cybersecurity risk."


def test_a_draft_with_no_section_heading_says_how_its_pack_was_chosen(tmp_path):
    raw = docx([paragraph("Item 7. Management's Discussion", "Heading1"), paragraph("Revenue grew 5 percent.")])
    code, output, out = check_docx(tmp_path, raw)
    assert code == 1, output
    summary = comments_in(out.read_bytes())[0]
    assert summary["paragraph"] == 1 and summary["lines"][0].endswith(": 12 missing.")
    assert summary["lines"][1] == "Why this pack: no form, heading or telling words found: default pack."


def _with_parts(raw: bytes, parts: dict[str, bytes]) -> bytes:
    """The .docx with some parts replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as a, zipfile.ZipFile(out, "w") as b:
        for info in a.infolist():
            b.writestr(info, parts.get(info.filename, a.read(info)))
    return out.getvalue()


def test_comments_named_by_a_relative_target_go_where_word_looks():
    raw = docx([paragraph("Item 1C"), paragraph("The Audit Committee oversees cyber risk.")],
               comments='<w:comment w:id="0" w:author="GC"><w:p/></w:comment>')
    rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'comments" Target="./sub/../comments.xml"/></Relationships>')
    out = annotate(_with_parts(raw, {"word/_rels/document.xml.rels": rels}), [Comment(2, ("x",))], "d.docx")
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.namelist().count("word/comments.xml") == 1
        store = etree.fromstring(z.read("word/comments.xml"))
    assert [c.get(W + "author") for c in store] == ["GC", AUTHOR]  # the draft's comments, then ours


@pytest.mark.parametrize("part, content, says", [
    ("word/document.xml", b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
     "no document body"),
    ("word/_rels/document.xml.rels",
     b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r"'
     b' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"'
     b' Target="../../evil.xml"/></Relationships>', "comments are in an unexpected place"),
])
def test_a_draft_the_copy_cannot_be_made_from_is_a_one_line_error(part, content, says):
    raw = _with_parts(SAMPLE_DOCX.read_bytes(), {part: content})
    with pytest.raises(CheckerError) as exc:
        annotate(raw, [Comment(1, ("x",))], "d.docx")
    assert says in str(exc.value) and "\n" not in str(exc.value)


def test_without_source_date_epoch_the_comments_carry_the_time_of_the_check(tmp_path):
    _, _, out = check_docx(tmp_path, SAMPLE_DOCX.read_bytes(), env={"SOURCE_DATE_EPOCH": None})
    dates = {c["date"] for c in comments_in(out.read_bytes())}
    assert len(dates) == 1
    (date,) = dates
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", date) and date != "2025-12-06T05:46:40Z"


def test_a_met_elements_comment_quotes_the_sentences_of_the_paragraph_it_is_on(tmp_path):
    # an 8-K whose scope is met in three paragraphs: the comment on the third quotes the third's sentence, not
    # the first two paragraphs' (a lawyer reading it there took it for a comment put on the wrong sentence)
    paragraphs = [paragraph("Item 1.05 Material Cybersecurity Incidents.", "Heading2"),
                  paragraph("On November 24, 2025, the Company detected unauthorized activity on its information "
                            "technology systems."),
                  paragraph("A threat actor deployed ransomware that encrypted certain of the Company's servers "
                            "supporting manufacturing at its Ohio plant."),
                  paragraph("As a result of the incident, production at the plant was suspended for approximately "
                            "five days and shipments to customers were delayed.")]
    _, output, out = check_docx(tmp_path, docx(paragraphs), "--no-examples")
    scope = [c for c in comments_in(out.read_bytes()) if "(F8K-105A-SCOPE)" in c["lines"][0]]
    assert [c["paragraph"] for c in scope] == [2, 3, 4], output
    for c in scope:
        quotes = [line for line in c["lines"][1:] if line.startswith("\u201c")]
        assert quotes and all(q.strip("\u201c\u201d") in c["anchored_text"] for q in quotes)
        assert quotes[0] == f"\u201c{c['range']}\u201d"


def test_the_deadline_and_an_item_not_reported_are_comments_at_the_heading(tmp_path):
    # what is not a gap but tells counsel what to do (the 8-K's due date; why Item 1.05 does not apply) is in
    # the Word copy too: the summary's "1 not applicable" alone named neither
    body = [paragraph("On November 24, 2025, the Company detected unauthorized activity on its information "
                      "technology systems."),
            paragraph("On November 26, 2025, the Company determined that the incident is material.")]
    _, output, out = check_docx(tmp_path, docx([paragraph("Item 1.05 Material Cybersecurity Incidents.",
                                                          "Heading2"), *body]), "--no-examples")
    (deadline,) = [c for c in comments_in(out.read_bytes()) if "(8K-GI-B1-DEADLINE)" in c["lines"][0]]
    assert deadline["lines"][0].startswith("NOT APPLICABLE: Filing deadline: determined 2025-11-26 (read from "
                                           "the text, para. 2), due 2025-12-03"), output
    assert deadline["lines"][1] == "File by 5:30 p.m. ET on 2025-12-03. Not counted: Thanksgiving Day, 2025-11-27."
    assert deadline["anchored_text"] == "Item 1.05 Material Cybersecurity Incidents."
    cover = [paragraph("SECURITIES AND EXCHANGE COMMISSION"), paragraph("FORM 8-K"),
             paragraph("Item 8.01 Other Events.", "Heading2"), body[0]]
    _, output, out = check_docx(tmp_path, docx(cover), "--no-examples")
    (item,) = [c for c in comments_in(out.read_bytes()) if "(ITEM-NOT-REPORTED)" in c["lines"][0]]
    assert "not Item 1.05 (Material Cybersecurity Incidents)" in item["lines"][1], output


def test_the_summary_comment_says_the_copy_checks_elements_not_adequacy_and_is_no_legal_advice(tmp_path):
    """A Word copy's comments read like a reviewer's on the draft: "MET: Board oversight ..." on a sentence was
    taken for counsel's sign-off. The summary comment at the heading now says what the report says in every
    format: the elements checked, not adequacy, and no legal advice."""
    from checker.model import DISCLAIMER

    _, _, out = check_docx(tmp_path, SAMPLE_DOCX.read_bytes())
    heading = next(c for c in comments_in(out.read_bytes()) if c["anchored_text"] == "Item 1C. Cybersecurity")
    assert DISCLAIMER in heading["lines"]


def test_a_strict_open_xml_draft_is_checked_and_its_copy_refused_in_one_line(tmp_path, capsys):
    # The draft saved as Word's "Strict Open XML Document" is read (it was "no document body"); its copy with
    # comments would mix the two kinds of Word markup, which Word may refuse to open: said, not written
    from test_ingest import _strict

    draft = tmp_path / "ACME 10-K Item 1C (v7) \u2013 strict.docx"
    draft.write_bytes(_strict((ROOT / "samples" / "draft-10k-1c-deficient.docx").read_bytes()))
    code, out, _ = run_main(capsys, "check", str(draft), "-q", "--no-examples")
    assert code == 1 and "SK106-B1I-ERM" in out
    copy = tmp_path / "copy.docx"
    code, _, err = run_main(capsys, "check", str(draft), "-o", str(copy))
    assert_one_line_error(code, err, draft.name, "Strict Open XML")
    assert "save it in Word as a Word Document (.docx)" in err and not copy.exists()


def test_the_word_summary_comment_says_why_the_item_applied(checker):
    """A Word copy's summary comment named the pack and its reason, not the dates that made Item 1C apply."""
    from checker.model import Document
    from checker.report.comments import comments_of
    doc = Document(text="Item 1C. Cybersecurity\n\nOur Board oversees cybersecurity risk.\n", source="d.docx",
                   form="10-K", metadata={"period": "2024-09-30"})
    summary = comments_of([checker.check_document(doc)])[0]
    assert "Applies: Item 1C (Item 106) required: the fiscal period ended 2024-09-30, on or after 2023-12-15." \
        in summary.lines


def test_commented_copies_go_beside_the_drafts_in_their_own_folder(tmp_path, capsys):
    """`check "FY2026 10-K/" -f docx -o "FY2026 10-K/"` (a copy of each draft beside it, as a Finder user keeps
    them) was refused: 'output path is one of the input files (Résumé.docx); it would be overwritten', though
    only 'Résumé-checked.docx' would be written. A check of the folder then leaves the copy out."""
    import shutil
    import unicodedata

    folder = tmp_path / "FY2026 10-K"
    folder.mkdir()
    draft = folder / unicodedata.normalize("NFD", "Résumé.docx")  # as a Mac names it
    shutil.copy(ROOT / "samples" / "draft-10k-1c-deficient.docx", draft)
    before = draft.read_bytes()
    code, _, err = run_main(capsys, "check", f"{folder}/", "-f", "docx", "-o", f"{folder}/", "-q")
    assert code == 1 and "overwritten" not in err, err
    copy = folder / unicodedata.normalize("NFD", "Résumé-checked.docx")
    assert draft.read_bytes() == before and copy.is_file()
    code, _, err = run_main(capsys, "check", f"{folder}/", "-q")
    assert code == 1 and "1 copy with cydcheck's findings left out" in err, err
    code, _, err = run_main(capsys, "check", str(draft), "-f", "docx", "-o", str(draft))
    assert_one_line_error(code, err, "sum", "it would be overwritten")
