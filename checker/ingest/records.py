"""JSON section records (the seed's shape: body_markdown + document metadata) and JSONL files of them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ..model import CheckerError, Document, Section, SourceMap
from .cover import iso_date
from .decode import clean, decode, head_as_utf8, is_word_archive, other_breaks, zip_names

TEXT_FIELDS = ("body_markdown", "text", "body", "content")


# An HTML or inline XBRL document by its opening, whatever its name: a doctype, <html>, EDGAR's <XBRL>
# wrapper, or an XML declaration (and comments) before either.
_HTML_OPENING = re.compile(rb"(?i)(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*"
                           rb"<(?:!doctype\s+html|html[\s>]|xbrl>)", re.DOTALL)


def opens_as_html(raw: bytes) -> bool:
    """Whether the bytes open as an HTML (or inline XBRL) document: a filing saved as .txt or unsuffixed (in
    UTF-16 or UTF-32 too, Notepad's "Unicode" save)."""
    return _HTML_OPENING.match(head_as_utf8(raw, 4096)) is not None


def sniff_suffix(raw: bytes) -> str:
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        lines = [ln for ln in raw.splitlines() if ln.strip()]
        if len(lines) > 1 and all(ln.lstrip().startswith(b"{") for ln in lines[:3]):
            try:
                json.loads(lines[0])
                return ".jsonl"
            except ValueError:
                pass
        return ".json"
    if head == b"<":
        return ".html"
    if raw.startswith(b"PK\x03\x04"):  # a .docx; another zip (an .odt, a zip of drafts) is named as text's
        names = zip_names(raw)
        return ".docx" if names is None or is_word_archive(names) else ".txt"
    if raw.startswith(b"%PDF"):
        return ".pdf"
    return ".txt"


def holds_records(raw: bytes) -> bool:
    """Whether a .json file's bytes may hold section records: False only for JSON that parses and whose
    object (or every object of its list) has none of the text fields, such as another tool's package.json or
    settings; a file that does not parse is left to the reader, which says what is wrong with it."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return True
    items = data if isinstance(data, list) else [data]
    return not items or any(isinstance(i, dict) and any(f in i for f in TEXT_FIELDS) for i in items)


_EMPHASIS_ENDS = re.compile(r"^[*_\s]+|[*_\s]+$")  # Markdown's bold and italic marks at a title's ends


def _item_from_key(record: dict[str, Any]) -> str | None:
    key = str(record.get("section_key") or record.get("item") or "")
    key = key.lower().removeprefix("item-").removeprefix("item ").strip()
    return key.upper() if key else None


def edgar_form(value: Any) -> str:
    """A record's form as EDGAR writes it, however the record spells it ("Form 20-F", "20F" -> "20-F"); a form
    no pack checks upper-cased, without the word "Form" ("Form 6-K" -> "6-K")."""
    from ..detect import form_named  # late: detect compiles the headings' patterns

    text = re.sub(r"(?i)^form\s*", "", clean(str(value)).strip()).upper()
    return form_named(text) or text


def from_record(record: Any, source: str, line: int | None = None,
                text_line: int | None = None) -> Document:
    """One JSON record (`line`: its line in a JSONL file) as a document; `text_line`: the line of its text
    field in a .json file, where the findings are placed."""
    where = f"{source}" if line is None else f"{source}:{line}"
    if line is None and isinstance(record, dict) and record.get("id") is not None:
        where = f"{source}#{clean(str(record['id']))}"  # no line to name it by: its id, as its report is
    if not isinstance(record, dict):
        raise CheckerError("a JSON record must be an object", file=where)
    body = next((clean(other_breaks(record[f])) for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if body is None:
        raise CheckerError(f"JSON record has no text field ({', '.join(TEXT_FIELDS)})", file=where)
    if not body.strip():
        raise CheckerError("JSON record has an empty text field", file=where)
    meta = record.get("document") if isinstance(record.get("document"), dict) else {}
    form = meta.get("doc_type") or meta.get("form") or record.get("form")
    metadata = {
        "issuer": meta.get("issuer_name") or record.get("company") or record.get("issuer"),
        "period": _day(meta.get("period") or meta.get("period_of_report") or record.get("period")),
        "filed": _day(meta.get("doc_date") or meta.get("filing_date") or record.get("filed")
                      or record.get("filing_date")),
        # the join keys: at the top, in `document`, or (the filer-tagged corpus) in `source`
        "accession": meta.get("accession_number") or meta.get("accession") or record.get("accession")
        or _nested(record, "source", "accession"),
        "cik": edgar_cik(meta.get("cik") or record.get("cik") or _nested(record, "source", "cik")
                         or _address_cik(record.get("edgar_url") or _nested(record, "source", "edgar_url"))),
        "id": record.get("id"),
        "determined_on": record.get("determined_on") or meta.get("determined_on"),
        "filed_on": record.get("filed_on") or meta.get("filed_on"),
        "fiscal_year": record.get("fiscal_year") or meta.get("fiscal_year"),
        "smaller_reporting_company": record.get("smaller_reporting_company")
        or meta.get("smaller_reporting_company"),
        "sic": record.get("sic") or meta.get("sic"),  # industry and public float: whose peer examples
        "public_float": record.get("pubfloatusd") or record.get("public_float") or meta.get("public_float"),
    }
    # a title cut from the Markdown may keep its bold marks ("Item 16K CYBERSECURITY**"): shown without them
    title = _EMPHASIS_ENDS.sub("", clean(str(record.get("section_title") or "")))
    # a record named by its id, else by its line in a JSONL file: the file's records told apart in reports
    name = (f"{source}#{clean(str(record['id']))}" if record.get("id") is not None
            else source if line is None else where)
    metadata = {k: fact for k, v in metadata.items() if v and (fact := metadata_value(k, v)) is not None}
    # the text is one JSON string: in the file it is on the record's line (a JSONL file's `line`; a .json
    # file's `text_line`), its own newlines escapes; a place in it is told by sub-heading and paragraph
    where_in_file = SourceMap(anchors=((0, text_line or line or 1),), count_newlines=False, kind="record")
    doc = Document(text=body, source=name, form=edgar_form(form) if form else None,
                   item=_item_from_key(record), metadata=metadata, source_map=where_in_file)
    doc.section = Section(0, len(body), heading=title, item=doc.item, method="record")
    return doc


def edgar_cik(value: Any) -> Any:
    """A CIK as EDGAR writes it, in ten digits ("3499" -> "0000003499"), so rows join; else as given."""
    text = str(whole(value)).strip() if value is not None else ""
    return text.zfill(10) if text.isdigit() and len(text) <= 10 else value


def whole(value: Any) -> Any:
    """A float that holds a whole number as that int (pandas writes an integer column with a missing value as
    floats: "fiscal_year": 2023.0, "cik": 320193.0); any other value as it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _missing(value: Any) -> bool:
    """Whether a record's value stands for no value: None, or a NaN or NaT (a data frame's missing cell,
    handed over by `to_dict("records")`), which is not equal to itself."""
    try:
        return value is None or bool(value != value)
    except (TypeError, ValueError):  # an array's comparison has no single truth value
        return False


def metadata_value(key: str, value: Any) -> Any:
    """A filing's fact as a record's field gives it, read as cydcheck keeps it: None for a missing value
    (None, NaN, NaT), a day (`period`, `filed`: text, a date or a Timestamp) as its ISO day, text cleaned, a
    whole float as an int."""
    if _missing(value):
        return None
    value = _day(value) if key in ("period", "filed") else value
    return clean(value) if isinstance(value, str) else whole(value)


def _day(value: Any) -> Any:
    """A record's date as an ISO day: a date-time ("2025-02-10T00:00:00.000", as pandas writes one, or a
    datetime or Timestamp object) cut to its day, a cover's spelling ("December 31, 2024", "02/10/2025")
    read; anything else as given."""
    if isinstance(value, date) and not _missing(value):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if not isinstance(value, str):
        return value
    text = value.strip()
    return text[:10] if _ISO_DAY.match(text) else iso_date(text)


def given_metadata(given: Mapping[str, Any], source: str) -> dict[str, Any]:
    """A caller's metadata (check()'s `metadata=`) read as a record's fields are (metadata_value: a data frame
    row's Timestamp a day, its NaN no value, a cover's spelling of a date read); a period, filing date or
    fiscal year that is still none is an error naming it, not a date passed over."""
    read = {k: fact for k, v in given.items() if (fact := metadata_value(k, v)) is not None}
    for key in ("period", "filed"):
        if key in read and not _is_day(read[key]):
            raise CheckerError(f"metadata {key}: not a date (YYYY-MM-DD): {read[key]!r}", file=source)
    if "fiscal_year" in read and not str(read["fiscal_year"]).strip().isdigit():
        raise CheckerError(f"metadata fiscal_year: not a year: {read['fiscal_year']!r}", file=source)
    return read


def _is_day(value: Any) -> bool:
    """Whether metadata_value read the value as a day (an ISO day that is a date: not "2023-02-30")."""
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _address_cik(url: Any) -> str | None:
    """The CIK an EDGAR archive address names (.../Archives/edgar/data/1577552/000095017025090161/)."""
    found = _EDGAR_FOLDER.search(url) if isinstance(url, str) else None
    return found.group(1) if found else None


def _nested(record: dict[str, Any], outer: str, key: str) -> Any:
    """record[outer][key] where record[outer] is an object, else None."""
    inner = record.get(outer)
    return inner.get(key) if isinstance(inner, dict) else None


def parse_json(text: str, source: str, line: int | None = None) -> Any:
    """JSON text (a whole file, or one JSONL line numbered `line`) -> data; errors name file and line. A
    leading byte order mark is dropped: a file's first line keeps it when read as UTF-8 (Dask, Spark)."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise CheckerError(f"invalid JSON: {exc.msg}", file=source, line=line or exc.lineno) from None
    except RecursionError:
        raise CheckerError("invalid JSON: nested too deeply", file=source, line=line) from None
    if "\\u" in text and _has_lone_surrogate(data):
        raise CheckerError("invalid JSON: a string holds a lone surrogate (\\ud800-\\udfff), not text",
                           file=source, line=line)
    return data


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)")
_EDGAR_FOLDER = re.compile(r"/Archives/edgar/data/(\d{1,10})/", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(data: Any) -> bool:
    """True when a string in the data (keys too) holds half of a UTF-16 pair: no encoder takes it."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def read_json(raw: bytes, source: str) -> list[Document]:
    text = decode(raw, source)
    data = parse_json(text, source)
    records = data if isinstance(data, list) else [data]
    if not records:
        raise CheckerError("the file holds no JSON records (an empty list)", file=source)
    lines = _text_lines(text, len(records))
    if isinstance(data, list):
        return [from_record(r, f"{source}[{i}]", text_line=n) for i, (r, n) in enumerate(zip(records, lines,
                                                                                             strict=True))]
    return [from_record(data, source, text_line=lines[0])]


_TEXT_KEY = re.compile(r'"(?:' + "|".join(TEXT_FIELDS) + r')"\s*:\s*"')


def _text_lines(text: str, count: int) -> list[int | None]:
    """The line of each record's text field in a .json file, found as the n-th text key where there are as
    many as records (a pretty-printed file puts a record's text some lines down); else None, the first."""
    found = [text.count("\n", 0, m.start()) + 1 for m in _TEXT_KEY.finditer(text)]
    return found if len(found) == count else [None] * count


def read_jsonl(raw: bytes, source: str) -> list[Document]:
    text = decode(raw, source)
    docs = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        docs.append(from_record(parse_json(line, source, n), source, n))
    if not docs:
        raise CheckerError("the file holds no JSON records", file=source)
    return docs
