"""Renderers: turn Reports into text, JSON and the other formats. They only render."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import PurePath

from .. import __version__
from ..model import CheckerError, Report
from ..suggest import did_you_mean

Renderer = Callable[..., str]

# format -> the module (in this package) whose `render` writes it
MODULES = {
    "text": "text_out",
    "json": "json_out",
    "html": "html_out",
    "markdown": "markdown_out",
    "sarif": "sarif_out",
    "junit": "junit_out",
    "github": "github_out",
    "codequality": "codequality_out",
    "concise": "concise_out",
    "csv": "csv_out",
}


class Renderers(Mapping[str, Renderer]):
    """Format name -> renderer; a renderer's module is imported when it is first asked for, so a text
    or JSON check does not load Jinja and the HTML and Markdown templates."""

    def __getitem__(self, fmt: str) -> Renderer:
        module = MODULES[fmt]  # KeyError for an unknown format, as a dict gives
        return importlib.import_module(f"{__name__}.{module}").render

    def __iter__(self) -> Iterator[str]:
        return iter(MODULES)

    def __len__(self) -> int:
        return len(MODULES)


RENDERERS: Mapping[str, Renderer] = Renderers()

# formats that write a copy of the input with the findings in it, rather than a report: they need the
# input's own bytes (options["original"]), so the caller hands them over
COPIES = {"docx": "docx_out", "pdf": "pdf_out"}


def copy_name(name: str, fmt: str) -> str:
    """The name a copy with the findings takes from its input's: `draft.docx` gives `draft-checked.docx`,
    `proof.pdf` `proof-checked.pdf`."""
    return f"{PurePath(name).stem}-checked.{fmt}"

# an output file's extension -> the format it names (--output x.html without --format); a format may be
# given by its extension's name too (--format md)
EXTENSION_FORMATS = {".html": "html", ".htm": "html", ".json": "json", ".sarif": "sarif", ".xml": "junit",
                     ".md": "markdown", ".txt": "text", ".docx": "docx", ".pdf": "pdf", ".csv": "csv"}


# What each format writes, by kind: an output whose extension names another kind (HTML into `report.json`)
# is a slip in the order of --format and --output. A `.txt` output takes any kind that is text.
_KINDS = {"json": "json", "sarif": "json", "codequality": "json", "junit": "xml", "html": "html",
          "markdown": "markdown", "text": "text", "github": "text",
          "concise": "text", "docx": "docx", "pdf": "pdf", "csv": "csv"}


# Double extensions that name a format of their own, as code scanning uploads name SARIF (`x.sarif.json`)
DOUBLE_EXTENSIONS = {".sarif.json": "sarif"}


def extension_format(path: str | PurePath) -> str | None:
    """The format an output path's extension names (`.sarif.json`: SARIF), else None."""
    name = PurePath(path).name.lower()
    double = next((f for ext, f in DOUBLE_EXTENSIONS.items() if name.endswith(ext)), None)
    return double or EXTENSION_FORMATS.get(PurePath(path).suffix.lower())


def disagrees(fmt: str, path: str) -> str | None:
    """The format an output's extension names where it writes another kind than `fmt` does, else None."""
    named = extension_format(path)
    if named is None or named == fmt or (named == "text" and _KINDS.get(fmt) not in ("docx", "pdf")):
        return None
    return named if _KINDS.get(named) != _KINDS.get(fmt) else None


def format_named(name: str) -> str | None:
    """The format a name gives, in any case: a format ("Markdown") or an extension's name ("md",
    ".xml"); None for neither."""
    key = name.strip().lower()
    return key if key in MODULES or key in COPIES else EXTENSION_FORMATS.get("." + key.lstrip("."))


# Spreadsheets cydcheck does not write: a name of one is told of the CSV a spreadsheet opens.
SPREADSHEETS = frozenset({"xlsx", "xlsm", "xls", "ods", "numbers"})


def spreadsheet_hint(name: str | PurePath) -> str:
    """For a spreadsheet's format or file name ("xlsx", "tracker.xlsx"), what to write instead; else ""."""
    text = str(name).strip().lower()
    kind = PurePath(text).suffix.lstrip(".") or text.lstrip(".")
    if kind not in SPREADSHEETS:
        return ""
    return "; for a spreadsheet give csv (-o FILE.csv), which Excel opens as UTF-8"


def known_formats() -> str:
    """The formats and the extension names that stand for them, for an error message."""
    aliases = sorted({e.lstrip(".") for e, f in EXTENSION_FORMATS.items() if e.lstrip(".") != f})
    return f"{', '.join(sorted([*MODULES, *COPIES]))} (or {', '.join(aliases)})"


def copy_with_findings(reports: Sequence[Report], fmt: str, original: bytes, **options) -> bytes:
    """The input (`original`, the bytes the reports were read from) with the findings in it."""
    _known_options(options)
    module = importlib.import_module(f"{__name__}.{COPIES[fmt]}")
    return module.render(list(reports), original=original, **options)


# every option some renderer reads (the CLI hands each renderer the same set, so one format passes over
# another's options); a name outside it is a misspelling, named rather than passed over
RENDER_OPTIONS = frozenset({
    "version", "generated", "checked", "waiver_notices", "prepared_by", "reviewed_by", "up", "colour",
    "verbose", "quiet", "width", "heading_level", "root", "always_list", "gate", "original", "not_checked",
    "column_unit",
})


class UnknownFormat(CheckerError, ValueError):
    """A format no renderer writes: bad input as every CheckerError is, and the ValueError render raised."""


class UnknownOption(CheckerError, TypeError):
    """An option no renderer reads: bad input, and the TypeError a function's unknown keyword raises."""


def _known_options(options: Mapping[str, object]) -> None:
    """Raise UnknownOption for the first option no renderer reads, with the one likely meant."""
    for name in options:
        if name not in RENDER_OPTIONS:
            raise UnknownOption(f"unknown render option '{name}'{did_you_mean(name, sorted(RENDER_OPTIONS))}"
                                f" (known: {', '.join(sorted(RENDER_OPTIONS))})")


def render(reports: Report | Sequence[Report], fmt: str, **options) -> str:
    """The report(s) written in `fmt`, a format or its extension's name in any case ("json", "Markdown",
    "md"); a misspelt one raises UnknownFormat naming the formats known, and an option no renderer reads
    UnknownOption."""
    named = format_named(fmt)
    if named not in MODULES:
        copy = f": {fmt} writes a copy of the input, copy_with_findings" if named in COPIES else ""
        hint = did_you_mean(fmt, [*MODULES, *(e.lstrip(".") for e in EXTENSION_FORMATS)]) if not copy else ""
        raise UnknownFormat(f"unknown format '{fmt}'{hint or copy} (known: {', '.join(sorted(MODULES))})")
    _known_options(options)
    options.setdefault("version", __version__)  # the report names the cydcheck that made it
    return RENDERERS[named]([reports] if isinstance(reports, Report) else list(reports), **options)
