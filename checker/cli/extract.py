"""`cydcheck extract`: print the section the checker would check, so users can see what was found."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import click

from .. import ingest, sections
from ..model import Document, Section
from ..output import refuse_overwriting_inputs
from .common import FormatChoice, emit, output_format


def section_record(document: Document) -> dict[str, Any]:
    """Where the section is in the input and how it was found (the JSON form of `extract`)."""
    section = document.section
    assert section is not None
    record: dict[str, Any] = {
        "source": document.source,
        "form": document.form,
        "item": section.item or document.item,
        "method": section.method,
        "heading": section.heading,
        "start": section.start,
        "end": section.end,
        "line": document.line_of(section.start),
        "end_line": document.line_of(max(section.start, section.end - 1)),
        "line_unit": document.source_map.unit,
        "words": len(document.text[section.start:section.end].split()),
    }
    if section.note:
        record["note"] = section.note
    for key in ("issuer", "period"):
        if document.metadata.get(key):
            record[key] = document.metadata[key]
    record["text"] = document.text[section.start:section.end]
    return record


def other_item(text: str, section: Section, asked: str | None) -> Section | None:
    """A draft taken whole for an item it does not head, whose headings name another item the checker finds
    (an Item 1C draft asked for Item 1.05): the item missing, and the one to ask for; else None."""
    if not asked or section.method != "whole-input" or section.item:
        return None
    others = [i for i in sections.items_headed(text)
              if i.upper() in sections.ITEMS and i.upper() != asked.upper()]
    if not others:
        return None
    return Section(0, 0, item=asked.upper(), method="missing",
                   note=f"no Item {asked.upper()} section found; the text is headed Item {others[0].upper()} "
                        f"(extract it with --item {others[0].lower()})")


@click.command(short_help="Print the Item 1C / 16K / 1.05 section found in a file.")
@click.argument("file")
@click.option("-f", "--format", "fmt", type=FormatChoice(["text", "json"], case_sensitive=False),
              default=None,
              help="text: the section alone; json: with its offsets and how it was found (default: json for "
                   "a .json --output, else text).")
@click.option("--item", type=click.Choice(sections.ITEMS, case_sensitive=False), default=None,
              help="The item to find (default: from the form, else the first found).")
@click.option("-o", "--output", default=None, help="Write here instead of standard output (atomic).")
def extract(file: str, fmt: str | None, item: str | None, output: str | None) -> None:
    """Print the Item 1C / 16K / 1.05 section located in FILE ('-' for stdin).

    Exits 1 when a whole filing has no such section.
    """
    refuse_overwriting_inputs([output], [file])
    chosen = output_format(fmt, output, "text")
    documents = []
    for doc in ingest.load(file):
        section = sections.locate(doc, item.upper() if item else None)
        documents.append(replace(doc, section=other_item(doc.text, section, item) or section))
    missing = [d for d in documents if d.section is not None and d.section.method == "missing"]
    if chosen == "json":
        records = [section_record(d) for d in documents]
        payload: Any = records[0] if len(records) == 1 else {"sections": records}
        emit(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", output, [file])
    else:
        texts = [d.text[d.section.start:d.section.end] for d in documents if d.section is not None]
        emit("\n\n".join(t for t in texts if t) + "\n" if any(texts) else "", output, [file])
    for d in missing:
        click.echo(f"cydcheck: {d.source}: {d.section.note}", err=True)
    raise click.exceptions.Exit(1 if missing else 0)
