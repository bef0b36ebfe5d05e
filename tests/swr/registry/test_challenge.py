"""WWW-Authenticate parsing and the realm rule: what a registry sends decides where a login goes."""

from __future__ import annotations

import httpx
import pytest

from swr_tui.swr.registry.challenge import MAX_CHALLENGE_CHARS, bearer_challenge, parse_challenges
from swr_tui.swr.registry.errors import RealmRefusedError, RegistryAuthError
from swr_tui.swr.registry.hosts import check_realm, check_redirect

SWR = "https://swr.cn-north-4.myhuaweicloud.com"


def test_swr_s_challenge_is_parsed() -> None:
    header = f'Bearer realm="{SWR}/swr/auth/v2/registry/auth/",service="dockyard"'
    challenge = bearer_challenge(header, "swr.cn-north-4.myhuaweicloud.com")
    assert challenge.realm == f"{SWR}/swr/auth/v2/registry/auth/"
    assert challenge.service == "dockyard"


def test_quoted_commas_escapes_and_several_challenges() -> None:
    header = (
        'Basic realm="a, \\"b\\"", BEARER Realm="https://x.test/t?a=1,2" , '
        'service=reg,scope="repository:a/b:pull"'
    )
    basic, bearer = parse_challenges(header)
    assert (basic.scheme, basic.params) == ("basic", {"realm": 'a, "b"'})
    assert bearer.scheme == "bearer"
    assert bearer.params == {
        "realm": "https://x.test/t?a=1,2",
        "service": "reg",
        "scope": "repository:a/b:pull",
    }


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "sent no WWW-Authenticate header"),
        ("   ", "sent no WWW-Authenticate header"),
        (
            'Bearer realm="https://unterminated,service=dockyard',
            "cannot parse \\(a quoted value is not closed\\)",
        ),
        ("Bearer realm=a, realm=b", "cannot parse \\(realm given twice\\)"),
        ('"quoted" realm=x', "cannot parse \\(no scheme at character 1\\)"),
        ("Bearer realm=a realm=b", "cannot parse"),
        ("Bearer " + "x=y," * MAX_CHALLENGE_CHARS, "cannot parse \\(\\d+ characters long\\)"),
        ('Basic realm="registry"', "asks for basic authentication, not a bearer token"),
        ('Bearer service="dockyard"', "Bearer challenge without a realm"),
    ],
)
def test_missing_or_malformed_challenges_are_one_clear_line(header: object, message: str) -> None:
    with pytest.raises(RegistryAuthError, match=message) as caught:
        bearer_challenge(header, "swr.test")  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    assert len(str(caught.value)) < 400


def test_hostile_text_in_a_challenge_is_escaped_in_the_message() -> None:
    with pytest.raises(RegistryAuthError) as caught:
        bearer_challenge('Bearer realm="\x1b]52;c;aGk=\x07', "swr.test")
    assert "\x1b" not in str(caught.value)
    assert "\\x1b" in str(caught.value)


@pytest.mark.parametrize(
    "realm",
    [
        f"{SWR}/swr/auth/v2/registry/auth/",  # SWR's own realm: the pull host
        "https://swr.cn-north-4.myhuaweicloud.com:8443/auth",  # its host on another port, https
    ],
)
def test_the_registry_s_own_host_is_an_allowed_realm(realm: str) -> None:
    assert check_realm(realm, httpx.URL(SWR)) == httpx.URL(realm)


def test_a_loopback_registry_may_name_its_own_plain_http_origin() -> None:
    assert check_realm("http://127.0.0.1:5000/token", httpx.URL("http://127.0.0.1:5000")).host == "127.0.0.1"


@pytest.mark.parametrize(
    ("realm", "message"),
    [
        ("https://auth.evil.example/token", "neither the registry nor its documented auth host"),
        ("https://swr.cn-north-4.myhuaweicloud.com.evil.example/token", "neither the registry nor"),
        ("http://swr.cn-north-4.myhuaweicloud.com/token", "over plain http"),
        ("http://127.0.0.2:5000/token", "neither the registry nor"),
        ("ftp://swr.cn-north-4.myhuaweicloud.com/token", "is not an http\\(s\\) URL"),
        ("https://user:pw@swr.cn-north-4.myhuaweicloud.com/token", "without a user name"),
        ("https://[::1/token", "is not a URL"),
    ],
)
def test_realms_elsewhere_are_refused(realm: str, message: str) -> None:
    registry = httpx.URL("http://127.0.0.1:5000") if realm.startswith("http://127.") else httpx.URL(SWR)
    with pytest.raises(RealmRefusedError, match=message):
        check_realm(realm, registry)


def test_redirects_to_plain_http_elsewhere_need_insecure() -> None:
    here = httpx.URL(f"{SWR}/v2/a/b/blobs/sha256:00")
    assert check_redirect("https://obs.example/x?sig=1", here, False, "a blob").host == "obs.example"
    assert check_redirect("http://127.0.0.2:9/x", here, False, "a blob").host == "127.0.0.2"
    assert check_redirect("/relative/x", here, False, "a blob") == httpx.URL(f"{SWR}/relative/x")
    with pytest.raises(RealmRefusedError, match=r"plain http on obs\.example: refused"):
        check_redirect("http://obs.example/x", here, False, "a blob")
    assert check_redirect("http://obs.example/x", here, True, "a blob").scheme == "http"
    with pytest.raises(RealmRefusedError, match="without saying where to"):
        check_redirect(None, here, False, "a blob")
