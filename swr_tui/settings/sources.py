"""The credential sources, each read on its own: the environment, an IAM password, the SDK's INI
file, Terraform's variables and KooCLI's config.json. Which one wins is ``resolve``'s business.

Plain functions: each takes what it reads (``environ``, ``home``), and appends to ``warnings``
(shown to the user: a secrets file others can read) and ``notes`` (why a fallback source was
skipped, for the no-credentials message). ``project_id`` is the project id that outranks the
source's own (HUAWEICLOUD_SDK_PROJECT_ID, else the profile's). Nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..private_files import READABLE_BY_OTHERS, open_to_others
from ..swr.errors import ConfigurationError
from .config_paths import display_path, expand_path, read_settings_text
from .model import Credentials

if TYPE_CHECKING:
    import configparser

# The question asked for an IAM password; the in-app switcher keys remembered passwords by it.
PASSWORD_PROMPT = "IAM password for user {user} of account {domain}: "  # noqa: S105 (a prompt, not a password)
KOOCLI_ENCRYPTED_HINT = (
    "KooCLI's {path} stores its keys encrypted, which swr-tui cannot read: run "
    "`hcloud configure set --cli-auth-encrypt=false` to store them in plaintext, "
    "or use the environment variables above"
)


def env(environ: Mapping[str, str], name: str) -> Optional[str]:
    """A variable's value, stripped; None when unset or blank."""
    return clean(environ.get(name))


# -- the environment --------------------------------------------------------------------------------


def token_from_environment(environ: Mapping[str, str]) -> Optional[Credentials]:
    token = env(environ, "SWR_TUI_TOKEN")
    if token:
        return Credentials(kind="token", source="environment (SWR_TUI_TOKEN)", token=token, choice="token")
    return None


def aksk_from_environment(environ: Mapping[str, str], project_id: Optional[str]) -> Optional[Credentials]:
    aksk = key_pair(environ, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
    if aksk is None:
        return None
    return Credentials(
        kind="aksk",
        choice="aksk",
        source="environment (HUAWEICLOUD_SDK_AK/SK)",
        ak=aksk[0],
        sk=aksk[1],
        security_token=env(environ, "HUAWEICLOUD_SDK_SECURITY_TOKEN"),
        project_id=project_id,
    )


def key_pair(environ: Mapping[str, str], ak_name: str, sk_name: str) -> Optional[tuple[str, str]]:
    """Both keys, or None when neither is set; one without the other is an error."""
    ak, sk = env(environ, ak_name), env(environ, sk_name)
    if ak and sk:
        return ak, sk
    if ak or sk:
        have, missing = (ak_name, sk_name) if ak else (sk_name, ak_name)
        raise ConfigurationError(f"{have} is set but {missing} is not: set both, or unset {have}")
    return None


def password_credentials(
    environ: Mapping[str, str],
    username: str,
    domain: str,
    prompt_password: Optional[Callable[[str], str]],
) -> Credentials:
    """IAM login as ``username`` of ``domain``: the password from SWR_TUI_PASSWORD, else asked for
    (``prompt_password`` is given only when a terminal, or the app, can ask)."""
    password = clean(environ.get("SWR_TUI_PASSWORD"))
    origin = "from SWR_TUI_PASSWORD"
    if not password:
        if prompt_password is None:
            raise ConfigurationError(
                f"Password login for user {username!r} needs a password: set SWR_TUI_PASSWORD, "
                "or run swr-tui in a terminal to be asked for it"
            )
        try:
            password = prompt_password(PASSWORD_PROMPT.format(user=username, domain=domain))
        except EOFError:
            password = ""
        origin = "typed at the prompt"
        if not password:
            raise ConfigurationError("No password given: password login cancelled")
    return Credentials(
        kind="password",
        source=f"IAM login as {username!r} of account {domain!r} (password {origin})",
        password=password,
        username=username,
        domain=domain,
        choice="password",
    )


def terraform_credentials(
    environ: Mapping[str, str], *, required: bool, profile_label: str, project_id: Optional[str]
) -> Optional[Credentials]:
    """Terraform's HW_ACCESS_KEY / HW_SECRET_KEY (with HW_SECURITY_TOKEN and HW_PROJECT_ID)."""
    pair = key_pair(environ, "HW_ACCESS_KEY", "HW_SECRET_KEY")
    if pair is None:
        if required:
            raise ConfigurationError(
                f"{profile_label} (credentials = 'terraform') needs HW_ACCESS_KEY and "
                "HW_SECRET_KEY, which are not set"
            )
        return None
    return Credentials(
        kind="aksk",
        source="environment (Terraform's HW_ACCESS_KEY/HW_SECRET_KEY)",
        choice="terraform",
        ak=pair[0],
        sk=pair[1],
        security_token=env(environ, "HW_SECURITY_TOKEN"),
        project_id=project_id or env(environ, "HW_PROJECT_ID"),
    )


# -- the SDK's credentials file ---------------------------------------------------------------------


def sdk_file_credentials(
    environ: Mapping[str, str],
    home: Path,
    warnings: list[str],
    notes: list[str],
    *,
    credentials_file: Optional[str],
    profile_label: str,
    required: bool,
    project_id: Optional[str],
) -> Optional[Credentials]:
    """HUAWEICLOUD_SDK_CREDENTIALS_FILE, else the profile's ``credentials_file``, else
    ``~/.huaweicloud/credentials``; required when the profile names this source."""
    named = env(environ, "HUAWEICLOUD_SDK_CREDENTIALS_FILE")
    if named:
        path, origin, required = expand_path(named, home, None), "HUAWEICLOUD_SDK_CREDENTIALS_FILE", True
    elif credentials_file:
        path, origin, required = Path(credentials_file), f"credentials_file in {profile_label}", True
    else:
        path = home / ".huaweicloud" / "credentials"
        origin = f"credentials = 'sdk' in {profile_label}" if required else ""
    found = read_sdk_ini(path, origin, home, warnings, notes, required=required, project_id=project_id)
    return replace(found, choice="sdk") if found is not None else None


def read_sdk_ini(
    path: Path,
    origin: str,
    home: Path,
    warnings: list[str],
    notes: list[str],
    *,
    required: bool,
    project_id: Optional[str],
) -> Optional[Credentials]:
    """The ``[basic]`` (or ``[global]``) ak and sk of an SDK INI file; ``origin`` says who named it."""
    shown = display_path(path, home)
    named = f"{shown} (from {origin})" if origin else shown
    if not path.is_file():
        if required:
            raise ConfigurationError(f"SDK credentials file {named} does not exist")
        return None
    import configparser  # only when there is an SDK file to read

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(read_settings_text(path), str(path))
    except configparser.Error as exc:
        raise ConfigurationError(
            f"SDK credentials file {named} is not a valid INI file{_ini_line(exc)}: it needs a [basic] "
            "section with ak = ... and sk = ..."
        ) from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"SDK credentials file {named} is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigurationError(
            f"Cannot read SDK credentials file {named}: {exc.strerror or 'error'}"
        ) from None
    check_private(path, home, warnings)
    for section in ("basic", "global"):
        if not parser.has_section(section):
            continue
        ak = clean(parser.get(section, "ak", fallback=None))
        sk = clean(parser.get(section, "sk", fallback=None))
        if ak and sk:
            return Credentials(
                kind="aksk",
                source=f"{shown} [{section}]",
                ak=ak,
                sk=sk,
                security_token=clean(parser.get(section, "security_token", fallback=None)),
                project_id=project_id or clean(parser.get(section, "project_id", fallback=None)),
            )
        if ak or sk:
            have, missing = ("ak", "sk") if ak else ("sk", "ak")
            raise ConfigurationError(f"{named} [{section}] has {have} but no {missing}: add it")
    if required:
        raise ConfigurationError(f"{named} has no [basic] or [global] section with ak and sk")
    notes.append(f"{shown} has no [basic] section with ak and sk")
    return None


def _ini_line(exc: configparser.Error) -> str:
    line = getattr(exc, "lineno", None)
    if line is None:
        errors = getattr(exc, "errors", None)
        if errors:
            line = errors[0][0]
    return f" (line {line})" if line else ""


# -- KooCLI ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KooCli:
    """What ``~/.hcloud/config.json`` holds, read defensively (its format is not documented)."""

    path: Path
    shown: str
    state: str  # "absent" | "malformed" | "ok"
    problem: str = ""
    encrypted: bool = False
    current: Optional[str] = None
    profiles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def profile(self, wanted: Optional[str]) -> tuple[Optional[str], Optional[Mapping[str, Any]]]:
        """The profile named ``wanted`` if there is one, else the ``current`` one (or ``default``)."""
        if wanted and wanted in self.profiles:
            return wanted, self.profiles[wanted]
        name = self.current or ("default" if "default" in self.profiles else None)
        if name and name in self.profiles:
            return name, self.profiles[name]
        return name, None


def read_koocli(home: Path) -> KooCli:
    path = home / ".hcloud" / "config.json"
    where = display_path(path, home)
    try:
        text = read_settings_text(path)
    except FileNotFoundError:
        return KooCli(path, where, "absent")
    except UnicodeDecodeError:
        return KooCli(path, where, "malformed", "it is not UTF-8 text")
    except OSError as exc:
        return KooCli(path, where, "malformed", f"it cannot be read ({exc.strerror or 'error'})")
    import json  # only when there is a KooCLI file to read

    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        return KooCli(path, where, "malformed", "it is not valid JSON" + (f" (line {line})" if line else ""))
    if not isinstance(data, dict):
        return KooCli(path, where, "malformed", "it is not a JSON object")
    entries = data.get("profiles", [])
    if not isinstance(entries, list):
        return KooCli(path, where, "malformed", '"profiles" is not a list')
    profiles: dict[str, Mapping[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict):
            name = clean(string(entry.get("name")))
            if name and name not in profiles:
                profiles[name] = entry
    encrypted = str(data.get("authEncrypt", "")).strip().lower() == "true"
    current = clean(string(data.get("current")))
    return KooCli(path, where, "ok", encrypted=encrypted, current=current, profiles=profiles)


def koocli_credentials(
    koocli: KooCli,
    home: Path,
    warnings: list[str],
    notes: list[str],
    *,
    wanted: Optional[str],
    region: Optional[str],
    required: bool,
    profile_label: str,
    project_id: Optional[str],
) -> Optional[Credentials]:
    """The AK/SK of KooCLI's profile ``wanted`` (else its current one); a project id KooCLI keeps
    for another region than ``region`` is not used."""
    problem: Optional[str] = None
    if koocli.state == "absent":
        problem = f"KooCLI's {koocli.shown} does not exist"
    elif koocli.state == "malformed":
        problem = f"KooCLI's {koocli.shown} was ignored: {koocli.problem}"
    elif koocli.encrypted:
        problem = KOOCLI_ENCRYPTED_HINT.format(path=koocli.shown)
    name, entry = koocli.profile(wanted)
    if problem is None and entry is None:
        problem = f"KooCLI's {koocli.shown} has no profile {koocli.current or 'default'!r}"
    if problem is None and entry is not None:
        mode = (string(entry.get("mode")) or "AKSK").strip().upper()
        ak = clean(string(entry.get("accessKeyId")))
        sk = clean(string(entry.get("secretAccessKey")))
        if mode != "AKSK":
            problem = f"KooCLI profile {name!r} uses mode {mode}, and only AKSK can be read"
        elif not (ak and sk):
            problem = f"KooCLI profile {name!r} in {koocli.shown} has no access key and secret key"
        else:
            check_private(koocli.path, home, warnings)
            koo_region = clean(string(entry.get("region")))
            own_project = clean(string(entry.get("projectId")))
            if koo_region and koo_region != region:
                own_project = None  # a project id belongs to one region; KooCLI's is for another
            return Credentials(
                kind="aksk",
                source=f"KooCLI profile {name!r} ({koocli.shown})",
                choice="koocli",
                ak=ak,
                sk=sk,
                security_token=clean(string(entry.get("securityToken"))),
                project_id=project_id or own_project,
            )
    assert problem is not None
    if required:
        raise ConfigurationError(f"{profile_label} (credentials = 'koocli'): {problem}")
    if koocli.state != "absent":
        notes.append(problem)
    return None


# -- shared -----------------------------------------------------------------------------------------


def no_credentials_message(notes: list[str]) -> str:
    message = (
        "No credentials found. Set SWR_TUI_TOKEN to an IAM token, or HUAWEICLOUD_SDK_AK and "
        "HUAWEICLOUD_SDK_SK for AK/SK signing, or SWR_TUI_USERNAME and SWR_TUI_DOMAIN for password "
        "login (with SWR_TUI_PASSWORD, or type it when asked), or put ak and sk in the [basic] "
        "section of ~/.huaweicloud/credentials"
    )
    return ". ".join([message, *dict.fromkeys(notes)])


def check_private(path: Path, home: Path, warnings: list[str]) -> None:
    """Warn (do not fail) when a file holding secrets is readable by group or others."""
    mode = open_to_others(path, READABLE_BY_OTHERS)
    if mode is not None:
        shown = display_path(path, home)
        warnings.append(
            f"{shown} holds secrets but other users can read it (mode {mode:o}): run chmod 600 {shown}"
        )


def clean(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    text = value.strip()
    return text or None


def string(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None
