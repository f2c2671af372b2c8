"""Renderers: turn Reports into text, JSON and the other formats. They only render."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Report
from . import github_out, html_out, json_out, junit_out, markdown_out, sarif_out, text_out

Renderer = Callable[..., str]

RENDERERS: dict[str, Renderer] = {
    "text": text_out.render,
    "json": json_out.render,
    "html": html_out.render,
    "markdown": markdown_out.render,
    "sarif": sarif_out.render,
    "junit": junit_out.render,
    "github": github_out.render,
}


def render(reports: Sequence[Report], fmt: str, **options) -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format '{fmt}'") from None
    return renderer(list(reports), **options)
