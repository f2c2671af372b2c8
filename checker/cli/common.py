"""Helpers shared by commands: listing the inputs, choosing a format from a path, writing the outputs."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from .. import ingest
from ..listing import expand_pattern, folder_files, has_magic, unread_note, unread_text, unread_warning
from ..model import CheckerError, counted
from ..output import Output, commit, is_stdout, names_folder
from ..report import (
    COPIES,
    DOUBLE_EXTENSIONS,
    EXTENSION_FORMATS,
    RENDERERS,
    extension_format,
    format_named,
    known_formats,
    spreadsheet_hint,
)
from ..report.terminal import one_line
from ..walk import (
    beside_submissions,
    checked_copies,
    copies_text,
    file_identity,
    is_document_bundle,
    is_excluded,
    locks_text,
    redirected_streams,
    twins_text,
)


class FormatName(click.ParamType):
    """--format: a report format, in any case, or the extension that names it (md, txt, xml, htm)."""

    name = "format"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        fmt = format_named(value)
        if fmt is None:
            self.fail(f"'{value}' is not a format: {known_formats()}{spreadsheet_hint(value)}", param, ctx)
        return fmt

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(sorted([*RENDERERS, *COPIES])) + "]"


class FormatChoice(click.Choice):
    """--format of a command that writes a few formats: one of them, in any case, or the extension that names
    it (`-f md`, `-f txt`), as check's --format takes it."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        named = format_named(str(value))
        return named if named in self.choices else super().convert(value, param, ctx)


class FormName(click.ParamType):
    """--form: a form the packs check, however it is spelled ("10k", "20-f", "8-K/A"), as EDGAR writes it."""

    name = "form"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..applicability import compare_pack
        from ..detect import FORMS_CHECKED, form_named  # late: detect compiles the headings' patterns

        form = form_named(value)
        if form is None:
            compare = compare_pack(value)
            hint = (f"; to compare its text with another form's rules as good practice, give "
                    f"--pack {compare} instead") if compare else ""
            self.fail(f"'{value}' is not a form the packs check: {FORMS_CHECKED}{hint}", param, ctx)
        return form


def format_of(path: str | Path) -> str:
    """The report format an output path's extension names (standard output: text; a folder, `out/`:
    html, one page per document); else a usage error."""
    if is_stdout(path):
        return "text"
    if names_folder(path):
        return "html"
    fmt = extension_format(path)
    if fmt is None:
        known = ", ".join([*EXTENSION_FORMATS, *DOUBLE_EXTENSIONS])
        raise click.UsageError(f"cannot tell the format of '{path}' from its extension ({known}); "
                               f"give --format{spreadsheet_hint(path)}")
    return fmt


def output_format(fmt: str | None, output: str | None, default: str, named: Sequence[str] = ("json",)) -> str:
    """The --format of a command that writes text or JSON: as given, else the format of `named` that the
    --output's extension names (as `check -o report.json` takes its format from the extension), else the
    default."""
    if output is None or is_stdout(output):
        return fmt.lower() if fmt else default
    by_extension = extension_format(output)
    writes = (default, *named)
    if by_extension not in (None, "text", *writes) and (fmt is None or by_extension in COPIES):
        # Text in a .docx or .pdf is a file its program will not open; an .html or .xml one named without
        # --format is a guess that this command writes that format.
        suffixes = _either(sorted({"." + _suffix(f) for f in writes}))
        raise CheckerError(f"{_command()} writes {_either(writes)}, not {by_extension}: name the output "
                           f"{suffixes}", file=output)
    if fmt:
        return fmt.lower()
    return by_extension if by_extension in named else default


def _either(items: Sequence[str]) -> str:
    """Items as a sentence lists them: "a, b or c"."""
    return f"{', '.join(items[:-1])} or {items[-1]}" if len(items) > 1 else items[0]


def _suffix(fmt: str) -> str:
    """The extension that names a format (markdown: md; eval's table: txt)."""
    if fmt in ("text", "table"):
        return "txt"
    return next((e.lstrip(".") for e, f in EXTENSION_FORMATS.items() if f == fmt), fmt)


def _command() -> str:
    """The running command's name as typed ("diff"), for a message."""
    ctx = click.get_current_context(silent=True)
    return f"`cydcheck {ctx.info_name}`" if ctx and ctx.info_name else "this command"


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


JOBS_HELP = ("At most the CPU count: each worker holds its own packs (about 40 MB) and more workers than "
             "CPUs only queue for them.")


def cap_jobs(jobs: int) -> int:
    """--jobs for a command's worker processes: 0 means one per CPU, and more than the usable CPUs
    is capped to them with a note (each worker holds its own compiled packs)."""
    cpus = usable_cpus()
    if jobs > cpus:
        click.echo(f"cydcheck: note: --jobs {jobs} capped at {cpus}, the CPUs this process may use", err=True)
    return min(jobs or cpus, cpus)


def note_backslash_names(paths: Iterable[str | Path | None]) -> None:
    """A note for each output named with Windows backslashes ('reports\\gaps.json') where the '/' form's
    folder exists: here it is one name in the current folder, not a file in that folder."""
    for path in (str(p) for p in paths if p is not None and ingest.slashed(str(p)) is not None):
        hint = ingest.slash_hint(path, lambda slashed: Path(slashed).parent.is_dir())
        if hint:
            click.echo(one_line(f"cydcheck: note: {path}: written under that one name{hint}"), err=True)


def emit_all(outputs: Sequence[Output], inputs: Iterable[str | Path] = ()) -> None:
    """Commit every file output together (or none), then print the one that goes to standard output."""
    if sum(1 for o in outputs if o.to_stdout) > 1:
        raise CheckerError("only one output can go to standard output")
    files = [o for o in outputs if not o.to_stdout]
    commit(files, inputs)
    note_backslash_names([o.path for o in files])
    for o in outputs:
        # as rendered: colour only where asked for (click would drop it off a terminal); as bytes, so that a
        # file name that is not UTF-8 prints as its own bytes
        if o.to_stdout:
            click.echo(o.data, nl=False, color=True)


def emit(content: str, output: str | None, inputs: Iterable[str | Path] = ()) -> None:
    emit_all([Output(output, content)], inputs)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def known_width(out: str | None, env: Mapping[str, str] = os.environ) -> int | None:
    """The width of standard output where it is known: COLUMNS where it is set (a screen reader's user at 40
    piping the report to a file or a pager), else the terminal's when it is one; None for a file or a pipe."""
    if out in (None, "-") and (stdout_is_tty() or env.get("COLUMNS", "").strip().isdigit()):
        return max(40, shutil.get_terminal_size((80, 24)).columns)
    return None


def terminal_width(out: str | None, env: Mapping[str, str] = os.environ) -> int:
    """A text report's width: the known width of standard output, else (a file, a pipe) 80."""
    return known_width(out, env) or 80


def colour_default(env: Mapping[str, str]) -> bool:
    """Whether a report printed to standard output is coloured when neither --color nor --no-color is given:
    FORCE_COLOR set (not empty, not "0") colours it, NO_COLOR set (not empty, no-color.org) or TERM=dumb (a
    terminal that shows escape codes as text: Emacs's shell, a screen reader's plain console) leaves it plain,
    else it is coloured on a terminal."""
    force = env.get("FORCE_COLOR", "")
    if force and force != "0":
        return True
    if force == "0" or env.get("NO_COLOR", "") or env.get("TERM") == "dumb":
        return False
    # the old Windows console shows escape codes as text until their processing is turned on
    return stdout_is_tty() and (sys.platform != "win32" or windows_console_colours())


def windows_console_colours() -> bool:
    """Turn on the Windows console's processing of colour codes for standard output (Windows 10 and later);
    whether it takes them (False anywhere else, or where the console refuses)."""
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.GetStdHandle(-11)  # STD_OUTPUT_HANDLE
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        vt_processing = 0x0004  # ENABLE_VIRTUAL_TERMINAL_PROCESSING
        return bool(kernel32.SetConsoleMode(handle, mode.value | vt_processing))
    except (AttributeError, OSError, ValueError):
        return False


def _outputs_of_run(folder: Path, found: list[Path], outputs: Sequence[str | None]) -> list[Path]:
    """The files a walk of `folder` found that are this run's own outputs: an output file, or a file in an
    output folder inside it (a team keeps the commented copies in drafts/checked/), or the file standard
    output or error is redirected to (`cydcheck check . -f json > report.json`: the shell made it, empty,
    before the walk). The folder itself given as the output is no such folder: its drafts are what the run
    checks (and may not be written over)."""
    inside = Path(os.path.realpath(folder))
    given = [Path(os.path.realpath(o)) for o in outputs if o and not is_stdout(o)]
    given = [p for p in given if inside in p.parents]
    streams = redirected_streams()
    if not given and not streams:
        return []
    return [f for f in found if any(p == Path(os.path.realpath(f)) or p in Path(os.path.realpath(f)).parents
                                    for p in given) or (streams and file_identity(f) in streams)]


def exit_with_errors(errors: Sequence[CheckerError]) -> None:
    """Each error on its own line, as the run's last word, then exit 2; nothing when there is none."""
    for exc in errors:
        click.echo(one_line(f"cydcheck: error: {exc}"), err=True)
    if errors:
        raise click.exceptions.Exit(2)


def expand_folders(args: tuple[str, ...], exclude: Sequence[str] = (), outputs: Sequence[str | None] = (),
                   not_checked: list[str] | None = None) -> tuple[list[str], int]:
    """The inputs with each folder replaced by the known input files under it (as batch walks them:
    hidden and git-ignored paths left out, and the run's own `outputs`, files or folders, with a note), and
    each glob pattern by the files it matches (as batch expands it), less the files an `exclude` pattern names
    (walk.is_excluded; a file named is checked); also how many folders and patterns there were. Each
    folder's documents not read are warned of, and given to `not_checked` as a report's line."""
    files: dict[str, None] = {}  # an ordered set: each input once, in the order given
    folders = 0
    for arg in args:
        if arg != "-" and Path(arg).is_dir() and not is_document_bundle(arg):  # a bundle: a file
            folders += 1
            # one walk: inputs, documents cydcheck does not read, Word's lock files; then its own reports
            locks: list[Path] = []
            found, unread = folder_files(Path(arg), locks)
            found = [f for f in found if not is_excluded(f, exclude)]
            own = {f: ingest.is_own_report(f) for f in found}
            reports = [f for f in found if own[f]]
            found = [f for f in found if not own[f]]
            # the run's own outputs that are no report (a Word copy with comments), said apart from reports
            mine = _outputs_of_run(Path(arg), found, outputs)
            if mine:
                found = [f for f in found if f not in mine]
                count = counted(len(mine), "file")
                click.echo(one_line(f"cydcheck: note: {count} in {arg} left out: this run's output (e.g. "
                                    f"{mine[0]})"), err=True)
            twins = beside_submissions(found)
            copies = checked_copies(found)
            found = [f for f in found if str(f) not in twins and str(f) not in copies]
            if not found:
                also = f" (and {len(reports)} cydcheck reports)" if reports else ""
                known = " ".join(sorted(ingest.READERS))
                raise CheckerError(f"no input files ({known}) in this folder{also}"
                                   + (f"; {unread_text(unread)}" if unread else "")
                                   + (f"; {locks_text(locks)}" if locks else ""), file=arg)
            if unread:  # no document is thought checked that was not: said even in quiet mode
                click.echo(one_line(unread_warning(arg, unread)), err=True)
                if not_checked is not None:
                    not_checked.append(unread_note(arg, unread))
            if reports:
                click.echo(one_line(f"cydcheck: note: {counted(len(reports), 'file')} "
                                    f"in {arg} left out as cydcheck reports (e.g. {reports[0]})"), err=True)
            if twins:
                click.echo(one_line(f"cydcheck: note: {twins_text(twins)} in {arg}"), err=True)
            if copies:
                click.echo(one_line(f"cydcheck: note: in {arg}: {copies_text(copies)}"), err=True)
            if locks:
                click.echo(one_line(f"cydcheck: note: in {arg}: {locks_text(locks)}"), err=True)
            files.update(dict.fromkeys(str(f) for f in found))
        elif arg != "-" and has_magic(arg) and not Path(arg).exists():  # a pattern the shell left as it is
            matches = [m for m in expand_pattern(arg) if not is_excluded(m, exclude)]
            if not matches:
                hint = ingest.slash_hint(arg, lambda p: bool(expand_pattern(p)))
                raise CheckerError("no files match this pattern" + hint, file=arg)
            files.update(dict.fromkeys(matches))
            folders += 1  # as a folder: the run says how many files it checked
        else:
            files[arg] = None
    return list(files), folders


def _completion_checker():
    """A Checker over the built-in packs and the configuration's rules folders, for the shell's completion
    (a configuration that cannot be read gives the built-in packs alone: completion never fails)."""
    from ..api import Checker  # late: only when the shell asks
    from ..config import load_config

    try:
        dirs = [Path(d) for d in load_config()["rules-dirs"]]
    except CheckerError:
        dirs = []
    return Checker(extra_dirs=dirs)


def complete_packs(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """The shell's completion of --pack: the pack ids, and 'auto'."""
    names = {"auto", *_completion_checker().available()}
    return sorted(n for n in names if n.startswith(incomplete))


def rule_names(refs: Iterable[str | Path], extra_dirs: Sequence[Path]) -> set[tuple[str, str | None]]:
    """(rule id, element id) of every rule of these packs, read as outlines (nothing compiled), and of the
    built-in findings: what --select and --disable can name. A pack that cannot be read is passed over (the
    run, or `rules validate`, says what is wrong with it)."""
    from .. import builtin_checks  # late: only for completion and a selection to look up
    from ..packs import load_outline

    names: set[tuple[str, str | None]] = {(c.id, None) for c in builtin_checks.CHECKS}
    for ref in refs:
        try:
            pack = load_outline(ref, list(extra_dirs))
        except CheckerError:
            continue
        names.update((r.id, r.element) for r in pack.rules)
    return names


def complete_rules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """The shell's completion of a rule: the rule ids of every pack, the built-in findings' and the element
    ids, as --select, --disable, explain and rules show take them (case aside)."""
    checker = _completion_checker()
    names = {n for pair in rule_names(sorted(checker.available()), checker.extra_dirs) for n in pair if n}
    return sorted(n for n in names if n.casefold().startswith(incomplete.casefold()))
