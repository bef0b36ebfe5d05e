"""swr_tui.private_files: private temporary files renamed into place, the checks around them, and
file-system errors in words."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from swr_tui.private_files import (
    READABLE_BY_OTHERS,
    WRITABLE_BY_OTHERS,
    PrivateFile,
    check_destination,
    describe_os_error,
    open_to_others,
    write_private_text,
)

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder (tmp_path also holds the isolated home directory)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


@posix_only
def test_a_written_file_replaces_the_old_one_and_is_private(folder: Path) -> None:
    target = folder / "config.toml"
    target.write_text("old")
    target.chmod(0o644)
    write_private_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(folder) == ["config.toml"]


@posix_only
def test_the_mode_is_private_whatever_the_umask(folder: Path) -> None:
    old = os.umask(0o277)  # would leave a file its owner cannot write
    try:
        write_private_text(folder / "f.txt", "text")
    finally:
        os.umask(old)
    assert stat.S_IMODE((folder / "f.txt").stat().st_mode) == 0o600


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(folder: Path) -> None:
    target = folder / "f.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        write_private_text(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert os.listdir(folder) == ["f.txt"]


def test_a_discarded_file_leaves_nothing(folder: Path) -> None:
    file = PrivateFile(folder / "f.txt")
    file.out.write("half")
    file.discard()
    file.discard()  # twice is harmless
    assert os.listdir(folder) == []


def test_a_committed_file_appears_only_then(folder: Path) -> None:
    file = PrivateFile(folder / "f.csv", newline="")
    file.out.write("a,b\r\n")
    assert not (folder / "f.csv").exists()
    file.commit()
    assert (folder / "f.csv").read_bytes() == b"a,b\r\n"


@posix_only
def test_open_to_others_reading(folder: Path) -> None:
    path = folder / "credentials"
    path.write_text("")
    path.chmod(0o600)
    assert open_to_others(path, READABLE_BY_OTHERS) is None
    path.chmod(0o640)
    assert open_to_others(path, READABLE_BY_OTHERS) == 0o640
    path.chmod(0o620)  # others may write it, not read it
    assert open_to_others(path, READABLE_BY_OTHERS) is None
    assert open_to_others(folder / "missing", READABLE_BY_OTHERS) is None


@posix_only
def test_open_to_others_writing(folder: Path) -> None:
    path = folder / "config.toml"
    path.write_text("")
    path.chmod(0o644)
    assert open_to_others(path, WRITABLE_BY_OTHERS) is None
    for loose in (0o664, 0o646, 0o602):
        path.chmod(loose)
        assert open_to_others(path, WRITABLE_BY_OTHERS) == loose


@posix_only
def test_open_to_others_of_a_folder(folder: Path) -> None:
    folder.chmod(0o1777)  # the sticky bit is part of the mode shown
    assert open_to_others(folder, WRITABLE_BY_OTHERS, folder=True) == 0o1777
    folder.chmod(0o755)
    assert open_to_others(folder, WRITABLE_BY_OTHERS, folder=True) is None
    file = folder / "file"
    file.write_text("")
    file.chmod(0o666)  # a file where a folder is asked for is not one others can fill
    assert open_to_others(file, WRITABLE_BY_OTHERS, folder=True) is None
    assert open_to_others(file, WRITABLE_BY_OTHERS) == 0o666


def test_destination_checks(tmp_path: Path) -> None:
    check_destination(str(tmp_path / "new.csv"))
    with pytest.raises(FileNotFoundError):
        check_destination(str(tmp_path / "missing" / "new.csv"))
    with pytest.raises(IsADirectoryError):
        check_destination(str(tmp_path))
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError):
        check_destination(str(tmp_path / "file" / "new.csv"))


def test_file_errors_in_words(tmp_path: Path) -> None:
    path = str(tmp_path / "missing" / "t.csv")
    message = describe_os_error(FileNotFoundError(errno.ENOENT, "No such file"), path)
    assert message == f"The folder {tmp_path / 'missing'} does not exist: create it, or choose another path"
    denied = describe_os_error(PermissionError(errno.EACCES, "Permission denied"), str(tmp_path / "t.csv"))
    assert denied.startswith(f"Permission denied writing in {tmp_path}:")
    full = describe_os_error(OSError(errno.ENOSPC, "No space left on device"), path)
    assert "No space left" in full
    other = describe_os_error(OSError(errno.EIO, "Input/output error"), path)
    assert other == f"Cannot write {path}: Input/output error"


def test_describe_a_missing_file_in_an_existing_folder(tmp_path: Path) -> None:
    error = FileNotFoundError(errno.ENOENT, "No such file or directory")
    message = describe_os_error(error, str(tmp_path / "x.csv"))
    assert message == f"Cannot create a file in {tmp_path} (No such file or directory): choose another folder"
