"""Find the shipped Jinja templates and build the strict environments the renderers use."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import markupsafe

from ..model import DISCLAIMER, CheckerError
from ..shipped import shipped_folder
from .terminal import safe


def shipped_templates_dir() -> Path:
    """The shipped `templates/` folder (see shipped_folder)."""
    return shipped_folder(Path(__file__).resolve().parent.parent, "templates")


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


def printable(value: object) -> object:
    """A value as a template prints it: text without escape sequences, control characters (a pack's message
    may hold them: "\\x1b[31m", a NUL), which neither a browser nor a Markdown viewer shows for what they are,
    or bidirectional controls (a file name "report\u202egnp.exe.md" would show as "reportdm.exe.png");
    markup stays markup."""
    if isinstance(value, markupsafe.Markup):
        return markupsafe.Markup(safe(str(value)))
    return safe(value) if isinstance(value, str) else value


def environment(*, html: bool) -> jinja2.Environment:
    """HTML escapes every value; Markdown escapes with its own filter; neither prints a control character
    or a bidirectional control. Undefined names fail loudly; `disclaimer` is every template's."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in template_folders()]),
        autoescape=html,
        finalize=printable,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["disclaimer"] = DISCLAIMER
    return env
