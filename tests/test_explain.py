"""`cydcheck explain`: a rule's requirement, citation, guidance and where it is written."""

from __future__ import annotations

from cli_helpers import run_main

from checker.packs import builtin_rules_dir


def test_explain_of_a_20f_rule_names_the_line_it_is_written_at_in_the_pack_it_extends(capsys) -> None:
    """`explain SK106-C2I-ROLES --pack form-20f-16k` named form-20f-16k.yaml:2413, a line of sk-106.yaml (the
    20-F pack is 48 lines long): the 20-F pack is named, and the rule's line in sk-106.yaml."""
    code, out, _ = run_main(capsys, "explain", "SK106-C2I-ROLES", "--pack", "form-20f-16k")
    assert code == 0
    # the pack field as one line: explain wraps it under its label at the terminal's width
    head = out.split("element:")[0]
    pack_line = " ".join(head[head.index("pack:"):].split())
    lines = (builtin_rules_dir() / "sk-106.yaml").read_text(encoding="utf-8").splitlines()
    written = next(n for n, ln in enumerate(lines, 1) if ln.strip() == "- id: SK106-C2I-ROLES")
    assert f"sk-106.yaml:{written}" in pack_line and "form-20f-16k.yaml:" not in pack_line
    assert "citation: Form 20-F Item 16K(c)(2)(i)" in out
