"""Generators of hostile inputs for the hardening tests and bench/bench_inputs.py (nothing big is committed)."""

from __future__ import annotations

IX = "http://www.xbrl.org/2013/inlineXBRL"
CYD = "http://xbrl.sec.gov/cyd/2024"
SENTENCE = "The Board of Directors oversees cybersecurity risk and the CISO reports to it quarterly."


def shared_chain_html(facts: int, links: int) -> bytes:
    """Inline XBRL where every one of `facts` facts is continuedAt the same chain of `links` continuations."""
    head = (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="{IX}" xmlns:cyd="{CYD}">'
            "<body><p>Item 1C. Cybersecurity</p>")
    fact_els = "".join(
        f'<p><ix:nonNumeric name="cyd:CybersecurityRiskManagementProcessesIntegratedTextBlock" '
        f'contextRef="c-1" id="f{i}" continuedAt="k0">Fact {i}: {SENTENCE}</ix:nonNumeric></p>'
        for i in range(facts))
    def link(j: int) -> str:
        nxt = f' continuedAt="k{j + 1}"' if j + 1 < links else ""
        return f'<p><ix:continuation id="k{j}"{nxt}>Part {j}: {SENTENCE}</ix:continuation></p>'

    chain = "".join(link(j) for j in range(links))
    return (head + fact_els + chain + "</body></html>").encode()


def nested_span_html(depth: int) -> bytes:
    """One inline XBRL fact whose text sits inside `depth` nested spans."""
    inner = "<span>" * depth + SENTENCE + "</span>" * depth
    return (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="{IX}" xmlns:cyd="{CYD}"><body>'
            "<p>Item 1C. Cybersecurity</p>"
            f'<div><ix:nonNumeric name="cyd:CybersecurityRiskManagementProcessesIntegratedTextBlock" '
            f'contextRef="c-1" id="f1">{inner}</ix:nonNumeric></div></body></html>').encode()
