"""Find the shipped Jinja templates and build the strict environments the renderers use."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

from ..model import CheckerError


def templates_dir() -> Path:
    """The `templates/` folder beside the package (checkout, editable install) or $CYDCHECK_TEMPLATES_DIR."""
    env = os.environ.get("CYDCHECK_TEMPLATES_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "templates", here / "data" / "templates"):
        if candidate.is_dir():
            return candidate
    return here.parent / "templates"


def environment(*, html: bool) -> jinja2.Environment:
    """HTML escapes every value; Markdown escapes with its own filter. Undefined names fail loudly."""
    folder = templates_dir()
    if not folder.is_dir():
        raise CheckerError("report templates folder not found (set CYDCHECK_TEMPLATES_DIR)", file=str(folder))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
