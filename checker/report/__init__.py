"""Renderers: turn Reports into text, JSON and the other formats. They only render."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Report
from . import json_out, text_out

Renderer = Callable[..., str]

RENDERERS: dict[str, Renderer] = {
    "text": text_out.render,
    "json": json_out.render,
}


def render(reports: Sequence[Report], fmt: str, **options) -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format '{fmt}'") from None
    return renderer(list(reports), **options)
