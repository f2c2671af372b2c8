"""Item 106(b)(2), material effect, as the sk-106 rules decide it: whose effect, and hedges by position.

These classes are tests rather than pack examples: a pack example is also a training row of the learned
model, and this element is decided by its rules (`combine_by_element: {material_effect: rules}`), so an
example here would move the model's thresholds for nothing (measured, docs/learned.md, eighth stop)."""

import pytest

from checker import Checker
from checker.evaluate import predictions_of
from checker.model import Document


@pytest.fixture(scope="module")
def checker():
    return Checker()


def status(checker, text):
    report = checker.check_document(Document(text=text, form="10-K", item="1C"), "sk-106")
    (r,) = [r for r in report.results if r.element == "material_effect"]
    return r.status


@pytest.mark.parametrize("text", [
    # said of a cyber risk or incident, as subject or object
    "None of the security events we detected during the year was material to the Company.",
    "To date, we have not experienced material disruption to our operations, or material harm to our "
    "customers, from cyberattacks.",
    # the cause named after a long list of what was not affected
    "As of the date of this report, our business strategy, results of operations and financial condition "
    "have not been materially impacted as a result of any previously identified cybersecurity incidents.",
    # "none" referring back to the threats listed before it
    "We have experienced threats to our systems, including phishing, malware and ransomware attacks, "
    "although to date none have been material to our business.",
    # ... or to the sentence before
    "We detected a number of phishing and malware events over the past three years. None of them, "
    "individually or in the aggregate, has materially affected our results of operations.",
    # a hedge after the statement does not take it back
    "We have not experienced a material cybersecurity incident; however, there can be no assurance that "
    "we will not experience one.",
])
def test_a_statement_of_the_past_prong_is_found(checker, text):
    assert status(checker, text) == "partial"  # the past prong, said of cyber risk; no word on the future


@pytest.mark.parametrize("text", [
    # risk-factor language: the hedge comes first
    "There can be no assurance that future cybersecurity incidents will not have a material adverse "
    "effect on our business, results of operations or financial condition.",
    "While we have implemented processes designed to mitigate cybersecurity risk, no security program can "
    "fully eliminate the risk of a material incident, and an intrusion may go undetected for an extended "
    "period.",
    "We cannot eliminate all risks from cybersecurity threats, or provide assurances that we have not "
    "experienced an undetected cybersecurity incident.",
    # a past negative said of something else, in a sentence that turns to cybersecurity later
    "Although we did not experience any material disruption from the shift to remote work during the "
    "COVID-19 pandemic, we continue to evaluate the cybersecurity implications of hybrid working "
    "arrangements.",
])
def test_a_hedge_or_a_statement_about_something_else_is_not(checker, text):
    assert status(checker, text) == "missing"


def test_the_element_is_addressed_when_both_prongs_are_stated(checker):
    text = ("Risks from cybersecurity threats have not materially affected us, and we do not believe they "
            "are reasonably likely to materially affect us, including our business strategy.")
    report = checker.check_document(Document(text=text, form="10-K", item="1C"), "sk-106")
    assert status(checker, text) == "met" and predictions_of(report)["material_effect"].addressed


@pytest.mark.parametrize("pack", ["sk-106", "form-20f-16k"])
def test_guidance_asks_how_when_the_answer_is_yes(checker, pack):
    """Item 106(b)(2) (Item 16K(b)(2)) ends "and if so, how": the guidance covered the two prongs of a negative
    answer only, so a filer whose incidents did affect it was not told to say how."""
    guidance = checker.pack(pack).rule("SK106-B2-MATERIAL-EFFECT").guidance
    assert "if so, how" in guidance and "say how" in guidance
