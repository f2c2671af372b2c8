"""The library API as an embedding service calls it: inputs of every kind, typed, one error class."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import pytest
from cli_helpers import board_pack, run_main
from docx_build import docx, paragraph

import checker
from checker.model import CheckerError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def statuses(report: checker.Report) -> list[tuple[str, str]]:
    """Each rule's id and status, the part of a report every way of giving the input must agree on."""
    return [(r.rule, r.status) for r in report.results]


def test_package_ships_the_py_typed_marker() -> None:
    assert (Path(checker.__file__).parent / "py.typed").is_file()
    assert '"py.typed"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["draft-10k-1c-deficient.md", "draft-10k-1c-deficient.docx"])
def test_check_takes_bytes_a_path_and_a_file_object(name: str) -> None:
    path = SAMPLES / name
    by_path = checker.check(path, examples=False)
    assert by_path.document.source == str(path)
    assert any(r.status == "missing" for r in by_path.results)
    by_bytes = checker.check(path.read_bytes(), examples=False)
    assert by_bytes.document.source == "<bytes>"
    with path.open("rb") as fh:
        by_file = checker.check(fh, examples=False)
    assert by_file.document.source == str(path)
    assert statuses(by_bytes) == statuses(by_path) == statuses(by_file)
    if name.endswith(".md"):
        assert statuses(checker.check(path.read_text(encoding="utf-8"), examples=False)) == statuses(by_path)
        assert statuses(checker.check(io.StringIO(path.read_text(encoding="utf-8")), examples=False)) \
            == statuses(by_path)


def test_check_of_several_records_or_an_unreadable_type_is_one_checker_error(tmp_path: Path) -> None:
    record = json.loads((SAMPLES / "abbv-2024-10k-1c.json").read_text(encoding="utf-8"))
    lines = tmp_path / "two.jsonl"
    lines.write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(CheckerError, match="holds 2 documents") as exc:
        checker.check(lines)
    assert exc.value.file == str(lines)
    with pytest.raises(CheckerError, match="not int"):
        checker.check(42)  # type: ignore[arg-type]
    with pytest.raises(CheckerError) as missing:
        checker.check(tmp_path / "nope.md")
    assert missing.value.file == str(tmp_path / "nope.md")


def test_render_takes_one_report_and_any_spelling_and_names_a_misspelt_format() -> None:
    report = checker.check((SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8"), examples=False)
    assert json.loads(checker.render(report, "JSON"))["pack"]["id"] == "sk-106"
    assert checker.render([report], "md") == checker.render(report, "markdown")
    with pytest.raises(CheckerError, match=r"unknown format 'jsn' \(did you mean json\?\) \(known: .*sarif"):
        checker.render(report, "jsn")
    with pytest.raises(ValueError, match="copy_with_findings"):
        checker.render(report, "docx")



def test_a_misspelt_render_option_is_named_not_ignored() -> None:
    # "prepard_by" was passed over in silence: the HTML report came out with no preparer and no word why
    report = checker.check((SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8"), examples=False)
    assert "A. Lawyer" in checker.render(report, "html", prepared_by="A. Lawyer")
    with pytest.raises(CheckerError, match=r"unknown render option 'prepard_by' \(did you mean prepared_by\?\)"):
        checker.render(report, "html", prepard_by="A. Lawyer")
    with pytest.raises(TypeError):  # a TypeError too, as a function's unknown keyword is
        checker.render(report, "text", widht=60)
    # an option one format reads and another does not stays accepted: the CLI hands every renderer the same set
    assert checker.render(report, "sarif", width=60, prepared_by="A. Lawyer")


def test_every_option_a_renderer_reads_is_known() -> None:
    import inspect
    import re

    from checker import report as renderers

    read: set[str] = set()
    for module in [*renderers.MODULES.values(), *renderers.COPIES.values()]:
        source = (Path(renderers.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
        read |= set(re.findall(r"options(?:\.get\(|\[)\"(\w+)\"", source))
        render = __import__(f"checker.report.{module}", fromlist=["render"]).render
        read |= {p.name for p in inspect.signature(render).parameters.values()
                 if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "reports"}
    assert read <= renderers.RENDER_OPTIONS, read - renderers.RENDER_OPTIONS


HOUSE = board_pack("house", "House pack", "HOUSE-BOARD")


def test_a_pack_given_as_yaml_text_or_a_dict_is_checked_by_its_id() -> None:
    import yaml

    own = checker.Checker()
    pack = own.add_pack(HOUSE, name="tenant-7/house.yaml")
    assert pack.id == "house"
    report = checker.check("The board oversees cybersecurity risk.", pack="house", checker=own, examples=False)
    assert statuses(report) == [("HOUSE-BOARD", "met")]
    data = yaml.safe_load(HOUSE)
    data["pack"] = "house-dict"
    kept = json.dumps(data, sort_keys=True)
    assert own.add_pack(data).id == "house-dict"
    assert json.dumps(data, sort_keys=True) == kept  # the caller's dict is not changed
    assert statuses(checker.check("Nothing here.", pack="house-dict", checker=own, examples=False)) \
        == [("HOUSE-BOARD", "missing")]
    extended = own.add_pack("pack: ext\ntitle: Ext\nversion: '1'\nextends: sk-106\n")
    assert len(extended.rules) == len(own.pack("sk-106").rules)


def test_a_broken_pack_given_as_text_is_a_checker_error_with_its_name_and_line() -> None:
    with pytest.raises(CheckerError) as exc:
        checker.Checker().add_pack(HOUSE.replace("  board: ['board']", "  board: ['board'"), name="house.yaml")
    assert exc.value.file == "house.yaml" and exc.value.line is not None
    with pytest.raises(CheckerError, match="severity") as schema:
        checker.Checker().add_pack(HOUSE.replace("severity: error", "severity: fatal"), name="house.yaml")
    assert schema.value.file == "house.yaml"
    with pytest.raises(CheckerError, match="not int"):
        checker.Checker().add_pack(7)  # type: ignore[arg-type]


def test_form_is_read_as_users_spell_it_and_checker_options_as_given() -> None:
    text = (SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    report = checker.check(text, pack="auto", form="20f", examples=False)
    assert (report.pack_id, report.document.form) == ("form-20f-16k", "20-F")
    assert checker.check(text, form="Form 10k", examples=False).document.form == "10-K"
    assert checker.Checker(extra_dirs=[str(ROOT / "rules")]).pack("sk-106").id == "sk-106"  # type: ignore[list-item]
    for bad in (-1, 0, float("nan")):
        with pytest.raises(CheckerError, match="timeout must be a positive number"):
            checker.Checker(timeout=bad)
    with pytest.raises(CheckerError, match="unknown combine mode 'eiher' \\(did you mean either\\?\\)"):
        checker.Checker(combine="eiher")


def test_the_compiled_pack_cache_is_the_callers_to_turn_off_or_place(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    house = tmp_path / "house.yaml"
    house.write_text(HOUSE, encoding="utf-8")
    default = tmp_path / "default-cache"
    monkeypatch.setenv("CYDCHECK_CACHE_DIR", str(default))
    checker.Checker(cache=False).pack(house)
    assert not default.exists()
    checker.Checker(cache=tmp_path / "mine").pack(house)
    assert not default.exists() and len(list((tmp_path / "mine").glob("*.pack"))) == 1
    checker.Checker().pack(house)
    assert len(list(default.glob("*.pack"))) == 1


def test_threads_sharing_a_checker_compile_each_pack_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from checker import api

    house = tmp_path / "house.yaml"
    house.write_text(HOUSE, encoding="utf-8")
    compiled: list[str] = []
    real = api.load_pack

    def slow_load(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - wraps load_pack as it is called
        compiled.append(threading.current_thread().name)
        time.sleep(0.2)  # long enough for every thread to ask before the first has finished
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "load_pack", slow_load)
    shared = checker.Checker(cache=False)
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: checker.check("The board oversees it.", pack=house, checker=shared,
                                                        examples=False), range(8)))
    assert len(compiled) == 1
    assert {tuple(statuses(r)) for r in reports} == {(("HOUSE-BOARD", "met"),)}


def test_every_public_name_and_method_says_what_it_is() -> None:
    import inspect

    undocumented = []
    for name in checker.__all__:
        obj = getattr(checker, name)
        if name == "__version__":
            continue
        doc = obj.__doc__ or ""
        if not doc or doc.startswith(f"{obj.__name__}("):  # a dataclass's own: its signature
            undocumented.append(name)
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                function = value.fget if isinstance(value, property) else value
                if not member.startswith("_") and callable(function) and not function.__doc__:
                    undocumented.append(f"{name}.{member}")
    assert undocumented == []


def test_a_checker_logged_or_shown_in_a_traceback_is_one_short_line() -> None:
    own = checker.Checker()
    own.add_pack(HOUSE)
    own.pack("sk-106")
    shown = repr(own)
    assert len(shown) < 500 and "\n" not in shown and "extra_dirs=[]" in shown


def test_a_file_name_given_as_text_is_an_error_not_twelve_gaps(tmp_path: Path) -> None:
    draft = tmp_path / "draft v3.md"
    draft.write_text("# Item 1C\n\nOur board oversees cybersecurity risk.\n", encoding="utf-8")
    for name in (str(draft), "drafts/q3-draft.docx"):
        with pytest.raises(CheckerError, match=r"name of a file .*pathlib\.Path"):
            checker.check(name)
    assert checker.check("See Item 1A.", examples=False).results  # a one-line text is still checked
    assert checker.check("Our board oversees cybersecurity risk.md", examples=False).results


def test_a_text_past_the_input_size_limit_is_refused_as_a_file_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYDCHECK_MAX_BYTES", "1000")
    with pytest.raises(CheckerError, match="larger than the 1,000-byte limit") as exc:
        checker.check("The board oversees cybersecurity. " * 40, source="upload-7")
    assert exc.value.file == "upload-7"
    with pytest.raises(CheckerError, match="larger than"):
        checker.check(("The board oversees cybersecurity. " * 40).encode())
    assert checker.check("The board oversees cybersecurity. " * 20, examples=False).results


def test_check_chooses_the_pack_as_the_cli_does_by_default() -> None:
    """check(text) used Item 106's pack whatever the text was, where `cydcheck check` chooses: an 8-K's Item 1.05
    text got twelve 10-K gaps and 'given' as the reason. The default is now 'auto', as the CLI's."""
    incident = checker.check("Item 1.05 Material Cybersecurity Incidents.\n\nOn March 3, 2026 we detected "
                             "ransomware on our network.")
    assert incident.pack_id == "form-8k-105"
    plain = checker.check("The Board oversees cybersecurity risk.")
    assert plain.pack_id == "sk-106" and "default pack" in plain.pack_reason
    assert checker.check("The Board oversees cybersecurity risk.", pack="sk-106").pack_reason == "given"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_child_forked_while_a_pack_compiles_can_still_check(tmp_path: Path) -> None:
    """A server that forks workers (gunicorn's preload) while a thread holds the compile lock: the child
    inherits the lock held by a thread it does not have, and its first check would wait for ever."""
    from checker import api

    held = api._COMPILING
    held.acquire()  # as a thread compiling a pack at the moment of the fork
    try:
        pid = os.fork()
        if pid == 0:  # the child: check, then leave at once without pytest's teardown
            ok = False
            try:
                done = threading.Event()
                worker = threading.Thread(target=lambda: (api.Checker(cache=False).pack("sk-106"), done.set()),
                                          daemon=True)
                worker.start()
                ok = done.wait(60)
            finally:
                os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
    finally:
        held.release()
    assert os.WEXITSTATUS(status) == 0, "the forked child's check waited on a lock no thread of it holds"


def test_a_section_draft_told_its_form_is_reported_as_the_forms_item(tmp_path, capsys) -> None:
    """The Madrid bank's Item 16K draft (a .docx of the section alone, no heading) checked with --form 20-F was
    headed '20-F, item not stated' in the terminal and '— 20-F' in the Markdown and HTML reports: it is checked
    whole as Item 16K, and now says so."""
    draft = tmp_path / "item-16k-draft.docx"
    draft.write_bytes(docx([paragraph("The Board of Directors, through its Risk Committee, supervises the "
                                      "Group's cybersecurity risks.")]))
    _, out, _ = run_main(capsys, "check", str(draft), "--form", "20-F", "-f", "markdown")
    assert out.splitlines()[0].endswith("— 20-F Item 16K")
    _, out, _ = run_main(capsys, "check", str(draft), "--form", "20-F", "-f", "json")
    assert json.loads(out)["document"]["item"] == "16K"


def test_a_pack_added_under_a_shipped_packs_id_is_refused_not_put_in_its_place() -> None:
    """A tenant's pack declaring `pack: sk-106` replaced the built-in for every later check of that checker,
    `pack="auto"` included: another tenant's draft was checked by the first tenant's rules."""
    own = checker.Checker()
    text = (SAMPLES / "draft-10k-1c-deficient.md").read_text(encoding="utf-8")
    before = statuses(checker.check(text, checker=own, examples=False))
    with pytest.raises(CheckerError, match=r"'sk-106' is the id of a pack .*its own") as exc:
        own.add_pack(board_pack("sk-106", "Tenant 9", "T-1"), name="tenant-9.yaml")
    assert exc.value.file == "tenant-9.yaml"
    assert statuses(checker.check(text, checker=own, examples=False)) == before
    assert statuses(checker.check(text, pack="sk-106", checker=own, examples=False)) == before


def test_the_pack_add_pack_returns_is_checked_as_given() -> None:
    """Two tenants whose packs share an id: each check names the pack object it means, not an id."""
    own = checker.Checker()
    strict = own.add_pack(board_pack("house", "Tenant A", "A-BOARD"), name="a.yaml")
    lenient = own.add_pack(board_pack("house", "Tenant B", "B-BOARD"), name="b.yaml")
    text = "The board oversees cybersecurity risk."
    assert statuses(checker.check(text, pack=strict, checker=own, examples=False)) == [("A-BOARD", "met")]
    assert statuses(checker.check(text, pack=lenient, checker=own, examples=False)) == [("B-BOARD", "met")]
    assert statuses(checker.check(text, pack=strict, examples=False)) == [("A-BOARD", "met")]
    document = checker.Document(text=text, source="<text>", form="10-K", item="1C")
    reports = own.check_packs(document, [strict, lenient, strict])
    assert [statuses(r) for r in reports] == [[("A-BOARD", "met")]]  # one report a pack id, as by id


def test_metadata_dates_are_read_as_a_records_are_and_a_bad_one_is_an_error() -> None:
    """metadata={"period": "06/30/2023"} was passed over: the report said the input states no period and
    checked a fiscal 2023 section (before Item 106 applied) as required, every element a gap; a JSON record
    with that period is read as 2023-06-30."""
    text = "Item 1C. Cybersecurity\n\nWe have a program."
    for period in ("2023-06-30", "06/30/2023", "June 30, 2023"):
        report = checker.check(text, metadata={"period": period}, examples=False)
        assert statuses(report) == [("ITEM-NOT-YET-REQUIRED", "not_yet_required")], period
        assert report.document.metadata["period"] == "2023-06-30"
    assert statuses(checker.check(text, metadata={"fiscal_year": "2022"}, examples=False))[0][1] \
        == "not_yet_required"
    for bad in ({"period": "2023-02-30"}, {"filed": "last Tuesday"}, {"fiscal_year": "FY2022"},
                {"period": 2024}):
        with pytest.raises(CheckerError, match=f"{next(iter(bad))}: not a"):
            checker.check(text, metadata=bad, examples=False)


def test_a_checker_says_what_measured_for_a_papers_methods_section() -> None:
    """cydcheck_version stays 0.1.0 between releases while the engine changes what it finds; a researcher
    citing a run had no way to name the code itself. provenance() names it, with each pack's hash."""
    import re

    from checker import pack_cache

    own = checker.Checker()
    said = own.provenance()
    report = checker.check("Our board oversees cybersecurity risk.", checker=own, examples=False)
    assert said["packs"]["sk-106"] == {"version": report.pack_version, "sha256": report.pack_sha256}
    assert set(said["packs"]) == {"sk-106", "form-20f-16k", "form-8k-105"}
    assert re.fullmatch(r"[0-9a-f]{64}", said["source_sha256"])
    assert said["cydcheck_version"] == checker.__version__ and said["timeout"] == own.timeout
    assert said == checker.Checker().provenance() and json.dumps(said)
    pack_cache.source_digest.cache_clear()
    assert pack_cache.source_digest() == said["source_sha256"]  # the files, not the process


def test_metadata_from_a_data_frame_row_is_read_as_a_records_fields_are() -> None:
    """checker.check(text, metadata=row.to_dict()) with a Timestamp period raised TypeError from deep in the
    applicability check ("Cannot compare Timestamp with datetime.date"); a NaN year was taken as a year."""
    import datetime as dt

    from checker.summary import summary_row

    def row(**metadata: object) -> dict:
        return summary_row(checker.check("Not applicable.", form="10-K", metadata=metadata, examples=False))

    expected = row(period="2022-12-31")
    assert expected["not_checked"] == "ITEM-NOT-YET-REQUIRED"
    for period in (dt.date(2022, 12, 31), dt.datetime(2022, 12, 31, 0, 0)):
        assert row(period=period) == expected
    assert row(period="2022-12-31", fiscal_year=float("nan"), filed=float("nan")) == expected
