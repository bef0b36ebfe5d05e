"""swr_tui.commands: reading [commands.NAME], expanding placeholders, running in the foreground.

The security claims are checked by running things: a hostile tag in a shell command is handed to a
real /bin/sh and must arrive as one argument with no side effect; a hostile tag in argv mode reaches a
real program byte for byte.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import string
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.keys import _character_to_key

from swr_tui.commands import (
    PLACEHOLDERS,
    RESERVED_KEYS,
    SHELL,
    CommandRefused,
    ExternalCommand,
    character_key,
    describe_exit,
    expand,
    key_label,
    normalize_key,
    parse_commands,
    program_missing,
    run_foreground,
    values_for,
)
from swr_tui.safe_text import is_clean
from swr_tui.swr.errors import ConfigurationError
from swr_tui.swr.models import Tag

SHOWN = "~/.config/swr-tui/config.toml"
PATH = "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v2.4.1"
VALUES: dict[str, Optional[str]] = {
    "path": PATH,
    "internal_path": "100.125.0.198:20202/acme/webapp:v2.4.1",
    "digest": "sha256:" + "ab" * 32,
    "namespace": "acme",
    "repo": "webapp",
    "tag": "v2.4.1",
}


def parse_one(table: dict[str, Any], name: str = "dive") -> ExternalCommand:
    (command,) = parse_commands({name: table}, SHOWN)
    return command


def refusal(table: dict[str, Any], name: str = "dive") -> str:
    with pytest.raises(ConfigurationError) as caught:
        parse_commands({name: table}, SHOWN)
    message = str(caught.value)
    assert SHOWN in message, message
    assert f"[commands.{name}]" in message, message
    return message


def refused(command: ExternalCommand, **values: Optional[str]) -> str:
    with pytest.raises(CommandRefused) as caught:
        expand(command, {**VALUES, **values})
    message = str(caught.value)
    assert message.startswith(f"{command.name} not run: "), message
    return message


# -- parsing ---------------------------------------------------------------------------------------


def test_the_three_forms_of_the_issue() -> None:
    commands = parse_commands(
        {
            "dive": {
                "key": "D",
                "run": ["dive", "{path}"],
                "description": " Explore the layers ",
                "pause": False,
            },
            "trivy": {"key": "T", "run": "trivy image --severity HIGH,CRITICAL {path}"},
            "labels": {"shell": "skopeo inspect docker://{path} | jq .Labels | less"},
        },
        SHOWN,
    )
    assert commands == (
        ExternalCommand("dive", ("dive", "{path}"), key="D", pause=False, description="Explore the layers"),
        ExternalCommand("trivy", ("trivy", "image", "--severity", "HIGH,CRITICAL", "{path}"), key="T"),
        ExternalCommand(  # noqa: S604 - the command's own shell flag, not subprocess's
            "labels", "skopeo inspect docker://{path} | jq .Labels | less", shell=True, pause=True
        ),
    )
    assert [command.display for command in commands] == [
        "dive {path}",
        "trivy image --severity HIGH,CRITICAL {path}",
        "skopeo inspect docker://{path} | jq .Labels | less",
    ]
    assert commands[2].key is None  # palette only
    assert commands[0].placeholders == ("path",)


def test_no_commands_table_means_no_commands() -> None:
    assert parse_commands(None, SHOWN) == ()
    assert parse_commands({}, SHOWN) == ()


def test_a_run_string_is_split_like_a_shell_would_but_no_shell_runs() -> None:
    command = parse_one({"run": """trivy image --format 'template' --template "{{{{ .Target }}}}" {path}"""})
    assert command.template == (
        "trivy",
        "image",
        "--format",
        "template",
        "--template",
        "{{{{ .Target }}}}",
        "{path}",
    )
    assert expand(command, VALUES) == [
        "trivy",
        "image",
        "--format",
        "template",
        "--template",
        "{{ .Target }}",
        PATH,
    ]
    assert command.display == "trivy image --format template --template '{{{{ .Target }}}}' {path}"


def test_placeholders_are_substituted_inside_one_argument_and_braces_escape() -> None:
    command = parse_one(
        {"run": ["crane", "--image={path}", "{namespace}/{repo}@{digest}", "{{tag}}", "}}{tag}{{"]}
    )
    assert expand(command, VALUES) == [
        "crane",
        f"--image={PATH}",
        f"acme/webapp@sha256:{'ab' * 32}",
        "{tag}",
        "}v2.4.1{",
    ]
    assert command.placeholders == ("path", "namespace", "repo", "digest", "tag")


def test_an_empty_argument_stays_an_empty_argument() -> None:
    assert expand(parse_one({"run": ["echo", "", "{tag}", ""]}), VALUES) == ["echo", "", "v2.4.1", ""]
    assert expand(parse_one({"run": "echo '' {tag}"}), VALUES) == ["echo", "", "v2.4.1"]


def test_values_are_substituted_literally_never_formatted_again() -> None:
    command = parse_one({"run": ["echo", "{tag}", "x{tag}y"]})
    for value in ("{path}", "{0}", "%s %n", "{{}}", "{path.__class__}", "$HOME", "`id`", "a b  c", "*"):
        assert expand(command, {**VALUES, "tag": value}) == ["echo", value, f"x{value}y"]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"run": ["dive", "{path.__class__}"]}, "{path.__class__} is not allowed"),
        ({"run": ["dive", "{path[0]}"]}, "{path[0]} is not allowed"),
        ({"run": ["dive", "{tag.__init__.__globals__}"]}, "is not allowed"),
        ({"run": ["dive", "{path!r}"]}, "{path!r} is not allowed"),
        ({"run": ["dive", "{path:>10}"]}, "{path:>10} is not allowed"),
        ({"run": ["dive", "{path:{tag}}"]}, "is not allowed"),
        ({"run": ["dive", "{}"]}, "unknown placeholder {}"),
        ({"run": ["dive", "{0}"]}, "unknown placeholder {0}"),
        ({"run": ["dive", "{image}"]}, "unknown placeholder {image}"),
        ({"run": ["dive", "{"]}, "unmatched brace"),
        ({"run": ["dive", "}"]}, "unmatched brace"),
        ({"run": ["dive", "{path"]}, "unmatched brace"),
        ({"shell": "echo {Path}"}, "unknown placeholder {Path}"),
        ({"run": []}, "run is empty"),
        ({"run": ""}, "run is empty"),
        ({"run": "   "}, "run is empty"),
        ({"run": "dive 'unclosed {path}"}, "cannot be split"),
        ({"run": ["dive", 5]}, "every item of run must be a string"),
        ({"run": {"program": "dive"}}, "run must be a list"),
        ({"run": ["dive", "a\x00b"]}, "NUL"),
        ({"run": ["{tag}"]}, "the program '{tag}' holds a placeholder"),
        ({"run": "/opt/{namespace}/bin/scan {path}"}, "holds a placeholder"),
        ({"shell": ""}, "shell is empty"),
        ({"shell": ["sh", "-c", "x"]}, "shell must be a string"),
        ({"shell": "echo a\x00b"}, "NUL"),
        ({"run": ["dive"], "shell": "dive"}, "needs exactly one of run"),
        ({"description": "nothing to run"}, "needs exactly one of run"),
        ({"run": ["dive"], "kee": "D"}, "unknown key 'kee'"),
        ({"run": ["dive"], "args": [], "env": {}}, "unknown keys 'args', 'env'"),
        ({"run": ["dive"], "pause": "no"}, "pause must be true or false"),
        ({"run": ["dive"], "description": 3}, "description must be a string"),
        ({"run": ["dive"], "key": 4}, "key must be a string"),
        ({"run": ["dive"], "key": ""}, "it is empty"),
        ({"run": ["dive"], "key": "foo"}, "'foo' is not a key name"),
        ({"run": ["dive"], "key": "ctrl+foo"}, "'foo' is not a key name"),
        ({"run": ["dive"], "key": "cmd+d"}, "'cmd' is not a modifier"),
        ({"run": ["dive"], "key": "ctrl+ctrl+d"}, "a modifier is repeated"),
        ({"run": ["dive"], "key": "ctrl+D"}, "write ctrl+d"),
        ({"run": ["dive"], "key": " D"}, "spaces around it"),
        ({"run": ["dive"], "key": "\x1b"}, "'\\x1b' is not a key"),
        ({"run": ["dive"], "key": "\t"}, "not a key you can press"),
        ({"run": ["dive"], "key": "D,E"}, "not a key"),
    ],
)
def test_refused_when_the_file_is_read(table: dict[str, Any], expected: str) -> None:
    assert expected in refusal(table)


def test_an_unknown_placeholder_lists_the_six() -> None:
    message = refusal({"run": ["dive", "{image}"]})
    assert "{path}, {internal_path}, {digest}, {namespace}, {repo} or {tag}" in message
    assert "{{ and }}" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [([], "commands must be tables"), ("dive {path}", "commands must be tables")],
)
def test_commands_must_be_a_table_of_tables(value: Any, expected: str) -> None:
    with pytest.raises(ConfigurationError, match=expected):
        parse_commands(value, SHOWN)
    assert "[commands.dive] must be a table" in refusal("dive {path}")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", "-x", "with space", "a[b]", "x" * 41, "é", "a\x1bb"])
def test_command_names_are_plain(name: str) -> None:
    with pytest.raises(ConfigurationError, match="must be letters, digits") as caught:
        parse_commands({name: {"run": ["dive"]}}, SHOWN)
    assert "\x1b" not in str(caught.value)


# -- keys ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelled", "key"),
    [
        ("D", "D"),
        ("x", "x"),
        ("1", "1"),
        ("!", "exclamation_mark"),
        ("exclamation_mark", "exclamation_mark"),
        ("+", "plus"),
        ("F5", "f5"),
        ("f12", "f12"),
        ("ctrl+l", "ctrl+l"),
        ("Ctrl+l", "ctrl+l"),
        ("shift+ctrl+up", "ctrl+shift+up"),
        ("alt+x", "alt+x"),
        ("ctrl+!", "ctrl+exclamation_mark"),
        ("delete", "delete"),
        ("left", "left"),
    ],
)
def test_keys_become_textual_key_names(spelled: str, key: str) -> None:
    assert normalize_key(spelled) == key
    assert parse_one({"key": spelled, "run": ["dive"]}).key == key


def test_character_keys_are_named_as_textual_names_them() -> None:
    for character in string.ascii_letters + string.digits + string.punctuation + " ":
        assert character_key(character) == _character_to_key(character), character
    assert key_label("question_mark") == "?"
    assert key_label("ctrl+exclamation_mark") == "ctrl+!"
    assert key_label("f5") == "f5"


@pytest.mark.parametrize("key", sorted(RESERVED_KEYS))
def test_swr_tuis_own_keys_are_refused(key: str) -> None:
    message = refusal({"key": key_label(key), "run": ["dive"]})
    assert "is one of swr-tui's own keys" in message
    assert "taken: / = ? [ ] A c d G g h i j k P p q R r s t v w y z" in message


@pytest.mark.parametrize(("key", "same"), [("ctrl+i", "tab"), ("ctrl+m", "enter"), ("ctrl+[", "escape")])
def test_keys_a_terminal_cannot_tell_from_reserved_ones_are_refused(key: str, same: str) -> None:
    assert f"the same key as {same}" in refusal({"key": key, "run": ["dive"]})


def test_case_matters_for_letters() -> None:
    assert parse_one({"key": "D", "run": ["dive"]}).key == "D"  # d copies the digest; D is free
    assert parse_one({"key": "J", "run": ["dive"]}).key == "J"
    assert "own keys" in refusal({"key": "G", "run": ["dive"]})  # G is the last tag


def test_two_commands_cannot_share_a_key() -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_commands({"dive": {"key": "D", "run": ["dive"]}, "dust": {"key": "D", "run": ["dust"]}}, SHOWN)
    assert str(caught.value) == (f"In {SHOWN}: [commands.dust] key 'D' is already the key of [commands.dive]")
    with pytest.raises(ConfigurationError, match="already the key of"):
        parse_commands(
            {"a": {"key": "ctrl+space", "run": ["a"]}, "b": {"key": "ctrl+at", "run": ["b"]}}, SHOWN
        )
    assert (
        len(parse_commands({"a": {"key": "D", "run": ["a"]}, "b": {"key": "ctrl+d", "run": ["b"]}}, SHOWN))
        == 2
    )


# -- shell scripts: where quoting cannot protect ---------------------------------------------------


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("echo '{tag}'", "{tag} is inside quotes"),
        ('echo "{tag}"', "{tag} is inside quotes"),
        ('echo "image: {path}"', "{path} is inside quotes"),
        ("echo $'{tag}'", "{tag} is inside quotes"),
        ("echo \\{tag}", "{tag} follows a backslash"),
        ("cat <<EOF\n{tag}\nEOF", "here-document"),
        ("cat <<-'EOF'\n{tag}\nEOF", "here-document"),
        ("echo 'unclosed {tag}", "inside quotes"),
        ("echo 'unclosed", "a quote is never closed"),
    ],
)
def test_shell_scripts_that_would_undo_the_quoting_are_refused(script: str, expected: str) -> None:
    assert expected in refusal({"shell": script})


@pytest.mark.parametrize(
    "script",
    [
        "echo {tag} 'it''s' \"quoted $HOME\" {path}",
        "echo \\'{tag}",  # the backslash escapes the quote, not the placeholder
        "echo 'a' {tag} # it's a comment with {path} and 'quotes",
        "cat <<< {tag}",
        'x=$(echo {tag}) && echo "$x"',
        "printf '%s\\n' {{literal}} {tag}",
    ],
)
def test_shell_scripts_with_bare_placeholders_are_accepted(script: str) -> None:
    assert parse_one({"shell": script}).shell


# -- expanding -------------------------------------------------------------------------------------


def test_values_for_a_tag() -> None:
    tag = Tag(
        name="v1", digest="sha256:1", path="reg/acme/team/app:v1", internal_path="10.0.0.1/acme/team/app:v1"
    )
    assert values_for(tag, "acme", "team/app") == {
        "path": "reg/acme/team/app:v1",
        "internal_path": "10.0.0.1/acme/team/app:v1",
        "digest": "sha256:1",
        "namespace": "acme",
        "repo": "team/app",
        "tag": "v1",
    }
    assert set(values_for(tag, "a", "b")) == set(PLACEHOLDERS)


def test_a_missing_value_says_which_one() -> None:
    command = parse_one({"run": ["crane", "pull", "{internal_path}", "x.tar"]})
    message = refused(command, internal_path="")
    assert "internal (in-VPC) pull path ({internal_path})" in message
    assert "this tag has none" in message
    assert "digest ({digest})" in refused(parse_one({"shell": "echo {digest}"}), digest=None)
    assert expand(command, {**VALUES, "path": ""})[2] == VALUES["internal_path"]  # unused: no matter
    assert "({tag})" in refused(command.__class__("x", ("echo", "{tag}")), tag=None)
    assert "({repo})" in refused(parse_one({"run": ["echo", "{repo}"]}), repo="")
    with pytest.raises(CommandRefused, match=r"\{namespace\}"):
        expand(parse_one({"run": ["echo", "{namespace}"]}), {})


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("v1\x00", "\\x00"),
        ("v1\x1b]52;c;UFdORUQ=\x07", "\\x1b"),
        ("v1\nrm -rf ~", "\\n"),
        ("v1\rfake", "\\r"),
        ("v1\tx", "\\t"),
        ("v1\x7f", "\\x7f"),
        ("v1\x9b31m", "\\x9b"),
        ("PWNED-\u202eRLO", "\\u202e"),
        ("\u2067x\u2069", "\\u2067"),
        ("v1\u200b", "\\u200b"),
        ("v1\u2028", "\\u2028"),
    ],
)
@pytest.mark.parametrize("shell", [False, True])
def test_control_characters_in_a_value_are_refused(value: str, shown: str, shell: bool) -> None:
    command = parse_one({"shell": "echo {tag}"} if shell else {"run": ["echo", "{tag}"]})
    message = refused(command, tag=value)
    assert "the tag name holds control or invisible characters" in message
    assert shown in message
    assert all(ord(char) >= 0x20 and char != "\x7f" for char in message)


@pytest.mark.parametrize(
    "template",
    [["scan", "{tag}"], ["scan", "{tag}.tar"], ["scan", "{tag}{path}"], ["scan", "--", "x", "{tag}"]],
)
def test_a_value_that_would_start_an_option_is_refused(template: list[str]) -> None:
    command = parse_one({"run": template})
    message = refused(command, tag="--output=/etc/x")
    assert "the tag name --output=/etc/x starts with '-'" in message
    assert "option" in message
    assert "starts with '-'" in refused(command, tag="-rf")


def test_a_dash_inside_an_argument_is_not_an_option() -> None:
    command = parse_one({"run": ["scan", "--tag={tag}", "x{tag}", "-{tag}"]})
    assert expand(command, {**VALUES, "tag": "-x"}) == ["scan", "--tag=-x", "x-x", "--x"]


def test_in_a_shell_a_dash_value_is_refused_where_it_would_start_a_word() -> None:
    assert "starts with '-'" in refused(parse_one({"shell": "skopeo inspect {tag}"}), tag="--x")
    assert "starts with '-'" in refused(parse_one({"shell": "a | b;{tag}"}), tag="-x")
    assert expand(parse_one({"shell": "scan --tag={tag}"}), {**VALUES, "tag": "-x"}) == [
        SHELL,
        "-c",
        "scan --tag=-x",
    ]


def test_the_program_may_start_with_a_tilde() -> None:
    command = parse_one({"run": ["~/bin/scan", "{tag}"]})
    assert expand(command, VALUES) == [os.path.expanduser("~/bin/scan"), "v2.4.1"]


def test_a_command_built_in_code_is_checked_when_expanded() -> None:
    assert "is not allowed" in refused(ExternalCommand("x", ("echo", "{tag!r}")))
    assert "holds a placeholder" in refused(ExternalCommand("x", ("{tag}",)))
    assert "inside quotes" in refused(ExternalCommand("x", "echo '{tag}'", shell=True))  # noqa: S604
    assert "one script" in refused(ExternalCommand("x", ("echo", "{tag}"), shell=True))  # noqa: S604


@given(st.text(min_size=1).filter(lambda text: is_clean(text) and not text.startswith("-")))
def test_any_clean_value_arrives_as_exactly_one_argument(value: str) -> None:
    argv_command = ExternalCommand("x", ("scan", "{tag}", "--image={path}"))
    argv = expand(argv_command, {**VALUES, "tag": value, "path": value})
    assert argv == ["scan", value, f"--image={value}"]
    shell_command = ExternalCommand("x", "scan {tag} --image={path} | cat", shell=True)  # noqa: S604
    script = expand(shell_command, {**VALUES, "tag": value, "path": value})[2]
    assert shlex.split(script) == ["scan", value, f"--image={value}", "|", "cat"]


# -- the proof: hostile values through a real /bin/sh and a real program --------------------------

HOSTILE_TAGS = [
    "x; rm -rf ~",
    "x; touch {pwned}",
    "$(touch {pwned})",
    "`touch {pwned}`",
    "'; touch {pwned}; '",
    '"; touch {pwned}; "',
    "x && touch {pwned}",
    "x | touch {pwned}",
    "x > {pwned}",
    "${{IFS}}touch${{IFS}}{pwned}",
    "x'\"'\"'; touch {pwned} #",
    "\\'; touch {pwned}; \\'",
    "*",
    "~",
    "$HOME",
]

ARGS_WRITER = "import json, sys; json.dump(sys.argv[2:], open(sys.argv[1], 'w'))"


@pytest.fixture
def sandbox(tmp_path: Path) -> dict[str, Path]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "canary").write_text("still here", encoding="utf-8")
    writer = tmp_path / "write_args.py"
    writer.write_text(ARGS_WRITER, encoding="utf-8")
    return {"home": home, "writer": writer, "out": tmp_path / "args.json", "pwned": tmp_path / "pwned"}


def run_in(sandbox: dict[str, Path], argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(sandbox["home"])}
    return subprocess.run(argv, cwd=sandbox["home"], env=env, capture_output=True, timeout=20, check=False)  # noqa: S603


@pytest.mark.parametrize("hostile", HOSTILE_TAGS)
def test_a_hostile_tag_in_a_shell_command_is_one_quoted_word(sandbox: dict[str, Path], hostile: str) -> None:
    tag = hostile.format(pwned=sandbox["pwned"])
    program = shlex.join([sys.executable, str(sandbox["writer"]), str(sandbox["out"])])
    script = f"{program} {{tag}} {{path}} | cat"
    command = parse_one({"shell": script})
    argv = expand(command, {**VALUES, "tag": tag})
    assert argv[:2] == [SHELL, "-c"]
    assert shlex.split(argv[2])[3:5] == [tag, PATH]

    result = run_in(sandbox, argv)

    assert result.returncode == 0, result.stderr
    assert json.loads(sandbox["out"].read_text(encoding="utf-8")) == [tag, PATH]
    assert not sandbox["pwned"].exists()
    assert (sandbox["home"] / "canary").read_text(encoding="utf-8") == "still here"


@pytest.mark.parametrize("hostile", [*HOSTILE_TAGS, "a b", "", "é镜像", "x\\"])
def test_a_hostile_tag_in_argv_mode_reaches_the_program_byte_for_byte(
    sandbox: dict[str, Path], hostile: str
) -> None:
    tag = hostile.format(pwned=sandbox["pwned"]) or "{}"
    command = parse_one(
        {"run": [sys.executable, str(sandbox["writer"]), str(sandbox["out"]), "{tag}", "tag={tag}"]}
    )
    argv = expand(command, {**VALUES, "tag": tag})

    result = run_in(sandbox, argv)

    assert result.returncode == 0, result.stderr
    assert json.loads(sandbox["out"].read_text(encoding="utf-8")) == [tag, f"tag={tag}"]
    assert not sandbox["pwned"].exists()
    assert (sandbox["home"] / "canary").exists()


# -- running ---------------------------------------------------------------------------------------


def test_program_missing(tmp_path: Path) -> None:
    assert program_missing(["dive", "x"], path=str(tmp_path)) == "dive: command not found on PATH"
    program = tmp_path / "dive"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    assert (
        program_missing(["dive"], path=str(tmp_path)) == "dive: command not found on PATH"
    )  # not executable
    program.chmod(0o755)
    assert program_missing(["dive", "x"], path=str(tmp_path)) is None
    assert (
        program_missing([str(tmp_path / "nope")])
        == f"{tmp_path / 'nope'}: no such program (or it is not executable)"
    )
    assert program_missing([SHELL, "-c", "x"]) is None


def test_describe_exit() -> None:
    assert describe_exit("dive", 0) == "dive exited with status 0"
    assert describe_exit("dive", 3) == "dive exited with status 3"
    assert describe_exit("dive", -signal.SIGINT) == "dive was ended by SIGINT"
    assert describe_exit("dive", -200) == "dive was ended by signal 200"


class Captured:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def in_thread(function: Any, timeout: float = 10.0) -> Any:
    """Run ``function`` in a thread; fail (rather than hang the suite) if it does not return."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(function()), daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "it hung"
    return result[0]


def test_run_foreground_returns_the_status_and_waits_for_enter() -> None:
    read_end, write_end = os.pipe()
    out = Captured()
    try:
        os.write(write_end, b"\nleft for the app")
        status = in_thread(
            lambda: run_foreground(
                python("raise SystemExit(3)"), pause=True, name="scan", terminal_in=read_end, terminal_out=out
            )
        )  # type: ignore[arg-type]
        assert status == 3
        assert out.text == "\n[swr-tui] scan exited with status 3. Press Enter to return to swr-tui."
        assert os.read(read_end, 100) == b"left for the app"  # only the line with Enter was read
    finally:
        os.close(read_end)
        os.close(write_end)


@pytest.mark.parametrize("answer", [b"", b"\r"])
def test_the_pause_ends_on_eof_or_a_carriage_return(answer: bytes) -> None:
    read_end, write_end = os.pipe()
    out = Captured()
    try:
        os.write(write_end, answer)
        if not answer:
            os.close(write_end)
        status = in_thread(
            lambda: run_foreground(
                python("pass"), pause=True, name="scan", terminal_in=read_end, terminal_out=out
            )
        )  # type: ignore[arg-type]
        assert status == 0
        assert "scan exited with status 0. Press Enter" in out.text
    finally:
        os.close(read_end)
        if answer:
            os.close(write_end)


def test_without_pause_nothing_is_asked_and_nothing_is_read() -> None:
    read_end, write_end = os.pipe()  # nothing is ever written: a read would hang
    out = Captured()
    try:
        status = in_thread(
            lambda: run_foreground(
                python("import os; os.kill(os.getpid(), 15)"),
                pause=False,
                name="scan",
                terminal_in=read_end,
                terminal_out=out,
            )
        )  # type: ignore[arg-type]
        assert status == -signal.SIGTERM
        assert out.text == ""
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_program_that_cannot_start_is_a_status_not_an_exception(tmp_path: Path) -> None:
    script = tmp_path / "not-executable"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    out = Captured()
    assert run_foreground([str(script)], pause=False, name="x", terminal_out=out) == 126  # type: ignore[arg-type]
    assert "[swr-tui] x: Permission denied" in out.text
    assert run_foreground([str(tmp_path / "gone")], pause=False, name="y", terminal_out=out) == 127  # type: ignore[arg-type]
    assert "[swr-tui] y: No such file or directory" in out.text


def test_ctrl_c_stops_the_command_not_swr_tui(tmp_path: Path) -> None:
    """ctrl+c in a terminal signals the whole foreground process group: swr-tui and the command."""
    marker = tmp_path / "child-started"
    parent = textwrap.dedent(
        f"""
        import os, signal, sys
        from swr_tui.commands import run_foreground
        signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever the test runner left
        child = (
            "import os, signal, time; open({str(marker)!r}, 'w').close(); "
            "os.killpg(0, signal.SIGINT); time.sleep(5)"
        )
        status = run_foreground([sys.executable, "-c", child], pause=False, name="child")
        print("STATUS", status, signal.getsignal(signal.SIGINT) is signal.default_int_handler, flush=True)
        """
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", parent],
        capture_output=True,
        text=True,
        timeout=30,
        start_new_session=True,
        check=False,
    )
    assert marker.exists()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"STATUS {-signal.SIGINT} True"


# -- the grammar check: values a re-parsing program could be fooled by never reach a command ---------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tag", "a;id"),
        ("tag", "$(id)"),
        ("tag", "v1 2"),
        ("tag", "x" * 129),
        ("tag", ".hidden"),
        ("digest", "sha256:abc;id"),
        ("digest", "sha256"),
        ("path", "swr.example.com/ns/app:v1;id"),
        ("path", "swr.example.com/ns/app:v1 --rm"),
        ("internal_path", "10.0.0.1:20202/ns/app:`id`"),
        ("namespace", "ns$HOME"),
        ("repo", "team/../app;x"),
        ("repo", "team//app"),
    ],
)
def test_values_outside_the_image_grammar_are_refused(field: str, value: str) -> None:
    from swr_tui.commands import check_values

    command = parse_commands(
        {"ssh": {"run": ["ssh", "build-host", "trivy", "image", f"{{{field}}}"]}}, "c.toml"
    )[0]
    values = {name: "ok" for name in ("namespace", "repo", "tag")}
    values.update(
        {
            "path": "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v1",
            "internal_path": "100.125.0.198:20202/acme/webapp:v1",
            "digest": "sha256:" + "a" * 64,
        }
    )
    check_values(command, values)  # the well-formed ones pass
    values[field] = value
    with pytest.raises(CommandRefused, match="is not a valid image reference"):
        check_values(command, values)


def test_real_world_values_pass_the_grammar() -> None:
    from swr_tui.commands import check_values

    command = parse_commands(
        {"all": {"run": ["x", "{path}", "{internal_path}", "{digest}", "{namespace}", "{repo}", "{tag}"]}},
        "c.toml",
    )[0]
    check_values(
        command,
        {
            "path": "swr.eu-west-101.myhuaweicloud.eu/acme-dev/team/app_x:v1.2.3-rc.1",
            "internal_path": "100.125.0.198:20202/acme-dev/team/app_x:v1.2.3-rc.1",
            "digest": "sha256:" + "0123456789abcdef" * 4,
            "namespace": "acme-dev",
            "repo": "team/app_x",
            "tag": "sha256-" + "ab" * 32 + ".sig",
        },
    )
