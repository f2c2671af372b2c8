"""Where an 8-K's text says the company determined the incident material: the sentences that say so, read
clause by clause (for the deadline's start, and for an incident reported under another item)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from .segment import paragraphs, sentence_spans

# The verb of a determination: "determined", "concluded", "deemed", "made a determination", "reached the
# conclusion".
_VERB = regex.compile(r"(?i)\b(?:determined|concluded|deemed|(?:made|reached|came\s+to)\s+(?:a|its|the)\s+"
                      r"(?:materiality\s+)?(?:determination|conclusion))\b")
# "material" said of something else the incident reached, not of the incident: "material nonpublic
# information", "a material portion of its servers", "a material amount of data".
_MATERIAL = regex.compile(
    r"(?i)\bmaterial(?:ly)?\b"  # not "materials", not "materiality" (assessed, not yet found) ...
    r"(?!\s+(?:non[- ]?public|portions?|amounts?|parts?|numbers?|quantit(?:y|ies)|volumes?|percentage|share"
    r"|information|data|files?|records?|documents?|assets?|systems?|servers?|weakness(?:es)?)\b)"
    # ... unless the incident reached its threshold: "met the materiality threshold", "rose to the level of
    # materiality"
    r"|\bmateriality\s+(?:threshold|standard)\b|\blevel\s+of\s+materiality\b"
    # ... or must be reported under Item 1.05, which asks only for an incident determined material:
    # "disclosure under Item 1.05 is required", "reportable under Item 1.05", "the incident was required to be
    # reported pursuant to Item 1.05" (not "the information required to be disclosed under Item 1.05")
    r"|\b(?:reportable|disclosable"
    r"|(?:incident|event|attack|breach|it)\s+(?:is|was|would\s+be)\s+required\s+to\s+be\s+(?:reported|disclosed))"
    r"\s+(?:under|pursuant\s+to)\s+item\s*1\s*\.\s*05\b"
    r"|\b(?:disclosure|reporting|report|filing)\s+(?:under|pursuant\s+to)\s+item\s*1\s*\.\s*05\b"
    r"(?:\s+of\s+form\s+8-K)?\s+(?:is|was|would\s+be)\s+required\b")
# An aside set off by commas ("that, although no customer data was affected, the incident is material"):
# its words are not the clause's.
_ASIDE = regex.compile(r",[^,]{0,120},")
# Before the verb, in its own clause: no determination was made ("has not (yet) determined", "hasn't", "to be
# determined", "once it is determined").
_NOT_MADE = regex.compile(r"(?i)\b(?:not|never|no|yet to|once|if|when|until|unless|upon|whether|be|being)\b"
                          r"|n[’']t\b")
BEFORE_WORDS = 5
# Between the verb and "material": a determination that the incident is not material, or no determination
# of materiality ("determined that it was not material", "unlikely to be material", "determined ... and is
# evaluating whether the incident is material", "concluded that the incident may constitute a material
# cybersecurity event": what may, could or might be material is not yet determined to be).
_NOT_MATERIAL = regex.compile(r"(?i)\b(?:not|no|never|neither|nor|unlikely|whether|if"
                              r"|may|might|could|possibly|potentially)\b|n[’']t\b")
REACH = 200  # characters from the verb within which "material" must follow
LOOK_BACK = 160  # characters before the verb read for its clause
# What the determination is about: the incident ("the attack was material"), not some other thing found.
_INCIDENT = regex.compile(r"(?i)\b(?:incident|event|attack|breach|intrusion|compromise|ransomware"
                          r"|unauthori[sz]ed|threat actor|cyber\w*)")
# A sentence that recites a determination reported before: "As previously disclosed", "in the Original
# Report", "under Item 1.05".
_EARLIER_REPORT = regex.compile(
    r"(?i)\b(?:previously|initially|originally|earlier)\s+(?:disclosed|reported|announced|filed)\b"
    r"|\boriginal\s+(?:report|form\s+8-K|current\s+report|filing)\b|\bitem\s*1\s*\.\s*05\b")


@dataclass(frozen=True)
class Determination:
    start: int  # the sentence's span in the text
    end: int
    verb: int  # where the verb stands in the text


def determinations(text: str, start: int, end: int) -> Iterator[Determination]:
    """Each sentence of text[start:end] saying the company determined something material, in order."""
    if _VERB.search(text, start, end) is None:
        return  # most texts: no sentence is split
    for para in paragraphs(text, start, end):
        if _VERB.search(text, para.start, para.end) is None:
            continue
        for a, b in sentence_spans(text, para.start, para.end):
            verb = next((v for v in _VERB.finditer(text, a, b) if _says_material(text, a, b, v)), None)
            if verb is not None:
                yield Determination(a, b, verb.start())


def _says_material(text: str, a: int, b: int, verb: regex.Match) -> bool:
    """Whether this verb makes a determination that something is material (its clause read around it)."""
    before = _ASIDE.sub(" ", text[max(a, verb.start() - LOOK_BACK):verb.start()]).rsplit(",", 1)[-1]
    if _NOT_MADE.search(" ".join(before.split()[-BEFORE_WORDS:])):
        return False
    material = _MATERIAL.search(text, verb.end(), min(b, verb.end() + REACH))
    if material is None:
        return False
    return _NOT_MATERIAL.search(_ASIDE.sub(" ", text[verb.end():material.start()])) is None


def incident_determined_material(text: str) -> tuple[int, int] | None:
    """The span of the first sentence saying the company determined the incident to be material, other than
    the recital of an earlier report ("As previously disclosed, on May 4 the Company determined ...")."""
    for d in determinations(text, 0, len(text)):
        if _INCIDENT.search(text, d.start, d.end) and not _EARLIER_REPORT.search(text, d.start, d.end):
            return d.start, d.end
    return None


# Immateriality argued from a ransom's payment or from insurance, which decide nothing by themselves (SEC
# staff C&DIs 104B.05-104B.08, 2024-06-24): "not material" or "immaterial" in a paragraph that pays or
# insures.
_NOT_MATERIAL_SAID = regex.compile(r"(?i)\bnot\s+(?:be\s+|been\s+)?material\b|\bimmaterial\b")
_PAID_OR_INSURED = regex.compile(
    r"(?i)\b(?:paid|pay|payment)\b[^.;]{0,60}\bransom|\bransom\w*\b[^.;]{0,60}\b(?:paid|payment)\b"
    r"|\binsur\w*\b[^.;]{0,80}\b(?:cover\w*|reimburs\w*|offset\w*)\b")


def immaterial_as_paid_or_insured(text: str) -> tuple[int, int] | None:
    """The span of the first paragraph calling the incident not material beside a ransom paid or costs
    insured."""
    for para in paragraphs(text, 0, len(text)):
        if _NOT_MATERIAL_SAID.search(text, para.start, para.end) and \
                _PAID_OR_INSURED.search(text, para.start, para.end):
            return para.start, para.end
    return None
