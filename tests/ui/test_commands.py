"""The palette's shortlist: over FUZZY_ALL_UP_TO names, which ones reach Textual's fuzzy matcher."""

from __future__ import annotations

from swr_tui.ui.commands import FUZZY_ALL_UP_TO, SHORTLIST, Target, shortlist


def targets(*titles: str) -> list[Target]:
    return [(title, "", None) for title in titles]


def titles(found: list[Target]) -> list[str]:
    return [title for title, _help, _action in found]


def test_substrings_come_first_earliest_then_shortest() -> None:
    found = shortlist(
        "api",
        targets(
            "repository acme/rapid", "repository acme/api-gateway", "repository acme/api", "repository a/p/i"
        ),
    )
    assert titles(found) == [
        "repository acme/api",
        "repository acme/api-gateway",
        "repository acme/rapid",
        "repository a/p/i",  # the characters in order, no substring: after every substring
    ]


def test_a_name_without_the_characters_in_order_is_never_listed() -> None:
    assert titles(shortlist("ipa", targets("repository acme/api", "repository ipa/x"))) == [
        "repository ipa/x"
    ]
    assert shortlist("zz", targets("repository acme/api")) == []


def test_case_and_spaces_do_not_matter() -> None:
    assert titles(shortlist("ACME API", targets("repository acme/api", "namespace other"))) == [
        "repository acme/api"
    ]


def test_ten_thousand_names_give_the_limit_with_the_exact_one_first() -> None:
    many = targets(*(f"repository bulk/service-{index:05d}" for index in range(10_000)))
    assert len(many) > FUZZY_ALL_UP_TO
    found = shortlist("service-07342", many)
    assert titles(found)[0] == "repository bulk/service-07342"
    assert len(shortlist("s", many)) == SHORTLIST
    assert titles(shortlist("", many)) == titles(many[:SHORTLIST])
