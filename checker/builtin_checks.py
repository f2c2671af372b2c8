"""The findings cydcheck adds beside the packs' rules (the section, the item's applicability, the 8-K
deadline, the cyd tags' names): what each checks and cites, for `explain` and `rules list`."""

from __future__ import annotations

from dataclasses import dataclass

from . import applicability, deadline, placeholders, sections, tag_names


@dataclass(frozen=True)
class BuiltinCheck:
    id: str
    title: str
    severity: str  # as reported; "info" for a finding that is never a gap
    citation: str
    description: str  # what is checked, and when the finding is given
    statuses: str  # the statuses it reports, and what each means
    guidance: str


CHECKS = (
    BuiltinCheck(
        sections.MISSING_RULE, "The item's section is present", "error (a 10-K or 20-F); warning (an 8-K)",
        "Form 10-K Item 1C; Form 20-F Item 16K; Form 8-K Item 1.05",
        "Given for a whole filing (its form came from the file, or it has several item headings) in which no "
        "section of the item was found, by its heading or by its title. A draft of the section alone is "
        "checked whole, and never gets this finding.",
        "missing: no section was found; every element of the item is then reported missing too.",
        "Add the item's section, or check that the file is the complete filing (not an exhibit or a "
        "part)."),
    BuiltinCheck(
        sections.NOT_APPLICABLE_RULE, "The item is answered in the filing", "info",
        "Form 10-K Item 1C; Form 20-F Item 16K",
        "Given when the section says only \"Not applicable\" (or \"None\", \"Omitted\", \"Reserved\").",
        "missing: the section gives no disclosure.",
        "That is acceptable only where the item does not yet apply to the fiscal period (see "
        f"{applicability.RULE_ID}), or to the registrant (an asset-backed issuer, see "
        f"{applicability.EXEMPT_RULE}); smaller reporting, emerging growth and shell companies are not "
        "exempt: give the required disclosure."),
    BuiltinCheck(
        sections.BY_REFERENCE_RULE, "The item is answered in the filing", "warning",
        "Form 10-K Item 1C; Form 20-F Item 16K",
        f"Given when a short section (at most {sections.BY_REFERENCE_MAX_WORDS} words) incorporates its "
        "content by reference to another document, such as an annual report exhibit, which was not checked. "
        "A 10-K's Item 1C taken from the proxy statement is told that Form 10-K General Instruction G(3) "
        "lets the proxy statement supply Part III only.",
        "missing: the referenced text was not checked.",
        "Check the referenced document as well; give a 10-K's Item 1C in the 10-K itself, not by reference "
        "to the proxy statement."),
    BuiltinCheck(
        applicability.RULE_ID, "The item is required for this filing", "info",
        "Form 10-K Item 1C and Form 20-F Item 16K: fiscal years ending on or after "
        f"{applicability.ITEM_106_FROM}; Form 8-K Item 1.05: from {applicability.ITEM_105_FROM} "
        f"({applicability.ITEM_105_SRC_FROM} for smaller reporting companies)",
        "Given instead of every rule for a filing made before its item applied, judged from its period, "
        "fiscal year or filing date; where the dates leave it open, the section's own \"Not applicable\" "
        "decides.",
        "not_yet_required: the item did not apply; nothing is a gap.",
        "Nothing to do for this filing; the item applies to later ones."),
    BuiltinCheck(
        applicability.NOT_REPORTED_RULE, "Item 1.05 among the items this filing reports", "info",
        "Form 8-K Item 1.05",
        "Given instead of every rule for an 8-K that reports other items: its EDGAR header (a complete "
        "submission file) lists its items without Item 1.05, or, where no Item 1.05 section was found and "
        "the text names Item 1.05 nowhere, its own item headings (\"Item 8.01 Other Events\") leave it out.",
        "not_applicable: Item 1.05's elements do not apply to this 8-K.",
        "Nothing to check. An incident determined material is reported under Item 1.05 within four business "
        "days of the determination; one not (yet) determined material may be disclosed under Item 8.01."),
    BuiltinCheck(
        applicability.NOT_AMENDED_RULE, "The item among the items an amendment restates", "info",
        "Form 10-K Item 1C; Form 20-F Item 16K",
        "Given instead of every rule for a 10-K/A or 20-F/A (its form from its cover, inline XBRL with "
        "AmendmentFlag, or EDGAR's header) that names the item nowhere and whose item headings restate "
        "nothing of the item's part: Part III alone, the exhibits, the financial statements. An "
        "amendment that heads Part I's items (Items 1, 1A, 1B, 2, 3, 4; for a 20-F, Items 13 to 16J) without "
        "Item 1C (16K) still gets SECTION-MISSING.",
        "not_applicable: the amendment does not amend the item.",
        "Nothing to check. If the amendment restates the item, give the section its heading so that it is "
        "found."),
    BuiltinCheck(
        applicability.EXEMPT_RULE, "The item is required of this registrant", "info",
        applicability.EXEMPT_CITATION,
        "Given instead of every rule for a 10-K of an asset-backed issuer, which Item 106 does not apply to: "
        f"EDGAR's SIC code {applicability.ABS_SIC} (Asset-Backed Securities, from a complete submission or a "
        f"JSON record's sic), an Item 1C of at most {applicability.EXEMPT_MAX_WORDS} words that invokes "
        "General Instruction J or calls the registrant an asset-backed issuer, or, where the filing has no "
        "Item 1C, a filing that does.",
        "not_applicable: the item is not required of the registrant; nothing is a gap.",
        "Nothing to check. If the registrant is not an asset-backed issuer, give the Item 1C disclosure."),
    BuiltinCheck(
        applicability.DETERMINED_RULE, "Item 1.05 for an incident determined material", "error",
        applicability.DETERMINED_CITATION,
        "Given instead of the not-reported finding when such an 8-K says the company determined (concluded, "
        "deemed, made a determination) that the incident is material (\"On May 4, 2025, the Company "
        "determined that the incident was material\"), read clause by clause: not where the verb is negated "
        "or conditional (\"has not yet determined\", \"once it is determined\"), nor where the clause "
        "says the incident is not material or asks whether it is; an aside set off by commas does not count. "
        "A sentence reciting an earlier report (\"As previously disclosed\", \"the Original Report\", Item "
        "1.05 named) is no new determination. The finding quotes the sentence.",
        "missing: a material incident is reported under another item.",
        "File under Item 1.05, due four business days after the determination; or, if the incident is not "
        "determined material, say that instead."),
    BuiltinCheck(
        applicability.PAID_RULE, "Materiality not argued from a ransom paid or insured", "warning",
        applicability.PAID_CITATION,
        "Given instead of the not-reported finding when such an 8-K calls the incident not material "
        "(\"not material\", \"immaterial\") in a paragraph that says the ransom was paid or the costs are "
        "insured (\"its cyber insurance is expected to cover the full payment\"). The finding quotes the "
        "paragraph.",
        "missing: immateriality argued from a payment or insurance, which the SEC staff says decides nothing "
        "by itself.",
        "Assess materiality on all the facts; if the incident is material, file under Item 1.05 within four "
        "business days of that determination."),
    BuiltinCheck(
        deadline.RULE_ID, "The 8-K was filed within four business days of the materiality determination",
        "error", deadline.CITATION,
        "Given on every 8-K report of Item 1.05. The determination date is the one given (--determined-on, "
        "determined_on in a JSON record), else the date in the first sentence saying the company determined "
        "the incident material (not a date of the incident's own events in it, \"the access discovered "
        "on ...\"; a date without its year takes the filing's); the filing date is the one given "
        "(--filed-on), EDGAR's, or the record's. Federal holidays are not business days; a submission after "
        "5:30 p.m. Eastern counts as filed the next business day; the holidays passed over are named. A "
        "determination time given with an offset that puts it on another day in New York counts from the "
        "earlier day. An 8-K/A runs on its own clock (Instruction 2) and is not timed from the original "
        "determination: --determined-on gives the day its information was determined or became available. "
        "A text stating the Attorney "
        "General's determination under Item 1.05(c) (not a request, nor a refusal) allows 30 more days; "
        "one stating a carrier's delay under Item 1.05(d) (47 CFR 64.2011) seven business days.",
        "met: filed on time, or within the Item 1.05(c) or (d) delay the text states (marked for review), or "
        "from a date the text gives only \"on or about\" or with a weekday it does not fall on, or more than "
        f"{deadline.DISCOVERY_TO_DETERMINATION} business days after the discovery it dates (Instruction 1), "
        "or under a cover dated after the determination (marked for review); missing: filed late (by how "
        "many business days); not_applicable: not yet filed (the due date), no determination date (and "
        "why), or an amendment.",
        deadline.GUIDANCE),
    BuiltinCheck(
        placeholders.RULE_ID, placeholders.TITLE, "error", placeholders.CITATION,
        "Given when the section holds a drafting blank or a note to the draft. A blank is a bracket of "
        "marks (\"[●]\", \"[__]\", \"[X]\", \"[TBD]\"), of two or more words in capitals (\"[CISO NAME]\") "
        "or a word naming what goes there (\"[Name]\", \"[Date]\"), or, unbracketed, a run of underscores "
        "within a line, TBD or XX (\"20XX\"). A note is a bracket opening with an instruction or its "
        "author's initials (\"[Note to draft: ...]\", \"[NTD: ...]\", \"[Company to confirm whether ...]\", "
        "\"[Insert ...]\", \"[JD: ...]\"). A note is never read by the rules, so an element it alone answers "
        "is a gap; a met verdict whose every quoted sentence holds a blank is marked for review. "
        "\"[Reserved]\", a footnote's \"[1]\" and editorial brackets (\"[the Company]\") are neither. Not "
        "given when the text holds none.",
        "missing: the text holds blanks or notes (every sentence holding one quoted, up to five).",
        placeholders.GUIDANCE),
    BuiltinCheck(
        tag_names.RULE_ID, tag_names.TITLE, "error", tag_names.CITATION,
        "Given in the cyd-tags report when an ix:nonNumeric tag of the filing is named with the cyd prefix "
        "but no cyd element's name (a misspelling, with the element meant where one is close), or is named "
        "like a cyd element in another namespace (us-gaap:, the company's own prefix, a cyd prefix bound to "
        "anything but http://xbrl.sec.gov/cyd/YYYY of 2024 or later). Each such tag is named with its id and "
        "quoted where its text is. Not given when every tag resolves.",
        "missing: some tags name no cyd element; the elements they were meant for count as untagged.",
        tag_names.GUIDANCE),
    BuiltinCheck(
        tag_names.MARKUP_RULE_ID, tag_names.MARKUP_TITLE, "error", tag_names.MARKUP_CITATION,
        "Given in the cyd-tags report when a cyd fact's markup is one EDGAR's inline XBRL validation "
        "rejects: a continuedAt naming no ix:continuation (its text stops there), a continuation already "
        "in another fact's chain or leading back into its own (circular), a contextRef naming no "
        "xbrli:context of the document (where it defines any), an id another element has, a flag given "
        "the other value by an earlier flag of its concept in its context. Each fact is "
        "named with its id and what is wrong, and quoted where its text is. Not given when every fact's "
        "markup resolves.",
        "missing: some cyd facts' markup is broken.",
        tag_names.MARKUP_GUIDANCE),
)


def find(rule_id: str) -> BuiltinCheck | None:
    """The built-in check of that id (compared case-insensitively), if it is one."""
    return next((c for c in CHECKS if c.id.casefold() == rule_id.casefold()), None)
