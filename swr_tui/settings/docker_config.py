"""Registry logins saved by ``docker login``: ``$DOCKER_CONFIG/config.json`` (default
``~/.docker/config.json``), its ``auths`` entry for the registry host (base64 ``user:password``).

Credential helpers (``credHelpers`` for the host, else ``credsStore``) hold the login outside the
file; they are programs, so they are run only when ``[registry] use_credential_helpers = true``
says so: ``docker-credential-NAME get`` with the host on stdin, no shell, with a timeout.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Optional

from ..swr.registry.login import RegistryLogin, decode_auth
from .config_paths import display_path, read_settings_file

# A helper asks a keychain, which may prompt; ten seconds is long enough, and a hang is not forever.
HELPER_TIMEOUT_S = 10.0
# A helper's answer is a small JSON object.
MAX_HELPER_OUTPUT_BYTES = 64 * 1024
_HELPER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]


def docker_config_path(environ: Mapping[str, str], home: Path) -> Path:
    folder = environ.get("DOCKER_CONFIG", "").strip()
    return (Path(folder).expanduser() if folder else home / ".docker") / "config.json"


def _host_of(key: str) -> str:
    """``https://swr.x.com/v1/`` -> ``swr.x.com``: docker writes both forms as keys."""
    text = key.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    return text.split("/", 1)[0].lower()


def docker_login(
    host: str,
    environ: Mapping[str, str],
    home: Path,
    use_helpers: bool,
    run: Runner = subprocess.run,
) -> tuple[Optional[RegistryLogin], Optional[str]]:
    """(the login for ``host``, None) or (None, why there is none: a note, never a secret)."""
    path = docker_config_path(environ, home)
    shown = display_path(path, home)
    try:
        document = json.loads(read_settings_file(path))
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError, RecursionError):
        return None, f"{shown} could not be read as JSON, so its registry logins were not used"
    if not isinstance(document, dict):
        return None, f"{shown} is not a JSON object, so its registry logins were not used"
    wanted = host.lower()
    auths = document.get("auths")
    if isinstance(auths, dict):
        for key, entry in auths.items():
            if isinstance(key, str) and _host_of(key) == wanted and isinstance(entry, dict):
                login = _from_entry(entry, f"{shown} (docker login)")
                if login is not None:
                    return login, None
    helpers = document.get("credHelpers")
    helper = helpers.get(host) if isinstance(helpers, dict) else None
    if helper is None:
        helper = document.get("credsStore")
    if not isinstance(helper, str) or not helper:
        return None, None
    if not use_helpers:
        return None, (
            f"{shown} names the credential helper docker-credential-{helper}, which swr-tui runs only "
            "with [registry] use_credential_helpers = true in config.toml"
        )
    return _from_helper(helper, host, run)


def _from_entry(entry: Mapping[str, Any], source: str) -> Optional[RegistryLogin]:
    auth = entry.get("auth")
    if isinstance(auth, str) and auth:
        pair = decode_auth(auth)
        if pair is not None:
            return RegistryLogin(pair[0], pair[1], source)
    user, password = entry.get("username"), entry.get("password")
    if isinstance(user, str) and isinstance(password, str) and user and password:
        return RegistryLogin(user, password, source)
    return None


def _from_helper(name: str, host: str, run: Runner) -> tuple[Optional[RegistryLogin], Optional[str]]:
    program = f"docker-credential-{name}"
    if not _HELPER_NAME.fullmatch(name):
        return None, "the credential helper named in the docker config is not a plain program name"
    try:
        done = run(
            [program, "get"],
            input=host.encode("utf-8"),
            capture_output=True,
            timeout=HELPER_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        return None, f"the credential helper {program} is not installed"
    except subprocess.TimeoutExpired:
        return None, f"the credential helper {program} did not answer within {HELPER_TIMEOUT_S:g} s"
    except OSError as exc:
        return None, f"the credential helper {program} could not run ({exc.strerror or type(exc).__name__})"
    if done.returncode != 0:
        return None, f"the credential helper {program} has no login for {host}"
    try:
        answer = json.loads(done.stdout[:MAX_HELPER_OUTPUT_BYTES])
    except (ValueError, RecursionError):
        answer = None
    user = answer.get("Username") if isinstance(answer, dict) else None
    secret = answer.get("Secret") if isinstance(answer, dict) else None
    if not isinstance(user, str) or not isinstance(secret, str) or not user or not secret:
        return None, f"the credential helper {program} answered without a user name and secret"
    return RegistryLogin(user, secret, f"the credential helper {program}"), None
