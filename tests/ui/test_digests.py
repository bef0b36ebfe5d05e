"""Group marks and DigestIndex (no widgets)."""

from __future__ import annotations

from datetime import datetime, timezone

from swr_tui.swr.models import Tag
from swr_tui.ui.digests import COLOURS, GLYPHS, DigestIndex, group_mark_for, names
from swr_tui.ui.tag_facts import SAME_DIGEST_LIMIT, digest_facts

A = "sha256:" + "a" * 64
B = "sha256:" + "b" * 64
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def tag(name: str, digest: str = A) -> Tag:
    return Tag(name=name, digest=digest)


def test_marks_only_for_digests_shared_by_two_loaded_tags() -> None:
    index = DigestIndex()
    index.add_page(0, 0, [tag("v1"), tag("latest"), tag("other", B), tag("nodigest", "")])
    assert names(index.tags_with(A)) == ["v1", "latest"]
    assert index.mark(A) == group_mark_for(A)
    assert index.mark(B) is None
    assert index.mark("") is None
    assert names(index.others(tag("latest"))) == ["v1"]
    assert index.tags_with("") == []


def test_group_mark_is_stable_and_in_range() -> None:
    for number in range(50):
        digest = f"sha256:{number:064x}"
        mark = group_mark_for(digest)
        assert mark == group_mark_for(digest)
        assert mark.glyph in GLYPHS
        assert 0 <= mark.colour < COLOURS
        assert mark.component == f"tag-table--group-{mark.colour}"
    assert len({group_mark_for(f"sha256:{n:064x}").glyph for n in range(50)}) > 1


def test_mark_does_not_change_as_pages_load() -> None:
    index = DigestIndex()
    index.add_page(0, 0, [tag("a"), tag("b")])
    first = index.mark(A)
    index.add_page(1, 2, [tag("c", B), tag("d", B), tag("e")])
    assert index.mark(A) == first
    assert names(index.tags_with(A)) == ["a", "b", "e"]


def test_a_group_spanning_pages_is_found_once_both_load() -> None:
    index = DigestIndex()
    index.add_page(0, 0, [tag("latest"), tag("x", B)])
    assert index.mark(A) is None
    index.add_page(3, 300, [tag("v1.0")])
    assert index.tags_with(A) == [(0, "latest"), (300, "v1.0")]
    assert index.mark(A) is not None


def test_sync_follows_replaced_and_dropped_pages() -> None:
    index = DigestIndex()
    page0 = (tag("a"), tag("b"))
    pages = {0: page0, 1: (tag("c"),)}
    assert index.sync(pages, 2)
    assert index.tags_with(A) == [(0, "a"), (1, "b"), (2, "c")]
    version = index.version
    assert not index.sync(pages, 2)  # the same tuples: nothing re-indexed
    assert index.version == version
    pages[0] = (tag("a", B), tag("b"))  # a reload replaced the page
    del pages[1]  # and the total moved: the page was dropped
    assert index.sync(pages, 2)
    assert index.tags_with(A) == [(1, "b")]
    assert index.mark(A) is None
    assert len(index) == 2
    index.clear()
    assert index.tags_with(B) == []
    assert len(index) == 0


def test_signers_and_digest_facts() -> None:
    signature = f"sha256-{'a' * 64}.sig"
    attestation = f"sha256-{'a' * 64}.att"
    index = DigestIndex()
    index.add_page(
        0, 0, [tag(signature, B), tag("latest"), tag("v1"), tag(attestation, "sha256:" + "c" * 64)]
    )
    assert index.signers(A) == [(0, signature, "signature"), (3, attestation, "attestation")]
    assert dict(digest_facts(tag("latest"), index)) == {
        "Same digest": "v1",
        "Signed by": f"{signature} (signature), {attestation} (attestation)",
    }
    assert dict(digest_facts(tag(signature, B), index)) == {"Signs": "latest, v1 (signature)"}
    orphan = f"sha256-{'f' * 64}.sbom"
    assert dict(digest_facts(tag(orphan, "sha256:" + "d" * 64), index)) == {
        "Signs": "ffffffffffff, not loaded (sbom)"
    }
    assert digest_facts(tag("latest"), None) == []


def test_same_digest_is_capped() -> None:
    index = DigestIndex()
    index.add_page(0, 0, [tag(f"t{n}") for n in range(SAME_DIGEST_LIMIT + 5)])
    value = dict(digest_facts(tag("t0"), index))["Same digest"]
    assert value.startswith("t1, t2, ")
    assert value.endswith("… 4 more")
    assert value.count(",") == SAME_DIGEST_LIMIT - 1
