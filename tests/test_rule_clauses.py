"""sk-106's rule clauses on their own, as the pack consults them where its model finds nothing.

A rule test in the pack runs the whole pack, and the model often accepts a sentence alone that it scores below
its threshold inside a section: there a rule's clause decides, and only the rules alone show what it does."""

import pytest

from checker import Checker
from checker.model import Document


@pytest.fixture(scope="module")
def rules_alone():
    return Checker(combine="rules")


def status(checker, element, text):
    report = checker.check_document(Document(text=text, form="10-K", item="1C"), "sk-106")
    (r,) = [r for r in report.results if r.element == element]
    return r.status


@pytest.mark.parametrize("element, text", [
    # an outside party as a member of the team or program (outside_engaged; Marathon's training label, 23
    # filer-tagged sentences)
    ("third_party_assessors",
     "Our information security organization is comprised of internal and external security and technology "
     "professionals."),
    ("third_party_assessors",
     "Upon discovery, we activated our incident response team, comprised of internal personnel and external "
     "cybersecurity experts."),
    # a managed service provider by the trade's initials, worked with (managed_provider)
    ("third_party_assessors", "Our Chief Accounting Officer works closely with the MSP on our cybersecurity program."),
    # the providers of the sentence before as "such entities" (a fund template of 45 filer-tagged sections)
    ("third_party_providers",
     "The Fund relies on its Chief Compliance Officer when identifying and overseeing risks from cybersecurity "
     "threats associated with its use of such entities."),
    # vendor management as one area of the security policies, in a list
    ("third_party_providers",
     "Our privacy and cybersecurity policies encompass incident response procedures, information security and "
     "vendor management."),
    # the full board taking part in the oversight, however long the sentence before says so (full_board)
    ("board_committee",
     "Our board of directors acknowledges the significance of robust cybersecurity management programs and "
     "actively participates in overseeing and reviewing our cybersecurity risk profile and exposures."),
    # the plain negative said of the company's people at large (no_expert_staff; requirements.md)
    ("mgmt_expertise",
     "Our Chief Financial Officer oversees our cybersecurity program. We do not have employees with information "
     "technology or cybersecurity expertise."),
    # a manager's duty toward the incidents themselves (incident_duty; the training labels of six companies)
    ("mgmt_monitoring",
     "The information security officer is responsible for responding to security events by ordering emergency "
     "actions."),
    ("mgmt_monitoring", "Our Director of IT is responsible for investigating and containing cybersecurity incidents."),
])
def test_the_rules_alone_find(rules_alone, element, text):
    assert status(rules_alone, element, text) in ("met", "partial")


@pytest.mark.parametrize("element, text", [
    # a board committee composed of independent directors is no outside party
    ("third_party_assessors", "The Audit Committee is composed of independent directors."),
    # the team's own make-up, no outside party in it
    ("third_party_assessors", "Our cybersecurity team consists of internal analysts and engineers."),
    # a vendor management team is no oversight process
    ("third_party_providers",
     "Our policies cover access control, encryption and incident response, and our vendor management team "
     "negotiates supplier prices."),
    # "such entities" with no risk overseen
    ("third_party_providers", "We have subsidiaries in three countries and consolidate the results of such entities."),
    # a committee whose adjective only says there is one, in a plan
    ("board_committee",
     "In addition, our board of directors will oversee any cybersecurity risk management framework and a dedicated "
     "committee of our board of directors will review and approve any cybersecurity policies."),
    # a negative about another trade
    ("mgmt_expertise",
     "Our Chief Financial Officer oversees our cybersecurity program. We do not have employees with experience in "
     "retail."),
    # ... not the board's duty, nor a duty toward the program
    ("mgmt_monitoring", "Our Board is responsible for overseeing the handling of cybersecurity incidents."),
    ("mgmt_monitoring", "Our Chief Information Security Officer is responsible for our cybersecurity program."),
    # ... nor the regulation's own words made a duty (echo_bare)
    ("mgmt_monitoring",
     "Our Chief Information Officer is responsible for monitoring the prevention, detection, mitigation and "
     "remediation of cybersecurity incidents."),
])
def test_the_rules_alone_reject(rules_alone, element, text):
    assert status(rules_alone, element, text) == "missing"


@pytest.mark.parametrize("text, marked", [
    # testing named, no one outside doing it: the company's own measures (the model's met, marked)
    ("Our security measures include firewalls, endpoint detection, log monitoring, routine back-ups, system audits and "
     "penetration testing.", True),
    # an outside party named, or engaged by name, or the work told as the company's own: not marked
    ("We engage an independent firm to perform penetration testing of our network each year.", False),
    ("We engage Mandiant each year to perform a penetration test of our network.", False),
])
def test_assessors_quoting_no_outside_party_are_marked_for_review(text, marked):
    report = Checker().check_document(Document(text=text, form="10-K", item="1C"), "sk-106")
    (r,) = [r for r in report.results if r.element == "third_party_assessors"]
    assert r.status == "met"
    assert ("no outside party doing it" in r.review) is marked, r.review
