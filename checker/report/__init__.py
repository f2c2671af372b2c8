"""Renderers: turn Reports into text, JSON and the other formats. They only render."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence

from ..model import Report

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


def render(reports: Sequence[Report], fmt: str, **options) -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format '{fmt}'") from None
    return renderer(list(reports), **options)
