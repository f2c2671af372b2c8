"""`cydcheck learn`: train a pack's learned sentence weights and choose how they combine with its rules."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import click

from ..evaluate import (
    Prediction,
    combinations,
    combined_predictions,
    label_records,
    load_records,
    predict,
    read_ids,
    render_combinations,
    score,
    select_records,
)
from ..examples import is_markup, run_examples
from ..learned import COMBINE_MODES, LearnedSpec, Scoring, model_from_data
from ..model import CheckerError
from ..output import refuse_overwriting_inputs, write_atomic
from ..packs import Pack, builtin_rules_dir, find_pack_path, load_pack
from ..training import pack_concepts, sentence_texts, train, training_records
from .common import JOBS_HELP, cap_jobs

_EXAMPLE_FAILED = re.compile(r": (test )?(pass|partial|fail) example \d+ gave ")
# the pack's learned line: its combine (and any combine_by_element mapping, replaced with it)
_COMBINE_LINE = re.compile(r"^(learned:[^\n]*?\bcombine:\s*)([a-z_]+(?:,\s*combine_by_element:\s*\{[^}]*\})?)"
                           r"(\s*\}[^\n]*)$", re.MULTILINE)
# a block-style `learned:` and its indented lines (blank lines inside it included)
_LEARNED_BLOCK = re.compile(r"^learned:[ \t]*(?:#[^\n]*)?\n((?:[ \t]+[^\n]*\n|[ \t]*\n(?=[ \t]))*)",
                            re.MULTILINE)
_COMBINE_KEY = re.compile(r"[ \t]+combine(?:_by_element)?:")


@click.command("learn", short_help="Train learned sentence weights on labelled records.")
@click.argument("corpus", nargs=-1, required=True)
@click.option("--exclude-ids", "exclude_file", default=None, metavar="FILE",
              help="Never train on the records this file lists (the blind validation split).")
@click.option("-o", "--output", required=True,
              help="The weights file to write (atomic), e.g. rules/sk-106.learned.json.")
@click.option("--c", "c", type=float, default=1.0, show_default=True,
              help="Inverse regularisation strength of the logistic regressions.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds (grouped by record) for thresholds and the combination.")
@click.option("--pack", default=None, help="The pack (id or path) whose examples join the training data and "
              "whose combination is chosen by cross-validation: the rules' verdicts on the training records "
              "against the model's out-of-fold scores.")
@click.option("--choose-on", default=None, metavar="CORPUS",
              help="Choose the combination on the training records of this CORPUS only (e.g. the one the "
                   "rules were not tuned on); all of them by default.")
@click.option("--modes", default=",".join(COMBINE_MODES), show_default=True,
              help="The combinations that may be chosen (comma-separated), e.g. to keep out those a "
                   "spec test rejects.")
@click.option("--write-pack", is_flag=True,
              help="With --pack: write the chosen mode into the pack's 'learned: {..., combine: MODE}' line.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for running the rules. " + JOBS_HELP)
@click.option("--context", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Weight of the previous sentence's words as features (0: each sentence alone).")
@click.option("--min-norm", type=click.FloatRange(0), default=0.0, show_default=True,
              help="The L2 norm divides by at least this, so a sentence with one known word does not get "
                   "that word's whole weight.")
@click.option("--min-terms", type=click.IntRange(0), default=0, show_default=True,
              help="A sentence with fewer known n-grams of its own carries no element.")
@click.option("--min-evidence", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Nor one whose n-grams lift an element's logit less than this above its bias (the bias "
                   "alone never carries an element).")
@click.option("--concepts", is_flag=True,
              help="With --pack: the pack's concepts matching in a sentence are features too (one per "
                   "vocabulary, '<c>mgmt_role'); the weights file lists those it keeps and the checker "
                   "reads their hits from the rules' own matches.")
@click.option("--by-element", is_flag=True,
              help="Also choose a combination per element: one replaces the pack-wide mode for an element "
                   "when it makes at least --min-gain fewer errors on that element (on --choose-on).")
@click.option("--min-gain", type=click.IntRange(1), default=2, show_default=True,
              help="With --by-element: fewer errors an element's own mode must make.")
@click.option("--recall-on", default=None, metavar="FILE_OR_FOLDER",
              help="Choose the combination per element with a second judge the rules were not tuned on: "
                   "the filers' own tags (e.g. corpus/filer-tagged-fy2024.jsonl). Per element, the mode "
                   "with the fewest expected errors: (1 - its recall on the tags) x the element's addressed "
                   "labels in the training records + its gaps missed there; the pack-wide mode is the one "
                   "most elements take. --output must be the pack's own weights file (it scores the tags).")
def learn(corpus, exclude_file, output, c, folds, pack, choose_on, modes, write_pack, jobs, context, min_norm,
          min_terms, min_evidence, concepts, by_element, min_gain, recall_on) -> None:
    """Train learned sentence weights on labelled CORPUS folders (10-K/20-F records).

    A sentence is a positive example of an element when it carries that element's label quote. One
    logistic regression per element over TF-IDF word 1-2-grams; each element's threshold is chosen by
    cross-validation grouped by record. Needs scikit-learn (pip install -e '.[learn]'); the weights file
    it writes is plain JSON that the checker reads without it.
    """
    if (write_pack or recall_on) and not pack:
        raise click.UsageError("--write-pack and --recall-on need --pack")
    if concepts and (not pack or pack == "auto"):
        raise click.UsageError("--concepts needs --pack (the pack whose concepts are features)")
    if recall_on and by_element:
        raise click.UsageError("--recall-on chooses per element itself: drop --by-element")
    candidates = [m.strip() for m in modes.split(",") if m.strip()]
    unknown = sorted(set(candidates) - set(COMBINE_MODES))
    if unknown or not candidates:
        raise click.UsageError(f"--modes: unknown mode {unknown[0] if unknown else '(none given)'} "
                               f"(known: {', '.join(COMBINE_MODES)})")
    jobs = cap_jobs(jobs)
    inputs = [*corpus, *(p for p in (exclude_file, choose_on) if p)]
    refuse_overwriting_inputs([output], inputs)
    exclude = read_ids(exclude_file) if exclude_file else None
    records = select_records([r for path in corpus for r in load_records(path)], None, exclude)
    started = time.monotonic()
    examples = pack_examples(load_pack(pack)) if pack and pack != "auto" else []
    scoring = Scoring(context, min_norm, min_terms, min_evidence)
    concepts_of = pack_concepts(load_pack(pack))[1] if concepts else None
    text, ts, oof = train(records, c=c, folds=folds, examples=examples, scoring=scoring,
                          progress=lambda s: click.echo(s, err=True), concepts_of=concepts_of)
    write_atomic(output, text, inputs)
    click.echo(f"wrote {output}: {len(text.encode('utf-8'))} bytes, {len(ts.record_ids)} records, "
               f"trained in {time.monotonic() - started:.1f}s", err=True)
    if not pack:
        return
    model = json.loads(text)
    recs = training_records(records)
    # The rules alone (whatever the pack's current combination), as eval --combinations runs them.
    rules = predict(recs, pack, jobs, scores=True)
    thresholds = dict(zip(model["elements"], model["thresholds"], strict=True))
    preds = [{el: Prediction(p.addressed, p.evidence, p.rules, oof[n][ts.elements.index(el)],
                             thresholds[el]) if el in thresholds else p for el, p in rp.items()}
             for n, rp in enumerate(rules)]
    if len(corpus) > 1:  # each corpus alone too: the rules may have been tuned on some of them
        for path in corpus:
            mine = _from(recs, path)
            if mine:
                part = combinations([recs[n] for n in mine], [preds[n] for n in mine],
                                    corpus=f"{path} (training part), out-of-fold")
                click.echo(render_combinations(part), nl=False)
    evs = combinations(recs, preds, corpus="all training records, out-of-fold")
    click.echo(render_combinations(evs), nl=False)
    on_recs, on_preds = recs, preds
    if choose_on:
        mine = _from(recs, choose_on)
        if not mine:
            raise click.UsageError(f"--choose-on {choose_on}: none of the training records comes from it")
        on_recs, on_preds = [recs[n] for n in mine], [preds[n] for n in mine]
        evs = combinations(on_recs, on_preds, corpus=choose_on)
    # A mode under which the pack's own examples fail is out: `cydcheck rules test` must pass.
    compiled = load_pack(pack)
    new_model = model_from_data(model, output)
    allowed = []
    for mode in COMBINE_MODES:
        # the pack's vetoes and required actors stay: they gate the model under every combination
        spec = LearnedSpec(new_model, mode) if compiled.learned is None else replace(
            compiled.learned, model=new_model, combine=mode, by_element={})
        trial = replace(compiled, learned=spec)
        problems = [p for p in run_examples(trial).problems if _EXAMPLE_FAILED.search(p)]
        click.echo(f"examples under combine={mode}: {len(problems)} fail" +
                   "".join(f"\n  {p}" for p in problems[:20]))
        if not problems and mode in candidates:
            allowed.append(mode)
    # The best gap-F1 among them; a tie goes to the simpler mode (the order of COMBINE_MODES).
    chosen = max(allowed or ["rules"], key=lambda m: (round(evs[m].micro.gap_f1, 4), -COMBINE_MODES.index(m)))
    click.echo(f"chosen by cross-validation on {evs[chosen].corpus}: combine: {chosen} "
               f"(gap-F1 {evs[chosen].micro.gap_f1:.3f})")
    own: dict[str, str] = {}
    if recall_on:
        if compiled.learned is None or Path(compiled.learned.model.path).resolve() != Path(output).resolve():
            raise click.UsageError("--recall-on scores the tags with the pack's weights file: "
                                   "--output must be that file")
        tags = label_records(recall_on)
        tag_preds = predict(tags, pack, jobs, scores=True)
        chosen, own, table = choose_by_expected_errors(on_recs, on_preds, tags, tag_preds,
                                                       allowed or ["rules"])
        click.echo(table, nl=False)
        mixed = score(on_recs, combined_predictions(on_preds, chosen, own))
        click.echo(f"chosen by expected errors: combine: {chosen}"
                   + (", " + ", ".join(f"{el}: {m}" for el, m in own.items()) if own else "")
                   + f" (gap-F1 {mixed.micro.gap_f1:.3f} on {len(on_recs)} training records)")
    elif by_element:
        own = choose_by_element(on_recs, on_preds, chosen, allowed or ["rules"], min_gain)
        mixed = score(on_recs, combined_predictions(on_preds, chosen, own))
        click.echo(f"per element (at least {min_gain} fewer errors than {chosen}): "
                   + (", ".join(f"{el}: {m}" for el, m in own.items()) or "none")
                   + f" (gap-F1 {mixed.micro.gap_f1:.3f})")
    if write_pack:
        _write_combine(pack, chosen, own)


def choose_by_expected_errors(records: list[dict], preds: list[dict[str, Prediction]], tags: list[dict],
                              tag_preds: list[dict[str, Prediction]], allowed: list[str],
                              ) -> tuple[str, dict[str, str], str]:
    """Per element, the allowed mode with the fewest expected errors: (1 - its recall on the filers' tags)
    x the element's addressed labels in the training records (false alarms, judged where the rules were
    not tuned) + its gaps missed on the training records; a tie goes to the simpler mode. The pack-wide
    mode is the one most elements take; the others are returned per element, with a table of the figures."""
    expected: dict[str, dict[str, float]] = {}
    lines = [f"{'element':<24} " + " ".join(f"{m:>18}" for m in allowed)]
    for mode in allowed:
        train = score(records, combined_predictions(preds, mode)).elements
        tagged = score(tags, combined_predictions(tag_preds, mode), recall_only=True).elements
        for el, c in train.items():
            t = tagged.get(el)
            recall = t.tp / t.support if t is not None and t.support else 1.0
            expected.setdefault(el, {})[mode] = (1.0 - recall) * c.support + c.fp
    best = {el: min(allowed, key=lambda m: (round(row[m], 6), COMBINE_MODES.index(m)))
            for el, row in sorted(expected.items())}
    for el, row in sorted(expected.items()):
        marks = [f"{row[m]:>17.1f}{'*' if best[el] == m else ' '}" for m in allowed]
        lines.append(f"{el:<24} " + " ".join(marks))
    lines.append("(expected errors: (1 - recall on the tags) x addressed labels + gaps missed; * chosen)")
    votes = Counter(best.values())
    pack_wide = max(votes, key=lambda m: (votes[m], -COMBINE_MODES.index(m)))
    return pack_wide, {el: m for el, m in best.items() if m != pack_wide}, "\n".join(lines) + "\n"


def choose_by_element(records: list[dict], preds: list[dict[str, Prediction]], default: str,
                      allowed: list[str], min_gain: int) -> dict[str, str]:
    """Per element, the allowed mode with the fewest errors (false alarms + gaps missed) on these records,
    where it makes at least min_gain fewer than the pack-wide mode (a tie goes to the simpler mode)."""
    errors = {}
    for mode in allowed:
        ev = score(records, combined_predictions(preds, mode))
        errors[mode] = {el: c.fp + c.fn for el, c in ev.elements.items()}
    own = {}
    for el in sorted(errors[default]):
        best = min(allowed, key=lambda m: (errors[m].get(el, 0), COMBINE_MODES.index(m)))
        if errors[default][el] - errors[best].get(el, 0) >= min_gain:
            own[el] = best
    return own


def pack_examples(pack: Pack) -> list[tuple[str, str, bool]]:
    """The pack's plain-text examples as training rows: a pass or partial example addresses its rule's
    element; every sentence of a fail example does not."""
    out = []
    for rule in pack.rules:
        if not rule.element:
            continue
        for kind, texts in rule.examples.items():
            for text in texts:
                if is_markup(text):
                    continue
                if kind == "fail":
                    out += [(rule.element, s, False) for s in sentence_texts(text)]
                else:
                    out.append((rule.element, text, True))
    return out


def _from(records: list[dict], corpus: str) -> list[int]:
    """Indexes of the records read from one corpus folder or file."""
    root = Path(corpus).resolve()
    return [n for n, r in enumerate(records)
            if Path(str(r.get("_source", "")).rsplit(":", 1)[0]).resolve().is_relative_to(root)
            or Path(str(r.get("_source", "")).rsplit(":", 1)[0]).resolve() == root]


def with_combine(text: str, mode: str, own: dict[str, str]) -> str | None:
    """The pack text with its `learned:` combination set to mode (and own, per element), in the style the
    pack writes it: a one-line `learned: {..., combine: ...}`, or a block whose other keys (veto, require)
    are kept as they are. None when the pack has neither."""
    per = ", ".join(f"{el}: {m}" for el, m in sorted(own.items()))
    value = mode + (f", combine_by_element: {{{per}}}" if per else "")
    new, n = _COMBINE_LINE.subn(lambda m: m.group(1) + value + m.group(3), text, count=1)
    if n:
        return new
    block = _LEARNED_BLOCK.search(text)
    if block is None:
        return None
    kept, skipping, indent = [], None, None
    for line in block.group(1).splitlines(keepends=True):
        depth = len(line) - len(line.lstrip(" \t"))
        indent = indent or line[:depth]
        if skipping is not None and (depth > skipping or not line.strip()):
            continue  # the nested lines of a key being replaced
        skipping = depth if _COMBINE_KEY.match(line) else None
        if skipping is None:
            kept.append(line)
    indent = indent or "  "
    added = f"{indent}combine: {mode}\n" + (f"{indent}combine_by_element: {{{per}}}\n" if per else "")
    return text[:block.start(1)] + "".join(kept) + added + text[block.end(1):]


def _write_combine(pack: str, mode: str, own: dict[str, str]) -> None:
    path = find_pack_path(pack, [builtin_rules_dir()])
    new = with_combine(Path(path).read_text(encoding="utf-8"), mode, own)
    if new is None:
        raise CheckerError("no 'learned:' block with a model to update", file=str(path))
    write_atomic(str(path), new)
    click.echo(f"updated {path}: combine: {mode}")
