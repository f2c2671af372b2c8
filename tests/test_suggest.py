"""The name meant by a misspelt one: one helper for every "did you mean" of the CLI, the config and the packs."""

from checker.suggest import did_you_mean, nearest


def test_the_nearest_known_name_case_aside_or_none():
    assert nearest("SK106-B1II-ASSESORS", ["SK106-B1II-ASSESSORS", "SK106-B1-PROCESS"]) == "SK106-B1II-ASSESSORS"
    assert nearest("h-board", ["H-BOARD", "H-PLAN"]) == "H-BOARD"  # case aside, the known spelling given
    assert nearest("board_committee", ["mgmt_roles", "risk_process"]) is None
    assert nearest("citaton", ["citation", "severity"], cutoff=0.6) == "citation"


def test_the_hint_names_the_meant_name_quoted_or_says_nothing():
    assert did_you_mean("firm_cisco", ["firm_ciso"], quote="'") == " (did you mean 'firm_ciso'?)"
    assert did_you_mean("T-BORD", ["T-BOARD"]) == " (did you mean T-BOARD?)"
    assert did_you_mean("zzz", ["T-BOARD"]) == ""
