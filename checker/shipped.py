"""Where the shipped packs and templates are: inside the package when installed, beside it in a checkout."""

from __future__ import annotations

from pathlib import Path


def shipped_folder(package: Path, name: str) -> Path:
    """The folder `name` (rules, templates) for the package folder `package`: its data/NAME, as a wheel
    installs it, else NAME beside it (a checkout or editable install). Inside first: installed, the folder
    beside the package is site-packages' own, where another distribution may have put a `rules/`."""
    inside = package / "data" / name
    return inside if inside.is_dir() else package.parent / name


def installed(package: Path) -> bool:
    """Whether the package folder is an installed wheel's (its packs inside it), not a checkout's."""
    return (package / "data" / "rules").is_dir()
