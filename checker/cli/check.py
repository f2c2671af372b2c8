"""`cydcheck check`: check disclosures against a pack and render the findings."""

from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path

import click

from .. import __version__, deadline, ingest
from ..gate import FAIL_ON, has_failures, rule_counts, tally
from ..model import CheckerError, Report, counted
from ..output import Output, names_folder, refuse_overwriting_inputs
from ..peer_examples import SIZES, attach, industry_of
from ..report import COPIES, copy_name, copy_with_findings, disagrees, render
from ..report.context import checked_at, generated_at
from ..report.terminal import one_line
from ..selection import split_entries
from .baseline import waive
from .common import (
    JOBS_HELP,
    FormatName,
    FormName,
    cap_jobs,
    colour_default,
    complete_packs,
    complete_rules,
    emit_all,
    expand_folders,
    format_of,
    terminal_width,
)
from .config import (
    PARALLEL_FROM,
    check_files,
    config_option,
    make_checker,
    refuse_empty_selection,
    resolve,
    settings_files,
)

# The reports that carry peer examples. SARIF, JUnit and GitHub annotations are CI gate outputs: one
# short line per finding (its guidance is the fix), bytes that do not change when the peers are rebuilt.
SHOWS_EXAMPLES = frozenset({"text", "json", "html", "markdown", "docx", "pdf"})
# what a copy with the findings is made of, by format: (the input it copies, what the findings become)
COPY_KINDS = {"docx": ("Word draft", "comments"), "pdf": ("PDF", "notes")}


def pair_outputs(formats: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Pair each --format with its --output (in order); unpaired formats go to stdout."""
    formats = formats or ("text",)
    if len(outputs) > len(formats):
        raise CheckerError("more --output paths than --format options")
    pairs = [(f, outputs[i] if i < len(outputs) else None) for i, f in enumerate(formats)]
    if sum(1 for _, o in pairs if o in (None, "-")) > 1:
        raise CheckerError("only one format can go to standard output; give --output for the others")
    return pairs


def refuse_mismatched_outputs(pairs: list[tuple[str, str | None]]) -> None:
    """A usage error for a format paired with an output whose extension names another kind of report (HTML
    into `report.json`: the --format and --output options given in different orders)."""
    for fmt, out in pairs:
        named = disagrees(fmt, out) if out and out != "-" else None
        if named:
            raise CheckerError(f"--format {fmt} would go to {out}, whose extension names {named}: each "
                               "--output takes the --format in the same position")


def copy_targets(fmt: str, out: str | None, files: list[str]) -> dict[str, Path]:
    """--format docx (or pdf): where each draft's copy with the findings goes (before any checking, so a usage
    error costs nothing): the --output file for one draft, `<name>-checked.<fmt>` in an --output folder."""
    kind, marks = COPY_KINDS[fmt]
    if out in (None, "-"):
        raise CheckerError(f"--format {fmt} writes a copy of the {kind} with {marks}: give --output as a "
                           f".{fmt} file name (the {kind} itself is never written to)", file=files[0])
    others = [f for f in files if Path(f).suffix.lower() != f".{fmt}"]
    if others:
        raise CheckerError(f"--format {fmt} puts {marks} in a copy of each {kind}: check .{fmt} files "
                           "with it", file=others[0])
    folder = names_folder(out)
    if len(files) != 1 and not folder:
        raise CheckerError(f"--format {fmt} writes one copy a file: for {len(files)} drafts give a folder "
                           f"with the format, -f {fmt} -o FOLDER/ (a new folder ends with '/'; -o FOLDER "
                           "alone takes HTML pages)", file=files[0])
    drafts: dict[Path, str] = {}  # target -> the draft copied there
    for draft in files:
        target = Path(out) / copy_name(draft, fmt) if folder else Path(out)
        if target in drafts:
            raise CheckerError(f"two drafts would both be commented as {target.name} (the other is "
                               f"{drafts[target]}): check them in two runs", file=draft)
        drafts[target] = draft
    return {draft: target for target, draft in drafts.items()}


def input_copies(reports: list[Report], fmt: str, targets: dict[str, Path], **options) -> list[Output]:
    """Each draft's copy with its findings in it (a Word draft's as comments, a PDF's as notes), read again
    from the file checked (unchanged)."""
    by_draft: dict[str, list[Report]] = {}
    for r in reports:
        by_draft.setdefault(r.document.source, []).append(r)
    rendered = []
    for draft, target in targets.items():
        mine = by_draft.get(draft, [])
        original = ingest.read_bytes(draft)
        if not mine or hashlib.sha256(original).hexdigest() != mine[0].document.sha256:
            raise CheckerError("the draft changed while it was being checked: check it again", file=draft)
        rendered.append(Output(target, copy_with_findings(mine, fmt, original, **options)))
    return rendered


def statistics_text(reports: list[Report], reviews: bool, width: int = 80) -> str:
    """--statistics: one line a rule with open gaps, "   2  SK106-B2-MATERIAL-EFFECT  error  Material ...",
    its title cut (…) to fit `width` columns (a house pack's title is printed as text: nothing in it reaches
    the terminal as a control)."""
    counts = rule_counts(reports, reviews)
    id_width = max((len(rule) for _, _, rule, _ in counts), default=0)
    lines = []
    for n, sev, rule, title in counts:
        lead = f"{n:>4}  {rule:<{id_width}}  {sev:<7}  "
        lines.append(one_line(lead + textwrap.shorten(title, max(width - len(lead), 12), placeholder=" …")))
    return "".join(line + "\n" for line in lines)


CHECK_EPILOG = """\b
Examples:
  cydcheck check draft.md                          # exit 1 on an error gap
  cydcheck check filings/ -o cydcheck.sarif        # a folder, to SARIF
  cydcheck check draft.md --select material_effect -q  # one element, gaps only
  cydcheck check draft.docx -o draft-checked.docx  # findings as Word comments
  cydcheck check filing.htm -f json -o report.json -o report.html
  cat section.md | cydcheck check - --exit-zero    # stdin; report, never fail
  cydcheck check - --stdin-filename draft.md -f concise -q  # an editor's buffer, file:line:col lines"""


def refuse_replacing_others(pages: list[Output]) -> None:
    """Stop before a page written into a folder replaces a file of its name that is not a cydcheck report
    (the folder's own index.html): the user named the folder, not that file."""
    for page in pages:
        path = Path(str(page.path))
        if not ingest.own_reports.replaceable(path):
            raise CheckerError("is not a cydcheck report, and the report page of that name would replace it: "
                               "move it, or give another folder as --output", file=str(path))


@click.command(short_help="Check drafts or filings: each element met, partial or missing.",
               epilog=CHECK_EPILOG)
@click.argument("files", nargs=-1, required=True)
@click.option("--pack", "pack", multiple=True, shell_complete=complete_packs,
              help="Pack id, path to a pack file, or 'auto' to choose from the form/heading, adding the cyd "
                   "tag pack for tagged filings (default: auto). Repeat to run several: one report per pack.")
@click.option("-f", "--format", "formats", multiple=True, type=FormatName(),
              help="Output format (or its extension: md, txt, xml); repeat for several (pair each with "
                   "--output). docx: a copy of a .docx draft with the findings as Word comments; pdf: a "
                   "copy of a .pdf with them as notes.")
@click.option("-o", "--output", "outputs", multiple=True, help="Write the matching --format here (atomic).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when an unwaived gap at or above this severity is found (default: error).")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 whatever gaps are found, as --fail-on never (an input or usage error still exits "
                   "2).")
@click.option("--fail-on-review/--no-fail-on-review", "fail_on_review", default=None,
              help="Also exit 1 when an element met at or above --fail-on is marked for review, until its "
                   "reading is waived (cydcheck baseline --fail-on-review); default: config "
                   "'fail-on-review'.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of packs (searched before the built-in rules).")
@click.option("--form", default=None, type=FormName(),
              help="Override the form (10-K, 20-F, 8-K) of every input.")
@click.option("--color/--no-color", default=None,
              help="Colour the text report on standard output (default: on a terminal, unless NO_COLOR is "
                   "set or TERM is dumb; FORCE_COLOR colours a pipe).")
@click.option("--determined-on", default=None, metavar="DATE",
              help="8-K: day the incident was determined material (YYYY-MM-DD); 8-K/A: day the information "
                   "it adds was determined or became available (Instruction 2): checks the deadline.")
@click.option("--filed-on", default=None, metavar="DATE",
              help="8-K: filing date (YYYY-MM-DD, or a date-time: after 5:30 p.m. ET is the next day).")
@click.option("--period", default=None, metavar="DATE",
              help="End of the fiscal period covered (YYYY-MM-DD), when the input does not say: decides "
                   "whether the item was yet required.")
@click.option("--smaller-reporting-company", "smaller", is_flag=True,
              help="8-K: the registrant is a smaller reporting company (Item 1.05 applied to its 8-Ks from "
                   "2024-06-15, not 2023-12-18), when the input does not say.")
@click.option("--closed-on", "closed_on", multiple=True, metavar="DATE",
              help="An extra day the SEC was closed (repeatable), for the 8-K deadline.")
@click.option("--executive-closures", is_flag=True,
              help="Also count federal closures by executive order (e.g. Christmas Eve) as closed.")
@click.option("--baseline", "baseline", default=None, type=click.Path(dir_okay=False),
              help="Waivers file (default: config 'baseline', else .cydcheck-baseline.yaml if present).")
@click.option("--no-waivers", is_flag=True,
              help="Ignore the baseline: report every gap (the auditor's view).")
@click.option("--select", "select", multiple=True, metavar="RULE", shell_complete=complete_rules,
              help="Report only these rules: ids, prefixes such as SK106-C2, or element ids such as "
                   "mgmt_roles (repeatable; default: config). A selection that keeps no rule is an error.")
@click.option("--disable", "--ignore", "disable", multiple=True, metavar="RULE",
              shell_complete=complete_rules,
              help="Drop these rules: ids, prefixes or element ids (repeatable; the more specific entry "
                   "wins; --ignore, as ruff spells it).")
@click.option("--exclude", "exclude", multiple=True, metavar="PATTERN",
              help="Leave out the files of a folder or pattern that this glob names: by path "
                   "('drafts/archive/*') or by a file's or folder's name ('archive', 'old-*.md') "
                   "(repeatable; default: config 'exclude'). A file given by name is checked.")
@click.option("--stdin-filename", "stdin_name", default=None, metavar="NAME",
              help="The name of the file standard input ('-') holds, as an editor sends its buffer: "
                   "reports and waivers name it, and its suffix says how to read it (as ruff's).")
@click.option("--column-unit", type=click.Choice(["character", "utf-16", "byte"]), default="character",
              show_default=True,
              help="What a column counts in --format concise: Unicode characters (Emacs with "
                   "compilation-error-screen-columns nil), UTF-16 code units (VS Code, LSP) or UTF-8 bytes "
                   "(Vim's and Neovim's quickfix, gcc); SARIF takes characters or UTF-16 (its columnKind).")
@click.option("-q", "--quiet", is_flag=True, default=None,
              help="Text report: open gaps and the met elements marked for review only, no other met "
                   "elements, summaries or counts.")
@click.option("--statistics", is_flag=True,
              help="Instead of the text report, one line a rule: how many open gaps it has across the "
                   "inputs, most first (as ruff's --statistics); other --format outputs are written as "
                   "usual.")
@click.option("--examples/--no-examples", "examples", default=None,
              help="Show three peer examples (how other filers word it) under each gap in text, JSON, HTML "
                   "and Markdown reports, one in a Word copy's comments (default: on; config 'examples').")
@click.option("--peer-industry", default=None, metavar="SIC",
              help="Choose peer examples from this industry: a SIC code or division letter (A-J) "
                   "(default: the input's SIC code, where a JSON record gives one).")
@click.option("--peer-size", type=click.Choice([name for name, _, _ in SIZES]), default=None,
              help="Choose peer examples from filers of this public-float band (default: the input's "
                   "float, where its cover page or record gives one).")
@click.option("--prepared-by", default=None, metavar="NAME", help="HTML workpaper: who prepared it.")
@click.option("--reviewed-by", default=None, metavar="NAME", help="HTML workpaper: who reviewed it.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help=f"Worker processes for {PARALLEL_FROM} documents or more (0: one per CPU; 1: none). "
                   + JOBS_HELP)
@config_option
def check(files, pack, formats, outputs, fail_on, exit_zero, fail_on_review, rules_dirs, form, color,
          determined_on, filed_on, period, smaller, closed_on, executive_closures, baseline, no_waivers,
          select, disable, exclude, stdin_name, column_unit, quiet, statistics, examples, peer_industry,
          peer_size, prepared_by, reviewed_by, jobs, config_path) -> None:
    """Check FILE(s) and report which elements are met.

    Inputs: .txt .md .htm/.html (whole EDGAR filings too) .docx .pdf .json .jsonl, EDGAR complete
    submissions (full-submission.txt), or '-' for stdin; a folder is walked for those (hidden and
    .gitignore'd paths skipped); a quoted glob pattern ('filings/**/*.htm') is expanded as batch expands it.

    Defaults come from [tool.cydcheck] in pyproject.toml or .cydcheck.yaml (see `cydcheck config`)."""
    if stdin_name is not None and "-" not in files:
        raise click.UsageError("--stdin-filename names standard input: give '-' among the files")
    if exit_zero and fail_on not in (None, "never"):
        raise click.UsageError(f"--exit-zero and --fail-on {fail_on} say opposite things: give one")
    cfg = resolve(config_path, pack=pack[0] if len(pack) == 1 else None,
                  fail_on="never" if exit_zero else fail_on,
                  fail_on_review=fail_on_review, rules_dirs=rules_dirs, format=formats, output=outputs,
                  baseline=baseline, select=split_entries(select), disable=split_entries(disable),
                  exclude=exclude, quiet=quiet or None, examples=examples, prepared_by=prepared_by,
                  reviewed_by=reviewed_by)
    outs = tuple(str(o) for o in cfg["output"])
    # --output x.sarif alone (or past the last --format): the extension names the format.
    fmts = () if cfg.is_default("format") and outs else tuple(cfg["format"])
    fmts += tuple(format_of(o) for o in outs[len(fmts):])
    pairs = pair_outputs(fmts, outs)
    industry = industry_of(peer_industry)  # a bad code is a usage error before any work
    not_checked: list[str] = []  # what the folders held that is not read: on the reports that list documents
    files, folders = expand_folders(files, cfg["exclude"], [out for _, out in pairs], not_checked)
    copies = {fmt: copy_targets(fmt, out, files) for fmt, out in pairs if fmt in COPIES}
    # the copies with findings are what goes in their folder (beside the drafts, if it is theirs)
    refuse_overwriting_inputs([out for fmt, out in pairs if fmt not in COPIES]
                              + [t for targets in copies.values() for t in targets.values()], files)
    # nor may a report replace the configuration or the waivers (a folder of pages cannot take their names)
    settings = settings_files(cfg)
    refuse_overwriting_inputs([out for _, out in pairs if not names_folder(out)], settings)
    refuse_mismatched_outputs(pairs)
    read = [*files, *settings]
    closures = frozenset(deadline.as_day(deadline.parse_date(d, "--closed-on")) for d in closed_on)
    dates = {k: v for k, v in (("determined_on", determined_on), ("filed_on", filed_on), ("period", period))
             if v}
    for name, value in dates.items():
        deadline.parse_date(value, "--" + name.replace("_", "-"))  # a bad date is a usage error up front
    if smaller:  # recorded as given beside the dates: what a re-run needs
        dates["smaller_reporting_company"] = "true"
    checker = make_checker(cfg, calendar=deadline.BusinessCalendar(closures, executive_closures))
    refuse_empty_selection(cfg, checker, pack)  # a typo in --select costs no checking
    reports = check_files(cfg, files, form, checker, dates, packs=pack if len(pack) > 1 else (),
                          jobs=cap_jobs(jobs), stdin_name=stdin_name)
    notices = [] if no_waivers else waive(cfg, reports)
    if cfg["examples"] and any(fmt in SHOWS_EXAMPLES for fmt, _ in pairs):
        attach(reports, industry=industry, size=peer_size)  # reads the data file: once, only when shown
    generated = generated_at(os.environ)
    gate = {"fail_on": cfg["fail-on"], "fail_on_review": bool(cfg["fail-on-review"]),
            "failed": has_failures(reports, cfg["fail-on"], cfg["fail-on-review"])}
    rendered: list[Output] = []
    for fmt, out in pairs:
        colour = color if color is not None else (out in (None, "-") and colour_default(os.environ))
        options = {"colour": colour, "version": __version__, "generated": generated,
                   "waiver_notices": [n.to_dict() for n in notices], "quiet": cfg["quiet"],
                   "width": terminal_width(out), "checked": checked_at(os.environ),
                   "prepared_by": cfg["prepared-by"], "reviewed_by": cfg["reviewed-by"],
                   "gate": gate, "not_checked": not_checked, "column_unit": column_unit,
                   "root": os.getcwd()}  # GitLab's report names files from the project's folder, the job's
        if fmt == "github":  # on a runner: the job summary, appended as part of the same commit
            from ..report import github_out  # late: only this format needs it

            rendered += github_out.step_summary(reports, os.environ, **options)
        if fmt == "html" and names_folder(out):
            from ..report import html_out  # late: Jinja and the templates load only for HTML

            # A folder gets one page per document and an index.html linking them.
            pages = [Output(Path(out) / name, page)
                     for name, page in html_out.render_pages(reports, **options).items()]
            refuse_replacing_others(pages)
            rendered += pages
            continue
        if fmt in COPIES:
            rendered += input_copies(reports, fmt, copies[fmt], **options)
            continue
        if fmt == "text" and statistics:
            rendered.append(Output(out, statistics_text(reports, cfg["fail-on-review"], terminal_width(out))))
            continue
        rendered.append(Output(out, render(reports, fmt, **options)))
    emit_all(rendered, read)  # every output of the run is written, or none
    # The last line, after the reports: what was checked, what fails it. Said for folders and patterns, and
    # when every report went to a file (nothing on the terminal would say why the run exits 1).
    to_files = all(out not in (None, "-") for _, out in pairs)
    if (folders or to_files) and not cfg["quiet"]:
        docs = "" if len(reports) == len(files) else f" ({len(reports)} documents)"
        click.echo(f"cydcheck: checked {counted(len(files), 'file')}{docs}: "
                   + tally(reports, cfg["fail-on"], cfg["fail-on-review"]), err=True)
    raise click.exceptions.Exit(1 if gate["failed"] else 0)
