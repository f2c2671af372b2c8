"""Find the shipped Jinja templates and build the strict environments the renderers use."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from ..ingest.decode import BIDI_CONTROLS
from ..model import CheckerError


def shipped_templates_dir() -> Path:
    """The `templates/` folder beside the package (checkout, editable install)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "templates", here / "data" / "templates"):
        if candidate.is_dir():
            return candidate
    return here.parent / "templates"


def templates_dir() -> Path:
    """$CYDCHECK_TEMPLATES_DIR, else the shipped templates folder."""
    env = os.environ.get("CYDCHECK_TEMPLATES_DIR")
    return Path(env) if env else shipped_templates_dir()


def template_folders() -> list[Path]:
    """Where templates are looked up, first match wins: the override folder, then the shipped templates."""
    folder = templates_dir()
    if not folder.is_dir():
        raise CheckerError("report templates folder not found (set CYDCHECK_TEMPLATES_DIR)", file=str(folder))
    shipped = shipped_templates_dir()
    return [folder] if folder == shipped else [folder, shipped]


def template_path(name: str) -> Path:
    """The file a template name reads: the override folder's own, else the shipped one."""
    folders = template_folders()
    return next((f / name for f in folders if (f / name).is_file()), folders[-1] / name)


_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def no_bidi(value: Any) -> Any:
    """A value shown in a report without bidirectional controls (a file name "report\u202egnp.exe.md" would
    show as "reportdm.exe.png"); the readers drop them from a document's text already. Markup stays Markup."""
    if not isinstance(value, str) or not _BIDI.search(value):
        return value
    cleaned = _BIDI.sub("", value)
    return markupsafe.Markup(cleaned) if isinstance(value, markupsafe.Markup) else cleaned


def environment(*, html: bool) -> jinja2.Environment:
    """HTML escapes every value; Markdown escapes with its own filter. Undefined names fail loudly; no value
    shows a bidirectional control."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in template_folders()]),
        autoescape=html,
        finalize=no_bidi,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
