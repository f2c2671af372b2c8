"""Waivers: a reviewed baseline of accepted gaps, matched to findings by rule id and content fingerprint.

A baseline file (.cydcheck-baseline.yaml) lists waivers. Each names a rule and a fingerprint
(checker/fingerprint.py), who approved it, why, and optionally when it expires. `check` marks the
matching findings as waived (they stay in every report, flagged, but no longer fail the run) and
reports waivers that expired or no longer match anything. A waiver is only reported as stale when
the input it was recorded from was checked in this run, so checking a subset of the drafts (as
pre-commit does) does not flag the waivers of the others.
"""

from __future__ import annotations

import bisect
import os
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import regex
import yaml

from .config import native_path
from .fingerprint import result_fingerprint
from .gate import is_finding
from .ingest import on_disk
from .ingest.decode import settings_text
from .model import CheckerError, Report, Result
from .packs import parse_yaml
from .suggest import nearest

BASELINE_VERSION = 1
_RECORD_SUFFIX = regex.compile(r"(?:#[^/\\]*|\[\d+\])$")  # "file.jsonl#id", "file.json[3]"
_EXCERPT = 160
HEADER = """\
# cydcheck baseline: reviewed exceptions. Each waiver accepts one current gap (rule + fingerprint of
# the evidence text, or of the document for a missing element). Waived gaps are still listed in the
# reports but do not fail the check. Give each waiver a real justification and approver; add
# `expires: YYYY-MM-DD` to make it lapse. `cydcheck check --no-waivers` shows everything.
"""


@dataclass(frozen=True)
class Waiver:
    rule: str
    fingerprint: str
    justification: str
    approved_by: str
    expires: date | None = None
    file: str | None = None  # the input it was recorded from, relative to the baseline's folder
    status: str | None = None  # informational: the status when recorded
    title: str | None = None  # informational
    evidence: str | None = None  # informational: an excerpt of the evidence when recorded
    line: int | None = None  # its line in the baseline file
    notes: tuple[str, ...] = ()  # the comments a person wrote in or just above its entry, kept by a rewrite

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, self.fingerprint

    def is_expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    def as_result_dict(self) -> dict[str, Any]:
        """What a waived Result carries in `waived`."""
        d: dict[str, Any] = {"justification": self.justification, "approved_by": self.approved_by}
        if self.expires:
            d["expires"] = self.expires.isoformat()
        d["fingerprint"] = self.fingerprint
        return d

    def to_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"rule": self.rule, "fingerprint": self.fingerprint}
        for key in ("file", "status", "title", "evidence"):
            if getattr(self, key):
                entry[key] = getattr(self, key)
        entry["justification"] = self.justification
        entry["approved_by"] = self.approved_by
        if self.expires:
            entry["expires"] = self.expires
        return entry


@dataclass(frozen=True)
class WaiverNotice:
    """A waiver that needs attention: 'expired' (its finding is reported again) or 'stale'."""

    kind: str
    waiver: Waiver
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rule": self.waiver.rule, "fingerprint": self.waiver.fingerprint,
                "file": self.waiver.file, "line": self.waiver.line, "message": self.message}


def today() -> date:
    """Today's date in UTC (whatever the machine's zone), or the UTC date of SOURCE_DATE_EPOCH when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.fromtimestamp(time.time(), tz=timezone.utc).date()


# ---------------------------------------------------------------- reading and writing


def _as_date(value: Any, name: str, line: int | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CheckerError(f"'expires' must be a date (YYYY-MM-DD), not {value!r}", file=name, line=line)


def _text(entry: dict[str, Any], key: str, name: str, line: int | None, required: bool) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CheckerError(f"waiver needs a non-empty '{key}'", file=name, line=line)
    return value.strip()


def parse_baseline(text: str, name: str) -> list[Waiver]:
    data = parse_yaml(text, name)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("waivers", []), list):
        raise CheckerError("a baseline is a mapping with a 'waivers' list", file=name)
    if data.get("version", BASELINE_VERSION) != BASELINE_VERSION:
        raise CheckerError(f"unsupported baseline version {data.get('version')!r}", file=name)
    waivers, spans = [], []
    for entry in data.get("waivers") or []:
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict):
            raise CheckerError("each waiver must be a mapping", file=name, line=line)
        unknown = sorted(set(map(str, entry)) - set(Waiver.__dataclass_fields__) - {"line", "notes"})
        if unknown:
            raise CheckerError(f"unknown waiver field '{unknown[0]}'", file=name, line=line)
        waivers.append(Waiver(
            rule=_text(entry, "rule", name, line, True) or "",
            fingerprint=_text(entry, "fingerprint", name, line, True) or "",
            justification=_text(entry, "justification", name, line, True) or "",
            approved_by=_text(entry, "approved_by", name, line, True) or "",
            expires=_as_date(entry.get("expires"), name, line),
            file=_text(entry, "file", name, line, False),
            status=_text(entry, "status", name, line, False),
            title=_text(entry, "title", name, line, False),
            evidence=_text(entry, "evidence", name, line, False),
            line=line,
        ))
        spans.append((line or 0, max(getattr(entry, "key_lines", {}).values(), default=line or 0)))
    return _with_notes(waivers, spans, own_comments(text))


def _with_notes(waivers: list[Waiver], spans: Sequence[tuple[int, int]],
                comments: Sequence[tuple[int, str, bool]]) -> list[Waiver]:
    """Each waiver with the comments that belong to it (`spans`: each entry's first and last line): those on
    its entry's lines, and those on lines of their own between the entry before it and it; a comment after
    the last entry is the last waiver's."""
    if not waivers:
        return waivers
    firsts = [first for first, _ in spans]
    notes: list[list[str]] = [[] for _ in waivers]
    for number, comment, alone in comments:
        at = bisect.bisect_right(firsts, number) - 1  # the entry that starts at or above the comment
        if alone and at + 1 < len(waivers) and (at < 0 or number > spans[at][1]):
            at += 1  # on a line of its own after that entry's fields: a note on the entry below
        notes[max(at, 0)].append(comment)
    return [replace(w, notes=tuple(n)) if n else w for w, n in zip(waivers, notes, strict=True)]


def load_baseline(path: Path) -> list[Waiver]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CheckerError("baseline file not found", file=str(path)) from None
    except OSError as exc:
        raise CheckerError(f"cannot read baseline: {exc}", file=str(path)) from None
    waivers = parse_baseline(settings_text(raw, str(path)), str(path))
    # a file written by hand on Windows (`drafts\\item-1c.docx`) is the file the '/' form names here
    # and one a Mac wrote decomposed ('Re\u0301sume\u0301.docx') is compared in NFC, as relative_file gives
    return [w if w.file is None
            else replace(w, file=unicodedata.normalize("NFC", native_path(w.file, path.parent)))
            for w in waivers]


_QUOTED = regex.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")
_COMMENT = regex.compile(r"(?:^|\s)(#.*)$")


def own_comments(text: str) -> list[tuple[int, str, bool]]:
    """The comments a person wrote in a baseline's text (line number, comment, whether alone on its line),
    beyond the header cydcheck writes. A '#' inside a quoted value is no comment."""
    header = set(HEADER.splitlines())
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if line in header:
            continue
        comment = _COMMENT.search(_QUOTED.sub(lambda m: "_" * len(m.group()), line))
        if comment:
            found.append((number, line[comment.start(1):].strip(), not line[:comment.start(1)].strip()))
    return found


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a shared expiry date must not become a YAML anchor/alias: people edit this file


def dump_baseline(waivers: Iterable[Waiver]) -> str:
    """The baseline file: the header, then each waiver, its notes (the comments written with it) above it."""
    ordered = sorted(waivers, key=lambda w: (w.file or "", w.rule, w.fingerprint))
    if not ordered:
        return HEADER + yaml.dump({"version": BASELINE_VERSION, "waivers": []}, Dumper=_Dumper)
    entries = ["".join(f"{note}\n" for note in w.notes)
               + yaml.dump([w.to_entry()], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
               for w in ordered]
    return HEADER + f"version: {BASELINE_VERSION}\nwaivers:\n" + "".join(entries)


# ---------------------------------------------------------------- recording and applying


def input_file(source: str) -> str:
    """The input file a document came from (record sources carry '#id' or '[n]' after the path)."""
    if source.startswith("<") or Path(source).exists():
        return source
    return _RECORD_SUFFIX.sub("", source)


def relative_file(source: str, base_dir: Path) -> str:
    """An input's path relative to the baseline's folder, with '/' separators, in Unicode's NFC form."""
    path = input_file(source)
    if path.startswith("<"):
        return path
    try:
        relative = Path(os.path.relpath(Path(path).resolve(), base_dir.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        relative = Path(path).resolve().as_posix()
    return unicodedata.normalize("NFC", relative)


def _excerpt(result: Result) -> str | None:
    if not result.evidence:
        return None
    text = " ".join(result.evidence[0].text.split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def record(reports: Sequence[Report], base_dir: Path, justification: str, approved_by: str,
           expires: date | None = None, reviews: bool = False) -> list[Waiver]:
    """One new waiver per current finding (with reviews, per met verdict marked for review too)."""
    out: dict[tuple[str, str], Waiver] = {}
    for report in reports:
        for r in report.results:
            if not is_finding(r, reviews):
                continue
            w = Waiver(r.rule, result_fingerprint(r, report.document), justification, approved_by, expires,
                       file=relative_file(report.document.source, base_dir), status=r.status, title=r.title,
                       evidence=_excerpt(r))
            out.setdefault(w.key, w)
    return list(out.values())


def file_gone(w: Waiver, base_dir: Path) -> bool:
    """True when the input the waiver was recorded from no longer exists (a renamed or deleted draft)."""
    return w.file is not None and not w.file.startswith("<") and not (
        base_dir / on_disk(w.file, base_dir)).exists()


def merge(existing: Sequence[Waiver], current: Sequence[Waiver], checked_files: set[str],
          renew: bool = False, base_dir: Path | None = None) -> list[Waiver]:
    """The new baseline: current findings (keeping the approval of those already waived) plus the
    waivers of inputs that were not checked this time. Waivers of checked inputs that no longer
    match anything are dropped. `renew` gives the kept waivers the new expiry date. Given `base_dir`,
    the waivers of inputs that no longer exist are dropped too, and a kept one follows its finding
    to the file it is in now."""
    known = {w.key: w for w in existing}
    gone = (lambda w: file_gone(w, base_dir)) if base_dir is not None else (lambda w: False)
    out = [replace(known[w.key], line=None, **({"expires": w.expires} if renew else {}),
                   **({"file": w.file} if gone(known[w.key]) else {}))
           if w.key in known else w for w in current]
    keys = {w.key for w in out}
    out += [replace(w, line=None) for w in existing
            if w.key not in keys and w.file is not None and w.file not in checked_files and not gone(w)]
    return out


def apply_waivers(reports: Sequence[Report], waivers: Sequence[Waiver], base_dir: Path, on: date,
                  baseline_name: str = "baseline", files_exist: bool = False) -> list[WaiverNotice]:
    """Mark findings matched by an unexpired waiver as waived (in place); return the notices. A met verdict
    marked for review is matched too: a waiver recorded for it under --fail-on-review accepts the reading.
    With `files_exist` (the inputs are files under `base_dir`), a waiver that matched nothing and whose
    file is gone (a renamed draft) is reported whatever was checked."""
    by_key = {w.key: w for w in waivers}
    used: set[tuple[str, str]] = set()
    notices: list[WaiverNotice] = []
    checked = {relative_file(r.document.source, base_dir) for r in reports}
    rules = {r.rule for rep in reports for r in rep.results}  # and those the selection left out: not typos
    rules |= {x.rule for rep in reports for x in rep.left_out}
    for report in reports:
        for r in report.results:
            if not is_finding(r, reviews=True):
                continue
            w = by_key.get((r.rule, result_fingerprint(r, report.document)))
            if w is None:
                continue
            used.add(w.key)
            if w.is_expired(on):
                notices.append(_notice("expired", w, baseline_name,
                                       f"expired on {w.expires}; the finding in {report.document.source} "
                                       "is reported again"))
            else:
                r.waived = w.as_result_dict()
    for w in waivers:
        if w.key in used:
            continue
        if files_exist and file_gone(w, base_dir):  # whatever was checked: nothing can match it any more
            notices.append(_notice("stale", w, baseline_name, "was recorded from a file that no longer "
                                   "exists (renamed or deleted?); `cydcheck baseline` on the drafts drops it "
                                   "and records their gaps again"))
        elif w.file is None or w.file in checked:
            notices.append(_notice("stale", w, baseline_name, _unmatched(w.rule, rules)))
    return notices


def _unmatched(rule: str, rules: set[str]) -> str:
    """Why a waiver of a checked input matched nothing: its finding is gone, or its rule is none of the rules
    checked or left out (a typo in the id: "did you mean ...?")."""
    if rule in rules:
        return "no longer matches any finding; remove it (cydcheck baseline rewrites the file)"
    near = nearest(rule, rules)
    hint = f"did you mean {near}?" if near else "`cydcheck rules list` names them"
    return f"names rule {rule}, which no pack checked has ({hint}); it waives nothing"


def _notice(kind: str, w: Waiver, baseline_name: str, what: str) -> WaiverNotice:
    where = f"{baseline_name}:{w.line}" if w.line else baseline_name
    about = f" ({w.file})" if w.file else ""
    return WaiverNotice(kind, w, f"{where}: waiver for {w.rule}{about} {what}")
