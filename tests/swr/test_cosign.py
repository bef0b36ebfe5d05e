"""Cosign's tag-name convention, one rule for the table's marks, the digest search and *Signed by*."""

from __future__ import annotations

from swr_tui.swr.cosign import cosign_tags, signature_kind

HEX = "ab" * 32


def test_signature_kind_recognises_cosign_names() -> None:
    assert signature_kind(f"sha256-{HEX}.sig") == ("signature", f"sha256:{HEX}")
    assert signature_kind(f"sha256-{HEX}.att") == ("attestation", f"sha256:{HEX}")
    assert signature_kind(f"sha256-{HEX}.sbom") == ("sbom", f"sha256:{HEX}")


def test_signature_kind_rejects_everything_else() -> None:
    for name in (
        "latest",
        f"sha256-{HEX}",
        f"sha256-{HEX}.sig.bak",
        f"sha256-{HEX[:-1]}.sig",  # 63 hex
        f"sha256-{HEX}0.sig",  # 65 hex
        f"sha256-{HEX.upper()}.sig",
        f"sha512-{HEX}.sig",
        f"xsha256-{HEX}.sig",
        f"sha256-{HEX}.sig\n",
        f"sha256-{HEX}.SIG",
        "",
    ):
        assert signature_kind(name) is None, name


def test_cosign_tags_are_the_names_signature_kind_reads_back() -> None:
    names = cosign_tags(f"sha256:{HEX}")
    assert sorted(names) == sorted(f"sha256-{HEX}{suffix}" for suffix in (".sig", ".att", ".sbom"))
    for name, kind in names.items():
        assert signature_kind(name) == (kind, f"sha256:{HEX}")
