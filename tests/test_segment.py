"""Segmentation of legal text into paragraphs and sentences with absolute offsets."""

import pytest

from checker.segment import is_title, segment


def texts(text):
    seg = segment(text)
    return [text[s.start:s.end] for s in seg.sentences]


def test_abbreviations_do_not_end_sentences():
    text = "Acme Inc. and Acme Holdings Co. operate in the U.S. and the U.K. under No. 5 of the rules. We comply."
    assert texts(text) == [
        "Acme Inc. and Acme Holdings Co. operate in the U.S. and the U.K. under No. 5 of the rules.",
        "We comply.",
    ]


def test_eg_ie_and_initials_stay_inside_a_sentence():
    text = "We use tools, e.g. SIEM and EDR, i.e. standard ones. John A. Smith leads them."
    assert texts(text) == ["We use tools, e.g. SIEM and EDR, i.e. standard ones.", "John A. Smith leads them."]


def test_form_names_end_sentences():
    text = "See our Annual Report on Form 10-K. For further discussion, see Item 1A."
    assert texts(text) == ["See our Annual Report on Form 10-K.", "For further discussion, see Item 1A."]


def test_headings_without_periods_are_their_own_paragraphs():
    text = "Governance\n\nOur Board oversees cybersecurity risk.\n\nRisk Management and Strategy\n\nWe assess risks."
    seg = segment(text)
    assert [p.is_heading for p in seg.paragraphs] == [True, False, True, False]
    assert texts(text)[0] == "Governance"


def test_numbered_and_bulleted_items_start_sentences():
    text = "Our program includes:\n• penetration testing\n• tabletop exercises\n1. vendor reviews\n(a) training"
    assert texts(text) == [
        "Our program includes:",
        "• penetration testing",
        "• tabletop exercises",
        "1. vendor reviews",
        "(a) training",
    ]


def test_hard_wrapped_lines_stay_one_sentence():
    text = "We have implemented a program\ndesigned to identify and manage\nrisks. It is tested."
    assert texts(text) == ["We have implemented a program\ndesigned to identify and manage\nrisks.", "It is tested."]


def test_offsets_are_absolute_within_a_span():
    text = "IGNORED PREFIX. First sentence here. Second one."
    start = text.index("First")
    seg = segment(text, start, len(text))
    assert [text[s.start:s.end] for s in seg.sentences] == ["First sentence here.", "Second one."]
    assert all(s.start >= start for s in seg.sentences)
    assert [s.index for s in seg.sentences] == [0, 1]


def test_inline_bullets_from_flattened_lists_split_sentences():
    text = "Our program includes: \uf0b7 policies and tools; \uf0b7 a security team; \u2022 vendor reviews."
    assert texts(text) == ["Our program includes:", "\uf0b7 policies and tools;", "\uf0b7 a security team;",
                           "\u2022 vendor reviews."]


def test_dropped_bullet_glyphs_leave_double_spaces_that_split_items():
    text = "Our program includes:  policies and tools;  a security team; and one more item."
    assert texts(text) == ["Our program includes:", "policies and tools;", "a security team; and one more item."]


def test_semicolon_lists_with_capitalised_items_split():
    text = "We undertake: Monitoring laws; Reviewing vendors before engaging them; and training staff."
    assert texts(text) == ["We undertake: Monitoring laws;", "Reviewing vendors before engaging them; and training staff."]


def test_numbered_items_after_a_semicolon_split_and_the_first_stays_with_its_lead_in():
    # (a filer's inline list "include: (i) ...; (ii) ...; and (iii) ..."; a reference "(i)" inside an item is
    # no break, nor is a number in parentheses without a semicolon before it)
    text = ("Key elements include: (i) risk assessments of our systems; (ii) a security team; and (iii) tests "
            "conducted by external audit providers (see (a) above); (iv) training as required by Rule 17(a) (2).")
    assert texts(text) == ["Key elements include: (i) risk assessments of our systems;", "(ii) a security team; and",
                           "(iii) tests conducted by external audit providers (see (a) above);",
                           "(iv) training as required by Rule 17(a) (2)."]


def test_a_boundary_glued_shut_by_extraction_still_ends_the_sentence():
    # (a lower-case word, a period, a capitalised word; not an abbreviation, an initial or a web address)
    text = "The Committee approves our program.Our CISO leads it. See U.S.Government and www.Sec.gov, etc.Then stop."
    assert texts(text) == ["The Committee approves our program.", "Our CISO leads it.",
                           "See U.S.Government and www.Sec.gov, etc.Then stop."]


def test_list_cuts_need_white_space_around_the_glyph_and_after_the_mark():
    # A glyph glued to a word is not a bullet; a bullet right after a double space cuts once; a semicolon
    # then a line break before a capitalised item cuts; one space after a colon does not.
    text = "Scores\u2022high stay. Tools:  \u2022 scanners; \u2022  logs;\nReviews happen: monthly."
    assert texts(text) == ["Scores\u2022high stay.", "Tools:", "\u2022 scanners;", "\u2022  logs;",
                           "Reviews happen: monthly."]


def test_a_heading_has_at_most_fourteen_words():
    from checker.segment import paragraphs

    fourteen, fifteen = " ".join(["Word"] * 14), " ".join(["Word"] * 15)
    text = f"{fourteen}\n\nBody text.\n\n{fifteen}\n\nMore body text."
    assert [p.is_heading for p in paragraphs(text, 0, len(text))] == [True, False, False, False]


def test_a_company_suffix_before_a_sentence_opener_ends_the_sentence():
    # Two funds' filings: "... the Chief Information Security Officer of Muzinich & Co. Our management ...";
    # a suffix inside a sentence ("Acme Holdings Co. operate") or before a name stays inside it.
    text = "Our CFO is the CISO of Muzinich & Co. Our management is informed. Acme Inc. Board members meet."
    assert texts(text) == ["Our CFO is the CISO of Muzinich & Co.", "Our management is informed.",
                           "Acme Inc. Board members meet."]


def test_a_character_reference_is_no_list_break():
    # Sections rebuilt from XBRL text blocks keep "&amp;": its ";" before a capital is not a list break.
    from checker.vocab import normalise_for_matching

    text = "The Audit &amp; Risk Committee oversees cybersecurity. It meets quarterly."
    assert texts(normalise_for_matching(text)) == ["The Audit &     Risk Committee oversees cybersecurity.",
                                                   "It meets quarterly."]


@pytest.mark.parametrize("text", [
    "Third-Party Risk Management.", "The Audit Committee", "Chief Information Security Officer (CISO)",
    "Board of Directors", "Risk Assessment Process .", "Incident Response Plan.", "ITEM 1C. CYBERSECURITY",
    "**Governance**", "Chief Financial Officer;", "(v) Cyber Incident Management and Resilience.",
    "Information on the Company  4.B.",
])
def test_a_title_names_a_topic(text):
    assert is_title(text)


@pytest.mark.parametrize("text", [
    "The program is reviewed annually.", "incident response plan;", "We maintain an incident response plan.",
    "Regular penetration testing.", "Our CISO reports to the Audit Committee.",
    "Our Chief Information Security Officer Leads Our Global Security Team And Its Staff.",  # nine words
    "", "2024.", "As part of our program:",
])
def test_a_statement_a_list_item_or_a_long_line_is_no_title(text):
    assert not is_title(text)


def test_an_ideographic_full_stop_ends_a_sentence_of_a_translated_draft():
    # A draft translated from Japanese keeps "。" (no space after it) where the translator left one: two sentences,
    # each quoted on its own, not one quoted from the first sentence's start for what the second says.
    text = ("We maintain a programme to manage cybersecurity risk（「情報セキュリティ基本方針」）。This programme is "
            "integrated into our risk management system、including ERM。 The CISO leads it！Our Board oversees it.")
    assert texts(text) == ["We maintain a programme to manage cybersecurity risk（「情報セキュリティ基本方針」）。",
                           "This programme is integrated into our risk management system、including ERM。",
                           "The CISO leads it！", "Our Board oversees it."]
