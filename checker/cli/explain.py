"""`cydcheck explain RULE_ID`: what a rule requires, its citation, how to fix a gap, and its examples."""

from __future__ import annotations

import difflib
import json
import textwrap

import click

from .. import builtin_checks
from ..api import TAG_PACK, Checker
from ..config import Config
from ..examples import example_document, is_markup
from ..model import CheckerError
from ..packs import Pack, Rule, load_outline
from ..report.terminal import wrap
from ..rule_words import MODE_WORDS, logic_sections, terms_used
from .common import complete_rules, terminal_width
from .config import (
    config_option,
    make_checker,
    pack_option,
    pack_ref,
    resolve,
    rules_dirs_option,
    selection,
    setting,
)

_EXAMPLE_HEADINGS = (("pass", "Meets it"), ("partial", "Partly meets it"), ("fail", "Does not meet it"))
SNIPPET_CHARS = 400  # an inline XBRL example's visible text is cut here: its start shows what it is


def _packs_to_search(checker: Checker, configured: str) -> list[str]:
    """The configured pack first (a house pack explains its own overrides), then every known pack."""
    refs = [] if configured == "auto" else [configured]
    return refs + [p for p in sorted(checker.available()) if p not in refs]


def find_rule(checker: Checker, rule_id: str, configured: str) -> tuple[Pack, Rule, list[str]]:
    """The rule (ids compare case-insensitively) and the other packs that also define it. The packs are
    read as outlines (`load_outline`): what their rules say, without compiling a pattern."""
    found: list[tuple[Pack, Rule]] = []
    known: set[str] = set()
    by_element: dict[str, set[str]] = {}  # an element id (as reports show it beside the rule) -> its rules
    broken: list[CheckerError] = []
    outlines: dict[str, Pack] = {}
    pack_of: dict[str, str] = {}  # a rule id -> the first pack searched that defines it
    cited: dict[str, str] = {}  # a rule id -> its citations in every pack that defines it
    for ref in _packs_to_search(checker, configured):
        try:
            pack = outlines[ref] = load_outline(ref, checker.extra_dirs)
        except CheckerError as exc:
            if ref == configured:
                raise
            broken.append(exc)  # an unrelated broken pack only matters if the rule is not found
            continue
        for rule in pack.rules:
            known.add(rule.id)
            pack_of.setdefault(rule.id, pack.id)
            cited[rule.id] = f"{cited.get(rule.id, '')} {rule.citation}"
            if rule.element:
                by_element.setdefault(rule.element.casefold(), set()).add(rule.id)
            if rule.id.casefold() == rule_id.casefold() and all(p.id != pack.id for p, _ in found):
                found.append((pack, rule))
    if not found and broken:
        raise broken[0]
    if not found:
        # a rule id's start ("SK106-B2") or an element id ("material_effect") names the rule when it names one
        prefixed = sorted(i for i in known if i.casefold().startswith(rule_id.casefold()))
        # a start that ends where a part of the id does names that rule ("SK106-C2II": not C2III's)
        whole = [i for i in prefixed if len(i) == len(rule_id) or i[len(rule_id)] == "-"]
        named = (whole if len(whole) == 1 else prefixed) or sorted(by_element.get(rule_id.casefold(), ()))
        # an element's rule in a content pack, the tag pack's rules for it named beside it
        content = [i for i in named if pack_of[i] != TAG_PACK]
        if len(named) == 1 or len(content) == 1:
            pack, rule, also = find_rule(checker, (content if len(content) == 1 else named)[0], configured)
            tags = [i for i in named if pack_of[i] == TAG_PACK]
            return pack, rule, also + ([f"{TAG_PACK} ({', '.join(tags)})"] if tags else [])
        if named:
            raise CheckerError(f"'{rule_id}' names {len(named)} rules: {', '.join(named)} (explain one)")
        builtin = [c.id for c in builtin_checks.CHECKS]
        names = {n.casefold(): n for n in [*known, *builtin, *by_element]}  # rule ids, element ids
        close = [names[c] for c in
                 difflib.get_close_matches(rule_id.casefold(), sorted(names), n=3, cutoff=0.8)]
        hint = f" (did you mean {', '.join(close)}?)" if close else _holding(rule_id, cited, pack_of)
        raise CheckerError(f"no rule '{rule_id}'{hint}")
    if configured == "auto" or found[0][0].id != outlines[configured].id:
        # No pack chosen: the rule's own definition (a pack that extends none) before its adaptations.
        found.sort(key=lambda pr: pr[0].extends is not None)
    pack, rule = found[0]
    return pack, rule, [p.id for p, _ in found[1:]]


_CITATION_MIN = 30  # a citation column narrower than this goes under its row


def _table_rows(rows: list[tuple[str, str, str, str]], width: int) -> list[list[str]]:
    """Each row of (id, severity, element, citation) as its lines: columns as wide as their longest cell,
    the citation wrapped in its column, or (where that column would be narrower than _CITATION_MIN) on the
    lines under the row, indented (where even the columns do not fit, a braille display's 40 cells, severity
    and element go there too); every row's id starts its own line."""
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lead = 2 + sum(w + 2 for w in widths)
    lines: list[list[str]] = []
    for *cells, citation in rows:
        head = "  " + "".join(f"{c:<{w}}  " for c, w in zip(cells, widths, strict=True))
        if width - lead >= _CITATION_MIN:
            lines.append(wrap(citation, width, head, " " * lead))
        elif lead - 2 <= width:
            lines.append([head.rstrip(), *wrap(citation, width, " " * 6, " " * 6)])
        else:  # too narrow for the columns (a braille display's 40 cells): the id, then the rest under it
            rest = "  ".join(c for c in cells[1:] if c != "-")
            lines.append([f"  {cells[0]}", *wrap(f"{rest}; {citation}", width, " " * 6, " " * 6)])
    return lines


def _holding(asked: str, cited: dict[str, str], pack_of: dict[str, str], shown: int = 6) -> str:
    """A hint naming the rules whose citation or id holds what was asked ("106(b)(2)", "expertise"): the
    content packs' first, then the built-in findings, then the tag pack's; else where to look."""
    key = "".join(asked.split()).casefold()
    if len(key) < 3:
        return " (see `cydcheck rules list`)"
    cited = {**cited, **{c.id: c.citation for c in builtin_checks.CHECKS}}
    found = [i for i, citation in cited.items() if key in "".join(f"{i} {citation}".split()).casefold()]
    found.sort(key=lambda i: (pack_of.get(i) == TAG_PACK, i not in pack_of))  # stable: packs' order kept
    if not found:
        return " (see `cydcheck rules list`)"
    more = f" and {len(found) - shown} more" if len(found) > shown else ""
    return f" (rules that cite or name it: {', '.join(found[:shown])}{more})"


def rule_table(checker: Checker, width: int = 80, broken: list[CheckerError] | None = None) -> str:
    """Every known pack and its rules, one row a rule: id, severity, element, citation (`rules list`),
    wrapped to `width` columns. Given `broken`, a pack that cannot be read is left out and its error put
    there; else the error is raised."""
    groups: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    files_of: dict[str, list[str]] = {}  # a declared pack id -> the pack names (file stems) declaring it
    for pack_id in sorted(checker.available()):
        try:
            pack = load_outline(pack_id, checker.extra_dirs)  # what the rules say: nothing compiled
        except CheckerError as exc:
            if broken is None:
                raise
            broken.append(exc)
            continue
        files_of.setdefault(pack.id, []).append(pack_id)
        named = "" if pack.id == pack_id else f" [--pack {pack_id}]"  # reports name it by its id
        groups.append((f"{pack.id} {pack.version}: {pack.title} ({len(pack.rules)} rules){named}",
                       [(r.id, r.severity, r.element or "-", r.citation) for r in pack.rules]))
    groups.append((f"built-in: the findings given beside the packs' rules ({len(builtin_checks.CHECKS)})",
                   [(c.id, c.severity.split()[0], "-", c.citation) for c in builtin_checks.CHECKS]))
    rows = iter(_table_rows([row for _, rows in groups for row in rows], width))  # one alignment for all
    lines: list[str] = []
    for head, rows_of in groups:
        lines += wrap(head, width, "", "    ")
        for _ in rows_of:
            lines += next(rows)
    shared = {pack_id: names for pack_id, names in files_of.items() if len(names) > 1}
    for pack_id, names in shared.items():
        lines += wrap(f"warning: the packs {', '.join(names)} all declare the id '{pack_id}', and a report "
                      f"names each '{pack_id}': give each pack its own id", width, "", "  ")
    return "\n".join(lines) + "\n"


WIDTH = 80  # an explanation's width where none is asked (the library's callers)


def _wrap(text: str, width: int, first: str = "  ", rest: str | None = None) -> list[str]:
    """The text wrapped to `width` less a margin, never inside a word (a rule id, "third-party")."""
    return wrap(" ".join(text.split()), width - 2, first, first if rest is None else rest) or [first]


def _head_lines(heading: str, fields: list[tuple[str, str]], width: int) -> list[str]:
    """An explanation's heading and its labelled fields ("  citation: ..."), each wrapped under itself."""
    lines = _wrap(heading, width, "", "    ")
    for label, value in fields:
        lines += _wrap(value, width, f"  {label + ':':<10}", " " * 12)
    return lines


def _example_lines(pack: Pack, text: str, width: int) -> list[str]:
    """A plain-text example as it is; an inline XBRL snippet as a reader sees it: its visible text
    (paragraphs marked ¶, shortened) and the facts it tags (element id, or the concept where it has
    none; a flag's value; the incident member)."""
    if not is_markup(text):
        return _wrap(f'"{text}"', width, "  - ", "    ")
    doc = example_document(text, pack)
    paragraphs = " ¶ ".join(" ".join(p.split()) for p in doc.text.split("\n\n") if p.strip())
    visible = textwrap.shorten(paragraphs, SNIPPET_CHARS, placeholder=" …")
    lines = _wrap(f'{doc.form or "filing"} (inline XBRL): "{visible}"', width, "  - ", "    ")
    tags = [(f.element or f.concept) + ("" if f.value is None else f"={str(f.value).lower()}")
            + (f" [{f.member}]" if f.member else "") for f in doc.facts]
    return lines + _wrap("cyd tags: " + (", ".join(tags) or "none"), width, "    ")


def _reviews(pack: Pack, rule: Rule) -> tuple[str, ...]:
    """Why a met verdict of the rule may be marked for review (Pack.review_notes)."""
    return pack.review_notes.get(rule.id, ())


def not_run(checker: Checker, cfg: Config, pack: Pack, rule: Rule, configured: str) -> str:
    """Why a run with this configuration leaves the rule out ("" where it is run): a `disable` or `select`
    setting, or the configured house pack that extends the rule's pack and disables it."""
    chosen = selection(cfg)
    if not chosen.keeps(rule.id, rule.element):
        return setting(cfg, chosen, rule.id, rule.element)
    if configured in ("auto", pack.id):
        return ""
    try:
        house = load_outline(configured, checker.extra_dirs)
    except CheckerError:  # the rule was found, so a broken configured pack has been said already
        return ""
    if rule.id in house.disabled:
        return f"disabled by the configured pack {house.id} ({house.path})"
    return ""


def _logic_lines(pack: Pack, rule: Rule, width: int) -> list[str]:
    """The rule's logic in words (rule_words), under its heading: how the learned model takes part, each
    condition, and what the vocabularies it names are about where its pack says."""
    sections = logic_sections(rule.source)
    if not sections:
        return []
    lines = ["", "How cydcheck checks it"]
    mode = MODE_WORDS.get(pack.learned_modes.get(rule.id, "rules"))
    lines += _wrap(mode, width) if mode else []
    lines += _wrap("(each name is one of the pack's vocabularies: its patterns are in the pack file)", width)
    for heading, said in sections:
        lines += _wrap(heading + (":" if said else ""), width)
        for depth, words in said:
            lines += _wrap(words, width, "    " + "  " * depth + "- ", "      " + "  " * depth)
    terms = terms_used(rule.source, pack.concept_notes)
    if terms:
        lines += _wrap("Terms:", width)
        for term in terms:
            lines += _wrap(term, width, "    - ", "      ")
    return lines


def explain_text(pack: Pack, rule: Rule, also: list[str], skipped: str = "", width: int = WIDTH) -> str:
    """The explanation as text, wrapped to `width` columns."""
    where = rule.written_at(pack.path)
    if rule.file and rule.file != pack.path:  # inherited (a 20-F's rule is sk-106's, its citation its own)
        where = f"{pack.path}; the rule: {where}, of the pack it extends"
    fields = [("pack", f"{pack.id} {pack.version} ({where})"), ("element", rule.element or "-"),
              ("severity", rule.severity), ("citation", rule.citation)]
    fields += [("also in", ", ".join(also))] if also else []
    fields += [("not run", skipped)] if skipped else []
    lines = _head_lines(f"{rule.id} — {rule.title}", fields, width)
    lines += ["", "Requirement"] + _wrap(f"{rule.title} ({rule.citation}).", width)
    lines += _wrap(rule.description, width) if rule.description else []
    lines += ["", "When a draft misses it"] + _wrap(rule.message, width)
    for group in (g for g in pack.groups if rule.id in g.rules):
        others = ", ".join(r for r in group.rules if r != rule.id)
        lines += ["", f"When {others} are missing too"] + _wrap(
            f"{group.severity} (never below {rule.severity}): {group.message}", width)
    if rule.partial_message:
        lines += ["", "When a draft meets it in part"] + _wrap(rule.partial_message, width)
    if rule.met_message:
        lines += ["", "When it is met (nothing to quote)"] + _wrap(rule.met_message, width)
    reviews = _reviews(pack, rule)
    if reviews:
        heading = "When it is met but marked for review (the verdict stands: read the quote)"
        lines += ["", *_wrap(heading, width, "")]
        for why in reviews:
            lines += _wrap(why, width, "  - ", "    ")
    lines += _logic_lines(pack, rule, width)
    lines += ["", "Guidance"] + _wrap(rule.guidance, width)
    for kind, heading in _EXAMPLE_HEADINGS:
        texts = rule.examples.get(kind, [])
        if texts:
            lines += ["", f"Examples — {heading.lower()}"]
            for t in texts:
                lines += _example_lines(pack, t, width)
    return "\n".join(lines) + "\n"


def explain_data(pack: Pack, rule: Rule, also: list[str], skipped: str = "") -> dict:
    return {"rule": rule.id, "title": rule.title, "pack": {"id": pack.id, "version": pack.version},
            "not_run": skipped or None,
            "element": rule.element, "severity": rule.severity, "citation": rule.citation,
            "description": rule.description, "message": rule.message,
            "partial_message": rule.partial_message or None, "met_message": rule.met_message or None,
            "guidance": rule.guidance, "review": list(_reviews(pack, rule)),
            "combined_with_learned": MODE_WORDS.get(pack.learned_modes.get(rule.id, "rules")),
            "logic": [{"heading": heading, "lines": ["  " * depth + words for depth, words in said]}
                      for heading, said in logic_sections(rule.source)],
            "terms": terms_used(rule.source, pack.concept_notes),
            "examples": {k: list(rule.examples.get(k, [])) for k, _ in _EXAMPLE_HEADINGS}, "also_in": also}


def builtin_text(check: builtin_checks.BuiltinCheck, width: int = WIDTH) -> str:
    """A finding of cydcheck's own explained as text, wrapped to `width` columns."""
    fields = [("pack", "none: given beside the packs' rules (checker/builtin_checks.py)"),
              ("severity", check.severity), ("citation", check.citation)]
    lines = _head_lines(f"{check.id} — {check.title}", fields, width)
    lines += ["", "What it checks"] + _wrap(check.description, width)
    lines += ["", "What it reports"] + _wrap(check.statuses, width)
    lines += ["", "Guidance"] + _wrap(check.guidance, width)
    return "\n".join(lines) + "\n"


def builtin_data(check: builtin_checks.BuiltinCheck) -> dict:
    return {"rule": check.id, "title": check.title, "pack": None, "element": None, "severity": check.severity,
            "citation": check.citation, "description": check.description, "statuses": check.statuses,
            "guidance": check.guidance}


@click.command("explain", short_help="Explain a rule: requirement, citation, guidance, examples.")
@click.argument("rule_id", required=False, shell_complete=complete_rules)
@pack_option
@rules_dirs_option
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_option
def explain(rule_id, pack, rules_dirs, fmt, config_path) -> None:
    """Explain RULE_ID: the requirement, its citation, guidance and the rule's examples (alone: the rules)."""
    cfg = resolve(config_path, pack=pack, rules_dirs=rules_dirs)
    checker = make_checker(cfg)
    if rule_id is None:  # what there is to explain, and how to ask
        ask = "explain one: cydcheck explain RULE_ID (a rule id, its start or an element)"
        click.echo(f"{rule_table(checker, terminal_width(None))}\n{ask}")
        return
    check = builtin_checks.find(rule_id)
    if check is not None:
        click.echo(json.dumps(builtin_data(check), indent=2, ensure_ascii=False) if fmt == "json"
                   else builtin_text(check, terminal_width(None)), nl=fmt == "json")
        return
    configured = str(pack_ref(cfg))
    found_pack, rule, also = find_rule(checker, rule_id, configured)
    skipped = not_run(checker, cfg, found_pack, rule, configured)
    if fmt == "json":
        click.echo(json.dumps(explain_data(found_pack, rule, also, skipped), indent=2, ensure_ascii=False))
    else:
        click.echo(explain_text(found_pack, rule, also, skipped, terminal_width(None)), nl=False)
