"""`cydcheck check` and `cydcheck rules`: exit codes, output shape, snapshots on real and drafted samples."""

import json
from pathlib import Path

import jsonschema
import pytest
from cli_helpers import run_main
from click.testing import CliRunner
from report_samples import steady

from checker.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
SCHEMA = json.loads((Path(__file__).parent.parent / "checker" / "schemas" / "report.schema.json").read_text())


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_complete_draft_meets_all_twelve_elements():
    out = run("check", str(FIXTURES / "draft-10k-1c-complete.md"))
    assert out.exit_code == 0, out.output
    assert out.output.count("MET ") == 12
    assert "12 met, 0 partial, 0 missing" in out.output


def test_deficient_draft_names_each_gap_with_its_citation():
    out = run("check", str(FIXTURES / "draft-10k-1c-deficient.md"))
    assert out.exit_code == 1
    for rule, cite in [("SK106-B1I-ERM", "106(b)(1)(i)"), ("SK106-B1II-ASSESSORS", "106(b)(1)(ii)"),
                       ("SK106-B1III-PROVIDERS", "106(b)(1)(iii)"), ("SK106-B2-MATERIAL-EFFECT", "106(b)(2)"),
                       ("SK106-C2I-ROLES", "106(c)(2)(i)"), ("SK106-C2I-EXPERTISE", "106(c)(2)(i)"),
                       ("SK106-C2II-MONITORING", "106(c)(2)(ii)")]:
        line = next(ln for ln in out.output.splitlines() if rule in ln)
        assert line.lstrip().startswith("MISSING"), line
        assert cite in out.output


@pytest.mark.parametrize("fail_on, code", [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on_threshold(fail_on, code):
    assert run("check", str(FIXTURES / "draft-10k-1c-deficient.md"), "--fail-on", fail_on).exit_code == code


def test_only_warnings_pass_at_error_threshold(tmp_path):
    # material effect (error) present, governance details (warnings) absent
    draft = tmp_path / "d.md"
    draft.write_text("Item 1C. Cybersecurity\n\nWe maintain a cybersecurity program to identify, assess and manage "
                     "risks. Our Board of Directors oversees cybersecurity risk and receives quarterly reports "
                     "from management. Cybersecurity threats have not materially affected us and are not "
                     "reasonably likely to materially affect our results of operations.\n")
    assert run("check", str(draft)).exit_code == 0
    assert run("check", str(draft), "--fail-on", "warning").exit_code == 1


def test_json_output_follows_the_schema_and_keeps_input_order():
    files = [str(FIXTURES / "draft-10k-1c-deficient.md"), str(FIXTURES / "draft-10k-1c-complete.md")]
    out = run("check", *files, "--format", "json", "--fail-on", "never")
    data = json.loads(out.output)
    jsonschema.validate(data, SCHEMA)
    assert [r["document"]["source"] for r in data["reports"]] == files
    single = json.loads(run("check", files[1], "--format", "json").output)
    jsonschema.validate(single, SCHEMA)
    assert single["pack"]["id"] == "sk-106" and single["summary"]["met"] == 12
    for result in single["results"]:
        for ev in result["evidence"]:
            text = (FIXTURES / "draft-10k-1c-complete.md").read_text()
            assert text[ev["start"]:ev["end"]] == ev["text"]
            assert text.count("\n", 0, ev["start"]) + 1 == ev["line"]


def test_unreadable_input_is_one_line_and_exit_2(tmp_path):
    import sys
    from subprocess import run as sp

    out = sp([sys.executable, "-c", "from checker.cli import main; main()", "check", str(tmp_path / "nope.md")],
             capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip() == f"cydcheck: error: {tmp_path / 'nope.md'}: no such file"


def test_rules_test_passes_for_the_item_106_pack():
    out = run("rules", "test", "sk-106")
    assert out.exit_code == 0, out.output
    assert "0 failed" in out.output


def test_rules_test_fails_a_rule_without_examples(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text('pack: p\ntitle: P\nversion: "1"\nvocabularies: {b: [board]}\nrules:\n'
                    '  - {id: R, title: T, citation: C, severity: error, message: M, guidance: G,\n'
                    '     match: {sentence: {all: [b]}}, examples: {pass: ["board"]}}\n')
    out = run("rules", "test", str(pack))
    assert out.exit_code == 1
    assert "no example keeps it silent" in out.output


@pytest.mark.parametrize("name", ["draft-10k-1c-complete.md", "draft-10k-1c-deficient.md",
                                  "cyd-0001641172-25-000072.json", "rkt-2023-10k-1c.json"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_output_snapshots(name, fmt, snapshot, monkeypatch):
    monkeypatch.chdir(FIXTURES)  # relative paths, so the snapshot does not depend on the checkout's location
    out = run("check", name, "--format", fmt, "--fail-on", "never")
    assert steady(out.output) == snapshot


def test_a_format_going_to_an_output_whose_extension_names_another_kind_is_refused(tmp_path, capsys, monkeypatch):
    # (-f html -f json -o r2.json wrote the HTML page into r2.json, the JSON to the terminal; the docs audit)
    draft = str(Path(__file__).parents[1] / "samples" / "draft-10k-1c-complete.md")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(capsys, "check", draft, "-f", "html", "-f", "json", "-o", "r2.json")
    assert code == 2 and not Path("r2.json").exists()
    assert err == ("cydcheck: error: --format html would go to r2.json, whose extension names json: each --output "
                   "takes the --format in the same position\n")
    # a JSON kind in a .json file (SARIF, GitLab's code quality), any text in a .txt: as before
    for args in (["-f", "sarif", "-o", "s.json"], ["-f", "codequality", "-o", "gl.json"],
                 ["-f", "github", "-o", "a.txt"], ["-f", "json", "-o", "r.json", "-f", "html", "-o", "r.html"]):
        code, _, err = run_main(capsys, "check", draft, *args)
        assert code == 0, (args, err)


def test_a_json_report_records_what_the_command_line_set_over_the_input(tmp_path):
    """`--form 20-F --period 2024-12-31` changed the pack and the dates a draft was judged by, yet its JSON
    report read as if the draft stated them: a reviewer re-running the check from the report could not. The
    document records each such value under `given`."""
    draft = Path(__file__).resolve().parents[1] / "samples" / "draft-10k-1c-deficient.md"
    out = run("check", str(draft), "--form", "20-F", "--period", "2024-12-31", "-f", "json", "--fail-on", "never",
              "--no-examples")
    data = json.loads(out.output)
    assert data["document"]["given"] == {"form": "20-F", "period": "2024-12-31"}
    schema = json.loads((Path(__file__).resolve().parents[1] / "checker" / "schemas" / "report.schema.json")
                        .read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    plain = json.loads(run("check", str(draft), "-f", "json", "--fail-on", "never", "--no-examples").output)
    assert "given" not in plain["document"]


@pytest.mark.parametrize("args, gate", [
    (["--fail-on", "never"], {"fail_on": "never", "fail_on_review": False, "failed": False}),
    (["--fail-on", "warning", "--fail-on-review"], {"fail_on": "warning", "fail_on_review": True, "failed": True}),
    (["--exit-zero"], {"fail_on": "never", "fail_on_review": False, "failed": False}),
])
def test_a_json_report_records_the_gate_it_was_judged_by(tmp_path, args, gate):
    """An auditor keeping the JSON as evidence could not tell from it whether the run gated on errors,
    warnings or nothing: the exit code is gone once the job ends. `gate` records the threshold and the
    verdict, in both shapes (one report, several)."""
    draft = str(Path(__file__).resolve().parents[1] / "samples" / "draft-10k-1c-deficient.md")
    data = json.loads(run("check", draft, "-f", "json", "--no-examples", *args).output)
    assert data["gate"] == gate
    jsonschema.validate(data, SCHEMA)
    both = json.loads(run("check", draft, draft, "-f", "json", "--no-examples", *args).output)
    assert both["gate"] == gate
    jsonschema.validate(both, SCHEMA)


SRC_8K = ("Item 1.05 Material Cybersecurity Incidents.\n\nOn February 20, 2024, the Company detected unauthorized "
          "access to its corporate network by a threat actor, who encrypted certain file servers. On February 26, "
          "2024, the Company determined that the incident was material.\n")


def test_a_smaller_reporting_companys_8k_of_march_2024_can_be_told_apart(tmp_path, capsys):
    """A markdown draft of an SRC's 8-K dated before 2024-06-15 was held to Item 1.05 with no way to say the
    registrant is a smaller reporting company (only a JSON record could)."""
    draft = tmp_path / "src-8k.md"
    draft.write_text(SRC_8K, encoding="utf-8")
    base = ("check", str(draft), "--form", "8-K", "--filed-on", "2024-03-01", "-f", "json", "--no-examples")
    _, out, _ = run_main(capsys, *base)
    assert "--smaller-reporting-company" in json.loads(out)["document"]["applies"]
    code, out, _ = run_main(capsys, *base, "--smaller-reporting-company")
    data = json.loads(out)
    assert code == 0
    assert [r["status"] for r in data["results"]] == ["not_yet_required"]
    assert "smaller reporting companies: from 2024-06-15" in data["results"][0]["message"]
    assert data["document"]["given"]["smaller_reporting_company"] == "true"


def test_an_html_report_written_into_a_folder_never_replaces_a_file_cydcheck_did_not_write(tmp_path, capsys):
    """`-o ~/Documents/Board` (a folder holding the committee's own index.html) silently replaced that page with
    cydcheck's index of reports. A page whose name is taken by a file cydcheck did not write stops the run, a
    one-line error naming it, before anything is written; its own earlier reports are replaced as before."""
    from cli_helpers import assert_one_line_error

    folder = tmp_path / "Board"
    folder.mkdir()
    theirs = folder / "index.html"
    theirs.write_text("<html><body><p>Audit committee papers, Q4</p></body></html>", encoding="utf-8")
    draft = str(FIXTURES / "draft-10k-1c-deficient.md")
    code, _, err = run_main(capsys, "check", draft, "-f", "html", "-o", str(folder), "--fail-on", "never")
    assert_one_line_error(code, err, str(theirs), "not a cydcheck report")
    assert theirs.read_text(encoding="utf-8") == "<html><body><p>Audit committee papers, Q4</p></body></html>"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html"]  # nothing written
    theirs.unlink()
    for _ in range(2):  # again over its own pages: replaced
        code, _, err = run_main(capsys, "check", draft, "-f", "html", "-o", str(folder), "--fail-on", "never")
        assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["001-draft-10k-1c-deficient.html", "index.html"]
