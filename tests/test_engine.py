"""The generic engine: co-occurrence clauses, combinators, parts, exclusions, applicability."""

import textwrap

import pytest
from conftest import pack_file, whole_section

from checker import Checker
from checker.model import Document
from checker.packs import load_pack

PACK = """
pack: test-engine
title: Engine test pack
version: "1"
applies_to: [{form: 10-K, item: 1C}]
vocabularies:
  board:
    patterns: ['board']
    exclude: ['on[- ]?board\\w*', 'dash ?board']
  cyber: ['cyber\\w*']
  oversee: ['overs(ee|ees|ight)']
  vendor:
    patterns: ['third[- ]part(y|ies)', 'vendors?']
    exclude: ['unauthori[sz]ed third[- ]part(y|ies)']
  assess: ['assess\\w*']
  may: ['may', 'could']
  ciso: ['CISO']
  years: ['\\d+ years']
  past: ['have not materially affected']
  future: ['not reasonably likely']
  claim: ['materially affected']
  xref: ['see item \\w+']
  fact: ['have not']
rules:
  - id: T-BOARD
    element: board_oversight
    title: Board oversight
    citation: "106(c)(1)"
    severity: error
    message: No board oversight.
    guidance: Describe it.
    match:
      sentence: {all: [board, oversee, cyber]}
  - id: T-VENDOR
    element: third_party_providers
    title: Vendors
    citation: "106(b)(1)(iii)"
    severity: warning
    message: No vendor oversight.
    guidance: Describe it.
    match:
      sentence: {all: [assess, vendor], ordered: true, within_words: 4, none: [may]}
  - id: T-EXPERTISE
    element: mgmt_expertise
    title: Expertise
    citation: "106(c)(2)(i)"
    severity: warning
    message: No expertise.
    guidance: Describe it.
    match:
      sentence: {all: [years], context: {sentences: 1, any: [ciso]}}
  - id: T-EFFECT
    element: material_effect
    title: Material effect
    citation: "106(b)(2)"
    severity: error
    message: No statement.
    guidance: Make one.
    parts:
      - {name: past, match: {sentence: {all: [past]}}}
      - {name: prospective, match: {sentence: {all: [future]}}}
  - id: T-CLAIM
    title: A claim, unless only cross-referenced
    citation: "106(b)(2)"
    severity: info
    message: No claim.
    guidance: Make one.
    match:
      sentence: {all: [claim], none: [{concept: xref, unless: [fact]}]}
  - id: T-ONLY-8K
    title: Only for 8-Ks
    citation: "1.05"
    severity: info
    message: n/a
    guidance: n/a
    applies_if: {field: {name: form, in: [8-K]}}
    match:
      not: {paragraph: {all: [cyber]}}
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    return pack_file(tmp_path_factory.mktemp("packs"), "test-engine", textwrap.dedent(PACK))


def statuses(pack, text, form="10-K"):
    from checker import engine

    return {r.rule: r for r in engine.evaluate(pack, whole_section(text, form)).results}


def test_concepts_must_meet_in_one_sentence(pack):
    assert statuses(pack, "The Board oversees cybersecurity risk.")["T-BOARD"].status == "met"
    assert statuses(pack, "The Board oversees finance. We train staff on cyber hygiene.")["T-BOARD"].status == "missing"


def test_exclusions_remove_trap_words(pack):
    assert statuses(pack, "Our onboarding oversight covers cyber tools.")["T-BOARD"].status == "missing"
    assert statuses(pack, "We assess unauthorized third parties.")["T-VENDOR"].status == "missing"


def test_order_window_and_none(pack):
    assert statuses(pack, "We assess our vendors annually.")["T-VENDOR"].status == "met"
    # wrong order: the vendor does the assessing
    assert statuses(pack, "Vendors assess our controls.")["T-VENDOR"].status == "missing"
    # too far apart
    assert statuses(pack, "We assess, among many other things and topics, vendors.")["T-VENDOR"].status == "missing"
    # a modal in the sentence vetoes it
    assert statuses(pack, "We may assess our vendors.")["T-VENDOR"].status == "missing"


def test_context_window_carries_the_subject_across_sentences(pack):
    res = statuses(pack, "Our CISO leads the program. She has 20 years in security.")["T-EXPERTISE"]
    assert res.status == "met"
    # evidence spans back to the sentence that names the role
    assert res.evidence[0].text.startswith("Our CISO")
    far = "Our CISO leads the program. We train staff. She has 20 years in security."
    assert statuses(pack, far)["T-EXPERTISE"].status == "missing"


def test_parts_give_partial_and_name_what_is_missing(pack):
    both = statuses(pack, "Risks have not materially affected us and are not reasonably likely to.")["T-EFFECT"]
    assert both.status == "met" and both.missing_parts == []
    assert len(both.evidence) == 1 and both.evidence[0].part == "past, prospective"
    one = statuses(pack, "Risks have not materially affected us.")["T-EFFECT"]
    assert one.status == "partial" and one.missing_parts == ["prospective"]
    none = statuses(pack, "Nothing to say.")["T-EFFECT"]
    assert none.status == "missing" and none.missing_parts == ["past", "prospective"]


def test_applies_if_and_not(pack):
    assert statuses(pack, "Cyber text.")["T-ONLY-8K"].status == "not_applicable"
    assert statuses(pack, "Cyber text.", form="8-K")["T-ONLY-8K"].status == "missing"
    assert statuses(pack, "Nothing relevant.", form="8-K")["T-ONLY-8K"].status == "met"


def test_evidence_quotes_the_text_exactly_with_lines(pack):
    text = "Intro line.\n\nThe Board oversees\ncybersecurity risk."
    res = statuses(pack, text)["T-BOARD"]
    ev = res.evidence[0]
    assert text[ev.start:ev.end] == ev.text == "The Board oversees\ncybersecurity risk."
    assert ev.line == 3
    assert {m.concept for m in ev.matches} == {"board", "oversee", "cyber"}
    assert all(text[m.start:m.end] == m.text for m in ev.matches)


def test_typographic_quotes_and_wrapped_lines_match():
    checker = Checker()
    text = "We are not aware of any risks from cybersecurity threats that have materially affected or are\n" \
           "reasonably likely to materially affect the Company’s business strategy."
    res = {r.element: r for r in checker.check_document(Document(text=text, form="10-K", item="1C"),
                                                        "sk-106").results}
    assert res["material_effect"].status == "met"


def test_check_api_returns_a_report_for_text():
    from checker import check

    report = check("Our Board of Directors oversees cybersecurity risk through its Audit Committee.")
    by_element = {r.element: r.status for r in report.results}
    assert by_element["board_oversight"] == "met"
    assert by_element["mgmt_expertise"] == "missing"
    assert report.summary()["total"] == 12


def test_a_span_found_twice_quotes_each_term_once_in_the_users_characters(tmp_path):
    from checker import engine

    (tmp_path / "p.yaml").write_text(textwrap.dedent("""
        pack: p
        title: P
        version: "1"
        vocabularies:
          boards: ["board's"]
          cyber: ['cyber\\w*']
        rules:
          - id: R
            title: T
            citation: C
            severity: error
            message: M
            guidance: G
            match:
              any_of:
                - sentence: {all: [boards]}
                - sentence: {all: [boards, cyber]}
        """), encoding="utf-8")
    text = "The Board’s cyber oversight."
    (ev,) = engine.evaluate(load_pack(tmp_path / "p.yaml"), whole_section(text, None, None)).results[0].evidence
    assert [(m.concept, m.text) for m in ev.matches] == [("boards", "Board’s"), ("cyber", "cyber")]


def test_evidence_quotes_whole_sentences_around_character_references():
    # Records rebuilt from XBRL text blocks keep "&amp;" (690 of the filer-tagged sections): its ";" was read
    # as a list break, so the evidence quoted "The Board oversees cybersecurity through the Audit &amp;".
    text = ("The Board oversees cybersecurity through the Audit &amp; Finance Committee. Our CISO reports to the "
            "Audit &amp; Finance Committee each quarter on cybersecurity risks.")
    report = Checker().check_document(Document(text=text, form="10-K", item="1C"), "sk-106")
    quoted = {r.element: [e.text for e in r.evidence] for r in report.results}
    assert quoted["board_committee"] == [text[:text.index(" Our CISO")]]
    assert quoted["mgmt_reports_board"] == [text[text.index("Our CISO"):]]  # the user's own characters


def test_a_none_entry_with_unless_vetoes_a_unit_only_where_it_holds_none_of_them(pack):
    def status(text):
        return statuses(pack, text)["T-CLAIM"].status

    assert status("Incidents have materially affected us.") == "met"
    # the cross-reference alone vetoes the sentence ...
    assert status("For whether incidents materially affected us, see Item 1A.") == "missing"
    # ... a stated fact beside it lifts the veto, in the same sentence only
    assert status("See Item 1A; we have not found that incidents materially affected us.") == "met"
    assert status("We have not changed. See Item 1A on whether incidents materially affected us.") == "missing"


def test_a_veto_set_written_once_under_an_anchor_applies_wherever_it_is_named(tmp_path):
    from checker.conditions import sentence_vetoes

    text = textwrap.dedent(PACK).replace("none: [{concept: xref, unless: [fact]}]",
                                         "none: [&refs [{concept: xref, unless: [fact]}]]")
    text += ("  - id: T-CLAIM-TOO\n    title: The same claim, the same vetoes\n    citation: \"106(b)(2)\"\n"
             "    severity: info\n    message: No claim.\n    guidance: Make one.\n"
             "    match:\n      sentence: {all: [claim], none: [past, *refs]}\n")
    anchored = pack_file(tmp_path, "test-engine", text)
    for rule in ("T-CLAIM", "T-CLAIM-TOO"):
        assert statuses(anchored, "For whether incidents materially affected us, see Item 1A.")[rule].status == "missing"
        assert statuses(anchored, "See Item 1A; we have not found that incidents materially affected us.")[rule].status == "met"
    # the set is spread where the vetoes every sentence clause applies are read (the model's gate)
    clause = {"sentence": {"all": ["claim"], "none": ["hedge", ["xref", {"concept": "c", "unless": ["d"]}]]}}
    assert sentence_vetoes(clause) == ("hedge", "xref")


def test_a_none_entry_with_unless_is_schema_checked_with_its_line(tmp_path):
    from checker.packs import CheckerError

    broken = textwrap.dedent(PACK).replace("unless: [fact]", "unless: []")
    with pytest.raises(CheckerError, match=r"test-engine\.yaml:\d+: schema: .*unless"):
        pack_file(tmp_path, "test-engine", broken)
    unknown = textwrap.dedent(PACK).replace("unless: [fact]", "unless: [facts]")
    with pytest.raises(CheckerError, match="facts"):
        pack_file(tmp_path, "test-engine", unknown)


GROUP_PACK = """\
pack: grouped
title: Grouped test pack
version: "1"
vocabularies:
  ciso: ['CISO']
  expert: ['CISSP']
rules:
  - id: G-ROLE
    element: mgmt_roles
    title: Roles
    citation: "106(c)(2)(i)"
    severity: warning
    message: No role.
    guidance: Name it.
    match: {sentence: {all: [ciso]}}
  - id: G-EXPERT
    element: mgmt_expertise
    title: Expertise
    citation: "106(c)(2)(i)"
    severity: warning
    message: No expertise.
    guidance: Describe it.
    match: {sentence: {all: [expert]}}
groups:
  - rules: [G-ROLE, G-EXPERT]
    severity: error
    message: None of the items on paragraph (c)(2)'s list is addressed.
"""


def test_a_group_of_items_none_of_which_is_addressed_is_the_groups_gap(tmp_path):
    """Item 106(c)(2) requires a description of management's role; its items (i)-(iii) are to address "as
    applicable". A section silent on management got four warnings and passed the default gate, as if the
    (c)(2) description itself were optional. A pack's group now raises its rules to the group's severity, with
    the group's message, only when none of them is addressed."""
    path = tmp_path / "grouped.yaml"
    path.write_text(GROUP_PACK, encoding="utf-8")
    checker = Checker(cache=False)
    silent = checker.check_document(whole_section("Our Board oversees cybersecurity."), pack=path)
    assert [(r.status, r.severity) for r in silent.results] == [("missing", "error")] * 2
    assert all(r.message.endswith("None of the items on paragraph (c)(2)'s list is addressed.")
               for r in silent.results)
    one = checker.check_document(whole_section("Our CISO leads the programme."), pack=path)
    assert [(r.status, r.severity, r.message) for r in one.results] == [
        ("met", "warning", "No role."), ("missing", "warning", "No expertise.")]


def test_the_shipped_pack_groups_management_s_role(checker):
    """sk-106 (and the 20-F pack extending it) groups the four items of 106(c)(2)."""
    for name in ("sk-106", "form-20f-16k"):
        (group,) = checker.pack(name).groups
        assert set(group.rules) == {"SK106-C2I-ROLES", "SK106-C2I-EXPERTISE", "SK106-C2II-MONITORING",
                                    "SK106-C2III-REPORTS-BOARD"}
        assert group.severity == "error" and "(c)(2)" in group.message


def test_explain_names_the_group_a_rule_is_in():
    """`explain` said a roles gap is a warning and nothing of the (c)(2) group that makes it an error."""
    from click.testing import CliRunner

    from checker.cli import cli

    out = CliRunner().invoke(cli, ["explain", "SK106-C2I-ROLES"]).output
    assert "SK106-C2I-EXPERTISE, SK106-C2II-MONITORING, SK106-C2III-REPORTS-BOARD are missing too" in out
    assert "error (never below warning)" in out
