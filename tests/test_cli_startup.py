"""Start fast: `--version` and `--help` import no engine, and a command is loaded only when it runs."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from checker.cli import COMMANDS, cli

PROBE = """
import json, sys
from checker.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="cydcheck", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""
HEAVY = ["checker.api", "checker.engine", "checker.batch", "jsonschema", "holidays", "lxml", "jinja2"]


def loaded(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_version_and_help_import_no_engine():
    for args in (["--version"], ["--help"]):
        mods = loaded(*args)
        assert not [m for m in HEAVY if m in mods], args


def test_the_static_short_help_is_what_each_command_says():
    ctx = click.Context(cli)
    for name, (_, _, short) in COMMANDS.items():
        assert cli.get_command(ctx, name).get_short_help_str(limit=45) == short, name
    assert sorted(COMMANDS) == cli.list_commands(ctx)


def test_a_text_check_does_not_load_batch_or_the_8k_calendar(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("Item 1C. Cybersecurity\n\nOur board oversees cybersecurity risk.\n", encoding="utf-8")
    mods = loaded("check", str(draft), "--format", "json", "--output", str(tmp_path / "r.json"))
    assert "checker.engine" in mods
    assert not [m for m in ("checker.batch", "holidays", "checker.parallel", "multiprocessing") if m in mods]


def test_only_an_html_or_word_input_loads_lxml(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("Item 1C. Cybersecurity\n\nOur board oversees cybersecurity risk.\n", encoding="utf-8")
    page = tmp_path / "draft.htm"
    page.write_text("<html><body><h2>Item 1C. Cybersecurity</h2><p>Our board oversees cybersecurity risk.</p>"
                    "</body></html>", encoding="utf-8")
    readers = ("lxml", "checker.ingest.html", "checker.ingest.docx", "checker.xbrl")
    mods = loaded("check", str(draft), "--format", "json", "--output", str(tmp_path / "md.json"))
    assert not [m for m in readers if m in mods]
    mods = loaded("check", str(page), "--format", "json", "--output", str(tmp_path / "htm.json"))
    assert {"lxml", "checker.ingest.html"} <= mods
    report = json.loads((tmp_path / "htm.json").read_text(encoding="utf-8"))
    assert "board" in json.dumps(report)  # the page was read, through the reader imported on first use


def test_a_text_or_json_check_does_not_load_jinja_or_the_html_renderer(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("Item 1C. Cybersecurity\n\nOur board oversees cybersecurity risk.\n", encoding="utf-8")
    for fmt in ("text", "json"):
        mods = loaded("check", str(draft), "--format", fmt, "--output", str(tmp_path / f"r.{fmt}"))
        assert "checker.report.json_out" in mods or fmt == "text"
        assert not [m for m in ("jinja2", "checker.report.html_out", "checker.report.markdown_out") if m in mods]
    mods = loaded("check", str(draft), "--format", "html", "--output", str(tmp_path / "r.html"))
    assert "jinja2" in mods and (tmp_path / "r.html").read_text(encoding="utf-8").lstrip().startswith("<!")


def test_the_renderers_map_knows_every_format_and_refuses_others():
    from checker.report import MODULES, RENDERERS, render

    assert sorted(RENDERERS) == sorted(MODULES) and len(RENDERERS) == 10
    assert "concise" in RENDERERS and "csv" in RENDERERS
    assert all(callable(RENDERERS[f]) for f in RENDERERS)
    import pytest

    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render([], "pdf")
