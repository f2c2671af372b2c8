"""Project configuration: [tool.cydcheck] in pyproject.toml or .cydcheck.yaml, nearest up from a folder.

Precedence, highest first: command-line options, the configuration file, built-in defaults. Every
value remembers where it came from, so `cydcheck config` can show it. Relative paths in a
configuration file are relative to the folder that holds that file.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .gate import FAIL_ON
from .ingest import on_disk, slashed
from .ingest.decode import settings_text
from .model import CheckerError
from .packs import as_written, escape_advice, parse_yaml, quoted_backslash
from .selection import split_entries
from .suggest import nearest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

YAML_NAMES = (".cydcheck.yaml", ".cydcheck.yml")
PYPROJECT = "pyproject.toml"
BASELINE_NAME = ".cydcheck-baseline.yaml"
DEFAULT = "default"
COMMAND_LINE = "command line"

# key -> (default, kind). Kinds: "str", "list" (of str), "paths" (list, relative to the config file),
# "path" (one path, relative to the config file), "bool". A None default means "not set".
KEYS: dict[str, tuple[Any, str]] = {
    "pack": ("auto", "str"),
    "fail-on": ("error", "str"),
    "fail-on-review": (False, "bool"),  # a met verdict marked for review fails the run until waived
    "select": ((), "list"),  # rule ids or prefixes to report (empty: all), as ruff's select
    "disable": ((), "list"),  # rule ids or prefixes to drop
    "exclude": ((), "list"),  # glob patterns of the files a folder walk or a pattern leaves out, as ruff's
    "quiet": (False, "bool"),  # text report: open gaps only
    "examples": (True, "bool"),  # peer examples under each gap (text, JSON, HTML, Markdown)
    "rules-dirs": ((), "paths"),
    "format": (("text",), "list"),
    "output": ((), "paths"),
    "baseline": (BASELINE_NAME, "path"),
    "prepared-by": (None, "str"),  # the HTML workpaper's preparer and reviewer
    "reviewed-by": (None, "str"),
}


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str  # "default", "command line", or the configuration file it was read from


@dataclass(frozen=True)
class Config:
    """The effective configuration: one Setting per key."""

    file: Path | None
    settings: dict[str, Setting] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.settings[key].value

    def source(self, key: str) -> str:
        return self.settings[key].source

    def is_default(self, key: str) -> bool:
        return self.settings[key].source == DEFAULT

    def override(self, **values: Any) -> Config:
        """Command-line values (keys with '_' for '-'); None or an empty tuple means not given."""
        settings = dict(self.settings)
        for name, value in values.items():
            key = name.replace("_", "-")
            if key not in KEYS:
                raise KeyError(key)
            if value is None or value == ():
                continue
            kind = KEYS[key][1]
            if kind in ("list", "paths"):
                value = tuple(path_value(v) if kind == "paths" else v for v in value)
            elif kind == "path":
                value = path_value(value)
            settings[key] = Setting(value, COMMAND_LINE)
        if settings["format"].source == COMMAND_LINE and settings["output"].source != COMMAND_LINE:
            # Outputs pair with formats by position: configured outputs do not fit other formats.
            settings["output"] = Setting((), COMMAND_LINE)
        return replace(self, settings=settings)

    def as_rows(self) -> list[tuple[str, Any, str]]:
        return [(k, _plain(self.settings[k].value), self.settings[k].source) for k in KEYS]


def path_value(value: str, home: Path | None = None) -> Path | str:
    """A path setting (relative to `home` when given, the configuration's folder, where a leading '~' is the
    user's home folder as in a shell); one ending with a separator (`out/`, a folder that may not exist yet)
    stays a string that keeps it, as a Path would drop it."""
    path = home / os.path.expanduser(value) if home is not None else Path(value)
    if value.endswith(tuple(s for s in (os.sep, os.altsep) if s)):
        return os.path.join(path, "")
    return path


def native_path(value: str, home: Path) -> str:
    """A relative path written on Windows (`rules\\house`) with this system's separator, when as written it
    names nothing under `home`: a configuration file is shared between Windows and Linux machines."""
    other = slashed(value)
    return on_disk(value if other is None or (home / value).exists() else other, home)


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def find_config(start: Path) -> Path | None:
    """The nearest .cydcheck.yaml, or pyproject.toml with a [tool.cydcheck] table, from `start` up.

    In one folder .cydcheck.yaml wins over pyproject.toml; a pyproject.toml without the table is
    passed over (most projects have one for other tools).
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in YAML_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _read_pyproject(pyproject) is not None:
            return pyproject
    return None


_TOML_AT = re.compile(r" \(at line (\d+), column \d+\)")  # where tomllib's error says it is


def _read_pyproject(path: Path) -> dict[str, Any] | None:
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        line = int(at.group(1)) if at else None
        lines = text.splitlines()
        written = quoted_backslash(lines[line - 1]) if line and line <= len(lines) else None
        advice = f": {escape_advice(written)}" if written is not None else ""  # "C:\\Users\\..."
        raise CheckerError(f"malformed TOML: {_TOML_AT.sub('', str(exc))}{advice}", file=str(path),
                           line=line) from None
    table = data.get("tool", {}).get("cydcheck")
    if table is not None and not isinstance(table, dict):
        raise CheckerError("[tool.cydcheck] must be a table", file=str(path))
    misspelt = misspelt_table(data) if table is None else None
    if misspelt:  # passed over, the gate would run on the defaults the team meant to change
        raise CheckerError(f"[{misspelt}] is not read: did you mean [tool.cydcheck]?", file=str(path))
    return table


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CheckerError(f"cannot read configuration: {exc.strerror or exc}", file=str(path)) from None
    return settings_text(raw, str(path))


def misspelt_table(data: dict[str, Any]) -> str | None:
    """The name of a table that looks meant for cydcheck but is not [tool.cydcheck] ([tool.cydchek],
    [tools.cydcheck], a top-level [cydcheck]); None when there is none."""
    top = next((str(key) for key in data if _close(key, "cydcheck")), None)
    if top:
        return top
    for key, tools in data.items():
        if _close(key, "tool") and isinstance(tools, dict):
            for name in tools:
                if _close(name, "cydcheck") and (key, name) != ("tool", "cydcheck"):
                    return f"{key}.{name}"
    return None


def _close(name: Any, word: str) -> bool:
    """True when `name` is `word` or a slip of it ("cydchek", "cyd-check", "tools")."""
    return nearest(str(name), [word], cutoff=0.8) is not None


def _read_yaml(path: Path) -> dict[str, Any]:
    data = parse_yaml(_read_text(path), str(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CheckerError("configuration must be a mapping of settings", file=str(path))
    return data


_WINDOWS_ABSOLUTE = re.compile(r"\A(?:([A-Za-z]):[\\/]|\\\\[^\\/])")  # C:\, D:/, \\server\share


def _refuse_unusable(key: str, paths: Any, name: str) -> None:
    """Refuse a path holding a control character (a NUL, or what backslashes in double quotes became:
    "C:\\firm\\rules", a form feed and a carriage return), or a Windows drive or share on a system that has
    neither (a configuration written on Windows, run on Linux)."""
    for value in paths:
        windows = _WINDOWS_ABSOLUTE.match(value) if os.sep == "/" else None
        if windows is not None:
            where = f"drive {windows.group(1).upper()}:" if windows.group(1) else "a network share"
            raise CheckerError(f"'{key}': {value} is a Windows path ({where}), which names nothing on this "
                               "system: write a path relative to this file's folder, with '/'", file=name)
        if "\0" in value:
            raise CheckerError(f"'{key}': a path cannot hold a NUL character", file=name)
        if any(c < " " for c in value):
            raise CheckerError(f"'{key}': the path holds a control character where a backslash stood: "
                               f"{escape_advice(as_written(value))}", file=name)


def _validate(key: str, value: Any, kind: str, path: Path) -> Any:
    name, home = str(path), path.resolve().parent
    if kind == "bool":
        if not isinstance(value, bool):
            raise CheckerError(f"'{key}' must be true or false", file=name)
        return value
    if kind == "str" or kind == "path":
        if not isinstance(value, str) or not value.strip():
            raise CheckerError(f"'{key}' must be a non-empty string", file=name)
        if kind == "path":
            _refuse_unusable(key, (value,), name)
        return path_value(native_path(value, home), home) if kind == "path" else value
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CheckerError(f"'{key}' must be a string or a list of strings", file=name)
    if kind == "paths":
        _refuse_unusable(key, value, name)
    if kind == "paths":  # '-' is standard output, not a file named '-'
        return tuple(path_value(v) if v == "-" else path_value(native_path(v, home), home) for v in value)
    return tuple(value)


def read_config_file(path: Path) -> dict[str, Any]:
    """The validated settings of one configuration file (only the keys it sets)."""
    raw = _read_pyproject(path) if path.name == PYPROJECT else _read_yaml(path)
    if raw is None:
        raise CheckerError("no [tool.cydcheck] table", file=str(path))
    out: dict[str, Any] = {}
    for raw_key, value in raw.items():
        key = str(raw_key).replace("_", "-")
        if key not in KEYS:
            close = nearest(key, KEYS, cutoff=0.6)
            hint = f" (did you mean '{close}'?)" if close else f" (known: {', '.join(KEYS)})"
            raise CheckerError(f"unknown setting '{raw_key}'{hint}", file=str(path))
        out[key] = _validate(key, value, KEYS[key][1], path)
        if key in ("select", "disable"):  # "SK106-B2,SK106-C2" as ruff takes it
            out[key] = split_entries(out[key])
    if "fail-on" in out and out["fail-on"] not in FAIL_ON:
        raise CheckerError(f"'fail-on' must be one of {', '.join(FAIL_ON)}", file=str(path))
    if "format" in out:
        # late: the report package is only needed when a format is set
        from .report import format_named, known_formats

        unknown = [f for f in out["format"] if format_named(f) is None]
        if unknown:
            raise CheckerError(f"unknown format '{unknown[0]}' (known: {known_formats()})", file=str(path))
        out["format"] = tuple(format_named(f) for f in out["format"])
    return out


def load_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Config:
    """The configuration for a run: the explicit file, else the nearest one up from `cwd`, else defaults."""
    here = (cwd or Path.cwd()).resolve()
    if explicit is not None:
        path: Path | None = Path(explicit)
        if not path.is_file():
            raise CheckerError("configuration file not found", file=str(explicit))
    else:
        path = find_config(here)
    values = read_config_file(path) if path else {}
    home = path.resolve().parent if path else here
    label = f"{path} [tool.cydcheck]" if path and path.name == PYPROJECT else str(path)
    settings: dict[str, Setting] = {}
    for key, (default, kind) in KEYS.items():
        if key in values:
            settings[key] = Setting(values[key], label)
        else:
            settings[key] = Setting(home / default if kind == "path" else default, DEFAULT)
    return Config(path, settings)
