"""Saving profiles into config.toml (swr_tui.settings.config_writer): layouts it refuses, edits in place,
symlinks, folder permissions, where default_profile goes, and the read-back check before writing.

The suite may run as root, so permission failures use situations that fail for root too.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from swr_tui.settings import config_writer as writer
from swr_tui.settings.config_file import load_profiles
from swr_tui.swr.errors import ConfigurationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9 / 3.10 only
    import tomli as tomllib

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions and symlinks")
HEADER = [f"# {line}" for line in writer.NEW_FILE_HEADER.splitlines()]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


# -- 1. only [profiles.NAME] tables are edited; anything else is refused, the file untouched ---------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ('profiles.x.region = "cn-north-4"\nprofiles.y.region = "cn-east-3"\n', "dotted keys"),
        ('profiles = { x = { region = "cn-north-4" } }\n', "inline table"),
        ('[[profiles]]\nregion = "cn-north-4"\n', "array of tables"),
        ('profiles = "x"\n', "plain value"),
        ('[profiles]\nx.region = "cn-north-4"\n', "dotted keys"),
        ('[profiles]\nx = { region = "cn-north-4" }\n', "inline table"),
    ],
)
def test_profiles_not_written_as_tables_are_refused(tmp_path: Path, text: str, form: str) -> None:
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigurationError) as caught:
        writer.save_profile(path, "x", {"region": "cn-south-1"}, shown="~/cfg/config.toml")
    message = str(caught.value)
    assert form in message
    assert "~/cfg/config.toml" in message
    assert "[profiles.NAME]" in message
    assert path.read_text(encoding="utf-8") == text
    assert leftovers(tmp_path) == []


def test_out_of_order_profile_tables_are_edited(tmp_path: Path) -> None:
    text = (
        '[profiles.x]\nregion = "cn-north-4"\n\n[watch]\ninterval = 5\n\n[profiles.y]\nregion = "cn-east-3"\n'
    )
    path = write(tmp_path / "config.toml", text)
    writer.save_profile(path, "y", {"region": "cn-south-1"})
    writer.save_profile(path, "z", {"region": "ap-southeast-1"})
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {
        "profiles": {
            "x": {"region": "cn-north-4"},
            "y": {"region": "cn-south-1"},
            "z": {"region": "ap-southeast-1"},
        },
        "watch": {"interval": 5},
    }


def test_a_tomlkit_failure_becomes_a_configuration_error(tmp_path: Path) -> None:
    text = '[profiles.x]\nregion = "cn-north-4"\n'
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigurationError, match="Cannot update"):
        writer.save_profile(path, "y", {"region": object()})
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("values", [{"region": 5}, {"regoin": "cn-north-4"}, {"sk": "hidden"}])
def test_values_the_app_could_not_load_are_not_saved(tmp_path: Path, values: dict) -> None:
    text = '# keep\n[profiles.x]\nregion = "cn-north-4"\n'
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigurationError, match=r"Not saved: .*left as it was"):
        writer.save_profile(path, "y", values)
    assert path.read_text(encoding="utf-8") == text
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ("cn-south-1", "'y' would not read back as written"),  # the profile saved
        ("cn-north-4", "other settings in the file would change"),  # another profile
    ],
)
def test_text_that_does_not_read_back_as_meant_is_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str, message: str
) -> None:
    import tomlkit

    text = '[profiles.x]\nregion = "cn-north-4"\n'
    path = write(tmp_path / "config.toml", text)
    real_dumps = tomlkit.dumps
    monkeypatch.setattr(tomlkit, "dumps", lambda doc: real_dumps(doc).replace(changed, "cn-east-3"))
    with pytest.raises(ConfigurationError, match=message):
        writer.save_profile(path, "y", {"region": "cn-south-1"})
    assert path.read_text(encoding="utf-8") == text


# -- 2. saving over an existing profile updates it in place ---------------------------------------


def test_profile_exists(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert writer.profile_exists(path, "dev") is False  # no file yet
    write(path, '[profiles.dev]\nregion = "cn-east-3"\n[watch]\ninterval = 5\n')
    assert writer.profile_exists(path, "dev") is True
    assert writer.profile_exists(path, "prod") is False
    assert writer.profile_exists(path, "watch") is False
    write(path, "[profiles.dev\n")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        writer.profile_exists(path, "dev")


def test_saving_over_a_profile_updates_its_keys_in_place(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        "[profiles.dev]\n"
        "# the dev box\n"
        'region = "cn-east-3"  # nearest\n'
        "timeout = 5\n"
        '# ca_bundle = "~/ca.pem"\n'
        "\n"
        "# how often the tag page refreshes\n"
        "[watch]\n"
        "interval = 10\n",
    )
    existed = writer.save_profile(
        path, "dev", {"region": "cn-north-4", "endpoint": "https://swr.example", "project_id": None}
    )
    assert existed is True
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text)["profiles"]["dev"] == {
        "region": "cn-north-4",
        "timeout": 5,
        "endpoint": "https://swr.example",
    }
    assert "# the dev box\n" in text
    assert 'region = "cn-north-4"  # nearest\n' in text
    assert '# ca_bundle = "~/ca.pem"\n' in text
    # The new key joins the table's keys, not the comment that describes [watch].
    assert 'endpoint = "https://swr.example"\n# ca_bundle' in text
    assert "\n\n# how often the tag page refreshes\n[watch]\n" in text


def test_a_new_profile_does_not_separate_a_comment_from_its_table(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        '[profiles.dev]\nregion = "cn-east-3"\n\n'
        "# how often the tag page refreshes\n[watch]\ninterval = 10\n",
    )
    assert writer.save_profile(path, "prod", {"region": "cn-north-4"}) is False
    text = path.read_text(encoding="utf-8")
    assert text == (
        '[profiles.dev]\nregion = "cn-east-3"\n\n'
        '[profiles.prod]\nregion = "cn-north-4"\n\n'
        "# how often the tag page refreshes\n[watch]\ninterval = 10\n"
    )
    assert load_profiles({"SWR_TUI_CONFIG": str(path)}, tmp_path).names() == ("dev", "prod")


# -- 3. a symlinked config.toml is written through -------------------------------------------------


@posix_only
@pytest.mark.parametrize("target_exists", [True, False])
def test_a_symlinked_config_is_written_through(tmp_path: Path, target_exists: bool) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "swr-tui.toml"
    if target_exists:
        write(target, '# from my dotfiles\n[profiles.dev]\nregion = "cn-east-3"\n')
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    link = config_dir / "config.toml"
    link.symlink_to(target)
    writer.save_profile(link, "prod", {"region": "cn-north-4"}, make_default=True)
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["profiles"]["prod"] == {"region": "cn-north-4"}
    assert data["default_profile"] == "prod"
    assert mode(target) == 0o600
    if target_exists:
        assert target.read_text(encoding="utf-8").startswith("# from my dotfiles\n")
    assert leftovers(config_dir) == leftovers(dotfiles) == []


# -- 4. folder permissions -------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
def test_every_folder_created_is_private_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    path = tmp_path / "home" / ".config" / "swr-tui" / "config.toml"
    with umask(mask):
        writer.save_profile(path, "dev", {"region": "cn-east-3"})
    for folder in (tmp_path / "home", tmp_path / "home" / ".config", path.parent):
        assert mode(folder) == 0o700, folder
    assert mode(path) == 0o600


@posix_only
def test_an_existing_folder_is_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir()
    os.chmod(folder, 0o755)  # noqa: S103
    writer.save_profile(folder / "config.toml", "dev", {"region": "cn-east-3"})
    assert mode(folder) == 0o755


def test_saving_under_a_regular_file_says_why_and_creates_nothing(tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", "")
    with pytest.raises(ConfigurationError, match=r"Cannot save ~/x/config\.toml: .*not a folder"):
        writer.save_profile(
            blocker / "sub" / "config.toml", "dev", {"region": "cn-east-3"}, shown="~/x/config.toml"
        )
    assert blocker.is_file()
    assert sorted(os.listdir(tmp_path)) == ["isolated-home", "not-a-folder"]


@posix_only
def test_directory_warning_for_a_folder_others_can_write(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    path = folder / "config.toml"
    assert writer.directory_warning(path) is None  # missing: it will be made 0700
    folder.mkdir()
    os.chmod(folder, 0o700)
    assert writer.directory_warning(path) is None
    for loose in (0o777, 0o770, 0o702):
        os.chmod(folder, loose)
        warning = writer.directory_warning(path, shown="~/cfg/config.toml")
        assert warning is not None
        assert "~/cfg is writable by other users" in warning
        assert "[commands]" in warning
        assert "chmod 700 ~/cfg" in warning
    os.chmod(folder, 0o755)  # noqa: S103 - readable is fine; only writing matters
    assert writer.directory_warning(path) is None


@posix_only
def test_directory_warning_looks_at_the_folder_a_symlink_points_into(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # noqa: S103
    folder = tmp_path / "cfg"
    folder.mkdir(mode=0o700)
    (folder / "config.toml").symlink_to(shared / "config.toml")
    warning = writer.directory_warning(folder / "config.toml", shown="~/cfg/config.toml")
    assert warning is not None
    assert f"chmod 700 {shared}" in warning


# -- 5. where default_profile goes -----------------------------------------------------------------


def test_a_new_file_has_the_header_then_default_profile_then_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    writer.save_profile(path, "prod", {"region": "cn-north-4"}, make_default=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == [*HEADER, "", 'default_profile = "prod"', "", "[profiles.prod]", 'region = "cn-north-4"']


def test_default_profile_goes_after_the_header_and_before_other_comments(tmp_path: Path) -> None:
    body = "# the production registry\n[profiles.prod]\nregion = 'cn-north-4'\n"
    path = write(tmp_path / "config.toml", "\n".join(HEADER) + "\n" + body)
    writer.set_default_profile(path, "prod")
    text = path.read_text(encoding="utf-8")
    assert text == "\n".join(HEADER) + '\n\ndefault_profile = "prod"\n\n' + body


def test_default_profile_does_not_glue_onto_the_comment_of_the_first_table(tmp_path: Path) -> None:
    body = "# the production registry\n[profiles.prod]\nregion = 'cn-north-4'\n"
    path = write(tmp_path / "config.toml", "\n" + body)
    writer.set_default_profile(path, "prod")
    assert path.read_text(encoding="utf-8") == '\ndefault_profile = "prod"\n\n' + body


def test_default_profile_goes_after_the_files_opening_comment(tmp_path: Path) -> None:
    body = "# the production registry\n[profiles.prod]\nregion = 'cn-north-4'\n"
    path = write(tmp_path / "config.toml", "# my swr-tui settings\n\n" + body)
    writer.set_default_profile(path, "prod")
    assert path.read_text(encoding="utf-8") == (
        '# my swr-tui settings\n\ndefault_profile = "prod"\n\n' + body
    )


def test_default_profile_before_a_first_table_without_comments(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[profiles.prod]\nregion = 'cn-north-4'\n")
    writer.set_default_profile(path, "prod")
    assert path.read_text(encoding="utf-8") == (
        "default_profile = \"prod\"\n\n[profiles.prod]\nregion = 'cn-north-4'\n"
    )


def test_there_is_only_ever_one_default_profile(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        'default_profile = "dev"  # the safe one\n\n[profiles.dev]\nregion = "cn-east-3"\n',
    )
    writer.save_profile(path, "prod", {"region": "cn-north-4"}, make_default=True)
    writer.set_default_profile(path, "dev")
    writer.save_profile(path, "prod", {"timeout": 30}, make_default=True)
    text = path.read_text(encoding="utf-8")
    assert text.count("default_profile") == 1
    assert text.startswith('default_profile = "prod"  # the safe one\n')
    assert tomllib.loads(text)["profiles"]["prod"] == {"region": "cn-north-4", "timeout": 30}


def test_the_new_file_header_points_to_sections_the_readme_has() -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    headings = {line.lstrip("#").strip() for line in readme.splitlines() if line.startswith("#")}
    named = re.findall(r'"([^"]+)"', writer.NEW_FILE_HEADER)
    assert named, writer.NEW_FILE_HEADER
    for section in named:
        assert section in headings, f"README has no section {section!r}"
