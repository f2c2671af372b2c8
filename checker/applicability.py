"""Whether an item applies to a filing yet: the compliance dates of Item 106 (10-K Item 1C, 20-F Item 16K),
Item 1.05 and cyd tagging, judged from the period, the fiscal year or the filing date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import regex

from .model import Evidence, Result
from .sections import PARTS, Part

# Item 106 (and 20-F Item 16K): fiscal years ending on or after this day; no later date for smaller companies.
ITEM_106_FROM = date(2023, 12, 15)
# Item 1.05: 8-Ks from this day; smaller reporting companies from the later one.
ITEM_105_FROM = date(2023, 12, 18)
ITEM_105_SRC_FROM = date(2024, 6, 15)
# cyd inline XBRL tagging: fiscal periods ending on or after (annual); 8-Ks from (Item 1.05).
TAGGING_106_FROM = date(2024, 12, 15)
TAGGING_105_FROM = date(2024, 12, 18)
TAGGING_105_SRC_FROM = date(2025, 6, 15)
# A large accelerated filer's 10-K is due 60 days after its year end, a non-accelerated one's 90 (a 20-F's
# four months): a report filed this long after the first covered year end may still cover an earlier year.
LONGEST_FILING_LAG = timedelta(days=125)

ANNUAL_FORMS = ("10-K", "10-KT", "20-F")
RULE_ID = "ITEM-NOT-YET-REQUIRED"
STATUS = "not_yet_required"


@dataclass(frozen=True)
class Applicability:
    """What the dates say: "required", "not_yet_required" or "unsure" (the filer's own word decides)."""

    status: str
    reason: str
    basis: str = ""  # what decided it: period, fiscal year, filing date, or nothing known


def _day(value: Any) -> date | None:
    """A date from metadata: an ISO date or date-time string; anything else is unknown."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _year(value: Any) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1990 <= year <= 2100 else None


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "yes", "1", "\u2612", "\u2611", "x")


def _base_form(form: str | None) -> str:
    return (form or "").upper().split("/")[0]


# Form 20-F Item 16K mirrors Regulation S-K Item 106 paragraph for paragraph, (a) to (d) (Release 33-11216): a
# pack of several forms (cyd-tags) cites Item 106, which a 20-F answers as Item 16K.
_ITEM_106 = "17 CFR 229.106"
_FORM_ITEM_106 = {"20-F": "Form 20-F Item 16K"}


def cite_for_form(citation: str, form: str | None) -> str:
    """The citation as the document's form states the requirement: "17 CFR 229.106(b)(1)" is "Form 20-F Item
    16K(b)(1)" in a 20-F (or its amendment); unchanged in a 10-K or any other form."""
    own = _FORM_ITEM_106.get(_base_form(form))
    return citation.replace(_ITEM_106, own) if own else citation


def item_applies(form: str | None, metadata: dict[str, Any]) -> Applicability:
    """Whether the form's cybersecurity item applied to this filing, from the dates its metadata gives."""
    base = _base_form(form)
    if base in ANNUAL_FORMS:
        return _annual(base, metadata)
    if base == "8-K":
        return _current(metadata)
    return Applicability("required", "", "")


def _annual_item(form: str) -> str:
    """The annual report's cybersecurity item as the applicability reasons name it."""
    return "Item 16K" if form == "20-F" else "Item 1C (Item 106)"


def _annual(form: str, metadata: dict[str, Any]) -> Applicability:
    item = _annual_item(form)
    period = _day(metadata.get("period"))
    if period is not None:
        if period < ITEM_106_FROM:
            return Applicability(STATUS, f"the fiscal period ended {period}, before {ITEM_106_FROM}: "
                                         f"{item} applies to fiscal years ending on or after {ITEM_106_FROM}",
                                 "period")
        return Applicability("required", f"the fiscal period ended {period}", "period")
    year = _year(metadata.get("fiscal_year"))
    filed = _day(metadata.get("filed_on")) or _day(metadata.get("filed"))
    if year is not None:
        if year < ITEM_106_FROM.year:
            return Applicability(STATUS, f"fiscal year {year} ended before {ITEM_106_FROM}: {item} applies "
                                         f"to fiscal years ending on or after {ITEM_106_FROM}", "fiscal year")
        if year == ITEM_106_FROM.year and filed is not None and filed < ITEM_106_FROM:
            # a September year end's report, filed in November: its fiscal year 2023 ended before the day
            return Applicability(STATUS, f"fiscal year {year}, filed on {filed}, before {ITEM_106_FROM}: "
                                         "it cannot cover a fiscal year ending on or after that day, when "
                                         f"{item} began to apply", "filing date")
        if year == ITEM_106_FROM.year:
            return Applicability("unsure", f"fiscal year {year} may have ended before {ITEM_106_FROM}, when "
                                           f"{item} began to apply", "fiscal year")
        return Applicability("required", f"fiscal year {year}", "fiscal year")
    if filed is not None:
        if filed < ITEM_106_FROM:
            return Applicability(STATUS, f"filed on {filed}, before {ITEM_106_FROM}: it cannot cover a "
                                         f"fiscal year ending on or after that day, when {item} began to "
                                         "apply",
                                 "filing date")
        if filed < ITEM_106_FROM + LONGEST_FILING_LAG:
            return Applicability("unsure", f"filed on {filed}: it may cover a fiscal year that ended before "
                                           f"{ITEM_106_FROM}, when {item} began to apply", "filing date")
        return Applicability("required", f"filed on {filed}", "filing date")
    return Applicability("required", "", "")


def _unread_dates(metadata: dict[str, Any]) -> str:
    """The dates the input gives that read as none ("period 'FY2023 year end', fiscal_year 'FY23'"); ""."""
    unread = [key for key in ("period", "filed_on", "filed")
              if metadata.get(key) and _day(metadata[key]) is None]
    if metadata.get("fiscal_year") and _year(metadata["fiscal_year"]) is None:
        unread.append("fiscal_year")
    return ", ".join(f"{key} {str(metadata[key])[:40]!r}" for key in unread)  # a long value cut


def _dated(metadata: dict[str, Any]) -> date | None:
    """An 8-K's day: its filing date, else its period (the date of report)."""
    return _day(metadata.get("filed_on")) or _day(metadata.get("filed")) or _day(metadata.get("period"))


def _current(metadata: dict[str, Any]) -> Applicability:
    small = _truthy(metadata.get("smaller_reporting_company", ""))
    start = ITEM_105_SRC_FROM if small else ITEM_105_FROM
    who = "smaller reporting companies" if small else "8-Ks"
    day = _dated(metadata)
    if day is None:
        return Applicability("required", "", "")
    if day < start:
        return Applicability(STATUS, f"dated {day}, before Item 1.05 applied ({who}: from {start})",
                             "filing date")
    return Applicability("required", f"dated {day}", "filing date")


def statement(form: str | None, metadata: dict[str, Any]) -> str:
    """Whether the form's item applied to a filing checked under its rules, and why (the dates, or that none
    is known), as every report states it; "" for a form whose item has no compliance date."""
    base = _base_form(form)
    applies = item_applies(form, metadata)
    small = _truthy(metadata.get("smaller_reporting_company", ""))
    if base in ANNUAL_FORMS:
        item, since = _annual_item(base), f"fiscal years ending on or after {ITEM_106_FROM}"
        after = {"period": f", on or after {ITEM_106_FROM}",
                 "fiscal year": f", which ended after {ITEM_106_FROM}",
                 "filing date": f", too late to cover a fiscal year ending before {ITEM_106_FROM}"}
    elif base == "8-K":
        item, since = "Item 1.05", (f"smaller reporting companies' 8-Ks from {ITEM_105_SRC_FROM}" if small
                                    else f"8-Ks from {ITEM_105_FROM}")
        after = {"filing date": f", on or after {ITEM_105_SRC_FROM if small else ITEM_105_FROM}"}
    else:
        return ""
    if applies.status == STATUS:
        return f"{item} not yet required: {applies.reason}"
    if applies.status == "unsure":
        return (f"{item} checked as required: {applies.reason}, but the section gives a disclosure, not "
                "\"Not applicable\" (--period gives the fiscal year's end)")
    if not applies.basis:
        unread = _unread_dates(metadata)
        if unread:  # given, but no date: said as given, so that the reader mends it rather than trusts it
            return (f"{item} checked as required: it applies to {since}, and what the input gives ({unread}) "
                    "reads as no date (YYYY-MM-DD) or year"
                    + (" (--period gives the fiscal year's end)" if base in ANNUAL_FORMS else ""))
        return (f"{item} checked as required: it applies to {since}, and the input states no "
                + ("period, fiscal year or filing date (--period gives the fiscal year's end)"
                   if base in ANNUAL_FORMS else "filing date (--filed-on gives it)"))
    said = f"{item} required: {applies.reason}{after.get(applies.basis, '')}"
    day = _dated(metadata)
    if base == "8-K" and not small and day is not None and day < ITEM_105_SRC_FROM:
        said += (f"; a smaller reporting company's 8-K needed it only from {ITEM_105_SRC_FROM}, and the "
                 "input does not say whether the registrant is one (--smaller-reporting-company says it is)")
    return said


def tagging_required(form: str | None, metadata: dict[str, Any]) -> bool:
    """Whether cyd inline XBRL tags are due for this filing (only where its dates show it)."""
    base = _base_form(form)
    if base in ANNUAL_FORMS:
        period = _day(metadata.get("period"))
        year = _year(metadata.get("fiscal_year"))
        return (period is not None and period >= TAGGING_106_FROM) or (year is not None and year > 2024)
    if base == "8-K":
        small = _truthy(metadata.get("smaller_reporting_company", ""))
        day = _dated(metadata)
        return day is not None and day >= (TAGGING_105_SRC_FROM if small else TAGGING_105_FROM)
    return False


def not_yet_required(applies: Applicability, form: str | None, item: str | None, citation: str) -> Result:
    """The one result of a filing made before its item applied: its own status, never a gap."""
    what = f"Item {item}" if item else "The item"
    return Result(RULE_ID, None, f"{what} required for this filing", STATUS, "info", citation,
                  f"{what} was not yet required: {applies.reason}.",
                  "Nothing to do for this filing; the item applies to later ones.")


# Form 8-K's items as EDGAR names them (a submission header's "ITEM INFORMATION" lines give the names).
FORM_8K_ITEMS = {
    "1.01": "Entry into a Material Definitive Agreement",
    "1.02": "Termination of a Material Definitive Agreement",
    "1.03": "Bankruptcy or Receivership",
    "1.04": "Mine Safety - Reporting of Shutdowns and Patterns of Violations",
    "1.05": "Material Cybersecurity Incidents",
    "2.01": "Completion of Acquisition or Disposition of Assets",
    "2.02": "Results of Operations and Financial Condition",
    "2.03": "Creation of a Direct Financial Obligation or an Obligation under an Off-Balance Sheet "
            "Arrangement of a Registrant",
    "2.04": "Triggering Events That Accelerate or Increase a Direct Financial Obligation or an Obligation "
            "under an Off-Balance Sheet Arrangement",
    "2.05": "Costs Associated with Exit or Disposal Activities",
    "2.06": "Material Impairments",
    "3.01": "Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard; Transfer of "
            "Listing",
    "3.02": "Unregistered Sales of Equity Securities",
    "3.03": "Material Modification to Rights of Security Holders",
    "4.01": "Changes in Registrant's Certifying Accountant",
    "4.02": "Non-Reliance on Previously Issued Financial Statements or a Related Audit Report or Completed "
            "Interim Review",
    "5.01": "Changes in Control of Registrant",
    "5.02": "Departure of Directors or Certain Officers; Election of Directors; Appointment of Certain "
            "Officers; Compensatory Arrangements of Certain Officers",
    "5.03": "Amendments to Articles of Incorporation or Bylaws; Change in Fiscal Year",
    "5.04": "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans",
    "5.05": "Amendments to the Registrant's Code of Ethics, or Waiver of a Provision of the Code of Ethics",
    "5.06": "Change in Shell Company Status",
    "5.07": "Submission of Matters to a Vote of Security Holders",
    "5.08": "Shareholder Director Nominations",
    "6.01": "ABS Informational and Computational Material",
    "6.02": "Change of Servicer or Trustee",
    "6.03": "Change in Credit Enhancement or Other External Support",
    "6.04": "Failure to Make a Required Distribution",
    "6.05": "Securities Act Updating Disclosure",
    "7.01": "Regulation FD Disclosure",
    "8.01": "Other Events",
    "9.01": "Financial Statements and Exhibits",
}
NOT_REPORTED_RULE = "ITEM-NOT-REPORTED"
DETERMINED_RULE = "DETERMINED-NOT-REPORTED"
DETERMINED_CITATION = ("Form 8-K Item 1.05(a); Gen. Instr. B.1; SEC staff statement (E. Gerding), 2024-05-21")


def items_without(metadata: dict[str, Any], item: str | None) -> str | None:
    """What an 8-K's EDGAR header says its items are, when it lists them and not `item`; else None."""
    listed = [str(i) for i in metadata.get("items") or ()]
    name = FORM_8K_ITEMS.get(item or "")
    if not listed or not name or name.casefold() in (i.casefold() for i in listed):
        return None
    return "EDGAR's header lists this filing's items as " + ", ".join(f"“{i}”" for i in listed)


def headed_without(headed: list[str], item: str) -> str | None:
    """What an 8-K's own item headings say its items are ("8.01", "9.01"), when it has some and not `item`
    (one of FORM_8K_ITEMS)."""
    headed = [n for n in headed if "." in n]  # an 8-K's items are numbered with decimals
    if not headed or item in headed:
        return None
    named = [f"Item {n} ({FORM_8K_ITEMS[n]})" if n in FORM_8K_ITEMS else f"Item {n}" for n in headed]
    return "The filing's item headings are " + ", ".join(named)


def not_reported(listed: str, item: str, citation: str) -> Result:
    """The one result of an 8-K that reports other items (`listed`, from items_without or headed_without):
    nothing of the item is due in it."""
    said = f"{listed}, not Item {item} ({FORM_8K_ITEMS[item]}): Item {item}'s elements do not apply to it."
    title = f"Item {item} among the items this filing reports"
    return Result(NOT_REPORTED_RULE, None, title, "not_applicable", "info", citation, said,
                  f"Nothing to check here. An incident determined material is reported under Item {item} in "
                  "an 8-K of its own within four business days of that determination; one not (yet) "
                  "determined material may be disclosed under Item 8.01.", basis=said)


def determined_not_reported(listed: str, item: str, evidence: Evidence) -> Result:
    """The one result of an 8-K that reports other items yet says the incident was determined material."""
    title = f"Item {item} for an incident determined material"
    said = (f"The text says the incident was determined to be material, yet this 8-K does not report "
            f"Item {item} ({FORM_8K_ITEMS[item]}). {listed}.")
    fix = (f"An incident the registrant has determined to be material is reported under Item {item}, in an "
           "8-K due four business days after the determination; Item 8.01 (or 7.01) is for incidents not, or "
           f"not yet, determined material. File under Item {item}, or, if the incident is not determined "
           "material, say so instead of the sentence quoted.")
    return Result(DETERMINED_RULE, None, title, "missing", "error", DETERMINED_CITATION, said, fix,
                  evidence=[evidence])


PAID_RULE = "IMMATERIAL-AS-PAID"
PAID_CITATION = "SEC staff C&DIs 104B.05-104B.08 (2024-06-24); Form 8-K Item 1.05(a)"


def immaterial_as_paid(listed: str, item: str, evidence: Evidence) -> Result:
    """The one result of an 8-K that reports other items and calls the incident not material beside a ransom
    paid or costs insured."""
    title = f"Materiality not argued from a ransom paid or insured (Item {item} otherwise)"
    said = (f"The text calls the incident not material beside a ransom paid or costs insured: neither by "
            f"itself makes an incident immaterial. {listed}.")
    fix = ("Materiality is assessed on all the facts, qualitative ones included (data taken, operations "
           "disrupted, reputation, litigation, regulators): paying the ransom, ending the attack or "
           "insurance covering most of the cost does not by itself make the incident immaterial, and a small "
           f"ransom is one factor only (C&DIs 104B.05-104B.08). If the incident is material, file under Item "
           f"{item} within four business days of that determination; if not, say why on those facts.")
    return Result(PAID_RULE, None, title, "missing", "warning", PAID_CITATION, said, fix, evidence=[evidence])


NOT_AMENDED_RULE = "ITEM-NOT-AMENDED"


# Forms whose amendment adds to the original report rather than restating it: an 8-K/A under Item 1.05 gives
# what was not determined or available when the 8-K was filed (Instruction 2), not again what the 8-K said.
SUPPLEMENTED = {"8-K": "Item 1.05, Instruction 2"}


def supplements(original: str | None, amendment: str | None) -> str:
    """Where `amendment` amends `original` by adding to it (an 8-K/A of an 8-K), the provision that says so;
    else ""."""
    base = _base_form(original)
    return (SUPPLEMENTED.get(base, "") if (amendment or "").upper() == f"{base}/A"
            and (original or "").upper() == base else "")


def as_supplement(result: Result, form: str | None) -> Result:
    """An element's gap as an amendment that adds to its original states it (an 8-K/A under Instruction 2):
    what the original gave need not be given again, so the gap says to check it there, as a warning;
    unchanged in any other form, or for a result that is no element's gap."""
    base = _base_form(form)
    provision = supplements(base, form)
    if not provision or not result.element or not result.is_gap:
        return result
    note = (f"This {form} adds to the {base} it amends ({provision}): it need give only the information the "
            f"{base} did not determine or have, so check it in the {base} it amends.")
    return replace(result, message=f"{result.message} {note}",
                   severity="warning" if result.severity == "error" else result.severity)


def amended_part(form: str | None, item: str | None) -> Part | None:
    """The part of the annual report an amendment (10-K/A, 20-F/A) would restate to amend the item; None for
    any other form or item."""
    return PARTS.get(item or "") if (form or "").upper().endswith("/A") else None


def not_amended(form: str, item: str, headed: list[str], citation: str) -> Result:
    """The one result of an amendment without the item's section, which restates other parts of the report."""
    base = _base_form(form)
    heads = (f"its item headings are Items {', '.join(headed)}" if len(headed) > 1
             else f"its item heading is Item {headed[0]}" if headed else "it heads no item")
    said = (f"This {form} has no Item {item} section and restates nothing of that part of the {base} "
            f"({heads}): an amendment need not repeat an item it does not amend. Item {item} is checked in "
            f"the {base} it amends.")
    title = f"Item {item} among the items this amendment restates"
    return Result(NOT_AMENDED_RULE, None, title, "not_applicable", "info", citation, said,
                  f"Nothing to check here. If the amendment restates Item {item}, give the section its "
                  f"heading (\"Item {item}. Cybersecurity\") so that it is found.", basis=said)



EXEMPT_RULE = "REGISTRANT-EXEMPT"
EXEMPT_CITATION = "Form 10-K General Instruction J; Release 33-11216 (unverified)"
ABS_SIC = "6189"  # EDGAR's standard industrial classification "Asset-Backed Securities"
# What only an asset-backed issuer's 10-K says: Form 10-K General Instruction J is the asset-backed issuers'
# (a non-ABS registrant never invokes it), and the ABS cover's own fields.
_SAYS_ABS = regex.compile(r"(?i)\bgeneral\s+instruction\s+J\b|\basset[-\s]backed\s+issuer\b"
                          r"|\bcentral\s+index\s+key\s+number\s+of\s+(?:the\s+)?issuing\s+entity\b")
EXEMPT_MAX_WORDS = 80  # a section this short that invokes it answers the item with the exemption


def exempt_because(form: str | None, metadata: dict[str, Any], section: str, whole: str) -> str | None:
    """Why Item 106 does not apply to this 10-K's registrant (an asset-backed issuer), or None: its SIC code,
    a short `section` invoking General Instruction J, or, where no section was found (`section` empty), the
    `whole` filing saying so."""
    if _base_form(form) != "10-K":
        return None
    if str(metadata.get("sic") or "").strip() == ABS_SIC:
        return (f"EDGAR classifies the registrant under SIC code {ABS_SIC} (Asset-Backed Securities), an "
                "asset-backed issuer")
    said = None
    if section.strip():
        if len(section.split()) <= EXEMPT_MAX_WORDS:
            said = _SAYS_ABS.search(section)
    else:
        said = _SAYS_ABS.search(whole)
    if said is None:
        return None
    where = "the section" if section.strip() else "the filing"
    return f"{where} says it is an asset-backed issuer's report (“{said.group(0)}”)"


def exempt(form: str, item: str, because: str, citation: str) -> Result:
    """The one result of an annual report whose registrant Item 106 does not apply to (`because`, from
    exempt_because): not a gap per element."""
    said = (f"Item {item} is not required of this registrant: {because}. Asset-backed issuers may omit Item "
            f"{item} (Item 106 of Regulation S-K does not apply to them); none of its elements was checked.")
    title = f"Item {item} required of this registrant"
    return Result(EXEMPT_RULE, None, title, "not_applicable", "info", f"{citation}; {EXEMPT_CITATION}", said,
                  "Nothing to check here. A registrant that is not an asset-backed issuer gives the Item "
                  f"{item} disclosure.", basis=said)


NOT_COVERED_RULE = "FORM-NOT-COVERED"
# Forms with no cybersecurity item of their own that the packs check: what applies to each (regulation notes
# §2, §5, §6), its citation, and the pack whose rules a reader may compare the text with as good practice.
_UNCOVERED: dict[str, tuple[str, str, str]] = {
    "6-K": ("Form 6-K General Instruction B (unverified); Release 33-11216",
            "A Form 6-K has no cybersecurity item of prescribed content and no four-business-day deadline: "
            "a foreign private issuer furnishes material information on a cybersecurity incident promptly "
            "after it makes it public under home-country law, files it with an exchange that publishes it, "
            "or sends it to its security holders.",
            "form-8k-105"),
    "40-F": ("Form 40-F (no cybersecurity item; unverified); Release 33-11216",
             "Form 40-F got no cybersecurity item: Item 106 (Form 10-K Item 1C) and Form 20-F Item 16K do "
             "not apply to it; a 40-F annual report carries the disclosure its home (Canadian) rules "
             "require.",
             "form-20f-16k"),
    "10-Q": ("Reg. S-K Item 106; Release 33-11216",
             "Item 106 is disclosed in the annual report only (Form 10-K Item 1C, Form 20-F Item 16K), not "
             "in a 10-Q; an incident determined material is reported on Form 8-K Item 1.05.",
             "sk-106"),
}


def compare_pack(form: str) -> str | None:
    """The pack whose rules a text of a form no pack checks may be compared with (6-K: form-8k-105), the
    form spelt as users type it ("6k", "40-f")."""
    def bare(name: str) -> str:
        return _base_form(name).replace("-", "").replace(" ", "")
    return next((entry[2] for name, entry in _UNCOVERED.items() if bare(name) == bare(form)), None)


def not_covered(form: str, packs: str) -> tuple[Result, str]:
    """The one result of a filing of a form the packs do not check (`packs`: the forms they do): what applies
    to it instead, and how to compare its text with a pack's rules all the same; and that pack."""
    citation, said, compare = _UNCOVERED.get(_base_form(form), (
        "Reg. S-K Item 106; Form 20-F Item 16K; Form 8-K Item 1.05",
        f"Form {form} has no cybersecurity item that cydcheck checks.", "sk-106"))
    said += f" Nothing was checked: cydcheck's rules are for {packs}."
    fix = (f"To compare this text with the rules of another form all the same (as good practice, not as a "
           f"requirement of Form {form}), check it with --pack {compare}.")
    said = f"{said} {fix}"
    result = Result(NOT_COVERED_RULE, None, f"Form {form} has no cybersecurity item cydcheck checks",
                    "not_applicable", "info", citation, said, fix, basis=said)
    return result, compare
