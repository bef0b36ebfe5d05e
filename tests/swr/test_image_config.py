"""parse_image_config and the helpers the Config section, the History view and ``inspect`` read."""

from __future__ import annotations

import json
import shlex
import time
from typing import Any

import pytest

from swr_tui.fake.hostile_corpus import BY_NAME, CORPUS
from swr_tui.swr.errors import SwrError
from swr_tui.swr.image_config import (
    MAX_HISTORY_ENTRIES,
    MAX_LABEL_CHARS,
    ImageConfigError,
    clean_created_by,
    command_line,
    env_file_text,
    labels_json,
    pair_history,
    parse_image_config,
)
from swr_tui.swr.manifest import Descriptor, parse_manifest

NGINX: dict[str, Any] = {
    "architecture": "arm64",
    "os": "linux",
    "variant": "v8",
    "created": "2026-10-01T12:00:00Z",
    "author": "ops@example.com",
    "config": {
        "User": "101:101",
        "WorkingDir": "/srv",
        "Entrypoint": ["/docker-entrypoint.sh"],
        "Cmd": ["nginx", "-g", "daemon off;"],
        "Env": ["PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=1.27.2"],
        "ExposedPorts": {"80/tcp": {}, "443/tcp": {}},
        "Volumes": {"/var/cache/nginx": {}},
        "Labels": {"maintainer": "NGINX <docker@nginx.com>", "org.opencontainers.image.version": "1.27.2"},
        "StopSignal": "SIGQUIT",
    },
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "1" * 64, "sha256:" + "2" * 64]},
    "history": [
        {"created": "2026-09-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:0a1b in / "},
        {"created_by": '/bin/sh -c #(nop)  CMD ["bash"]', "empty_layer": True},
        {"created_by": "/bin/sh -c apt-get update && apt-get install -y nginx", "comment": "base"},
        {"created_by": "/bin/sh -c #(nop)  STOPSIGNAL SIGQUIT", "empty_layer": True},
    ],
}
LAYERS = (
    Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + "a" * 64, 3_000_000),
    Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + "b" * 64, 40_000),
)


def config_with(**changes: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(NGINX))
    document.update(changes)
    return document


# -- what the API sends ---------------------------------------------------------------------------


def test_the_documented_json_string_and_a_plain_object_give_the_same_config() -> None:
    from_string = parse_image_config(json.dumps(NGINX))
    from_object = parse_image_config(NGINX)
    from_bytes = parse_image_config(json.dumps(NGINX).encode())
    assert from_string == from_object == from_bytes
    config = from_string
    assert (config.os, config.architecture, config.variant, config.platform) == (
        "linux",
        "arm64",
        "v8",
        "linux/arm64/v8",
    )
    assert config.user == "101:101"
    assert config.working_dir == "/srv"
    assert config.entrypoint == ("/docker-entrypoint.sh",)
    assert config.cmd == ("nginx", "-g", "daemon off;")
    assert config.env == ("PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=1.27.2")
    assert config.exposed_ports == ("80/tcp", "443/tcp")
    assert config.volumes == ("/var/cache/nginx",)
    assert dict(config.labels)["org.opencontainers.image.version"] == "1.27.2"
    assert config.stop_signal == "SIGQUIT"
    assert config.author == "ops@example.com"
    assert config.created == "2026-10-01T12:00:00Z"
    assert [entry.empty_layer for entry in config.history] == [False, True, False, True]
    assert config.history[2].comment == "base"
    assert config.diff_ids == ("sha256:" + "1" * 64, "sha256:" + "2" * 64)
    assert config.error is None
    assert list(config.to_output()) == [
        "os",
        "architecture",
        "entrypoint",
        "cmd",
        "env",
        "user",
        "working_dir",
        "exposed_ports",
        "volumes",
        "labels",
    ]
    assert config.to_output()["exposed_ports"] == ["80/tcp", "443/tcp"]
    assert config.to_output()["labels"]["maintainer"] == "NGINX <docker@nginx.com>"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("{not json", "is not JSON"),
        ("", "is not JSON"),
        (json.dumps([1, 2]), "a list, not a config object"),
        (json.dumps("a string inside"), 'the string "a string inside", not a config object'),
        (json.dumps(12), "the number 12, not a config object"),
        ([NGINX], "a list, not a config object"),
        (None, "null, not a config object"),
        (b"\x89PNG\r\n", "is not JSON"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_anything_but_a_config_object_is_one_clear_error(body: Any, said: str) -> None:
    with pytest.raises(ImageConfigError) as caught:
        parse_image_config(body)
    assert isinstance(caught.value, SwrError)
    message = str(caught.value)
    assert said in message
    assert "\n" not in message
    assert "Traceback" not in message


def test_odd_fields_fall_back_to_empty_and_are_named() -> None:
    document = config_with(
        os=7,
        architecture=None,
        config={
            "User": ["root"],
            "Entrypoint": "/bin/sh -c 'run me'",
            "Cmd": None,
            "Env": ["A=1", 5, None, {"x": 1}],
            "ExposedPorts": "80/tcp",
            "Volumes": ["/data"],
            "Labels": {"n": 3, "b": True, "ok": "yes"},
        },
        rootfs="layers",
        history=[{"created_by": 12, "empty_layer": "true"}, "step", None],
    )
    config = parse_image_config(document)
    assert config.os == "7"
    assert config.architecture == ""
    assert config.user == ""
    assert config.entrypoint == ("/bin/sh -c 'run me'",)
    assert config.cmd == ()
    assert config.env == ("A=1",)
    assert config.exposed_ports == ()
    assert config.volumes == ("/data",)
    assert config.labels == (("n", "3"), ("b", "true"), ("ok", "yes"))
    assert config.diff_ids == ()
    assert config.history[0].created_by == "12"
    assert config.history[0].empty_layer is True
    assert len(config.history) == 3
    assert config.error is not None
    for named in ("os is the number 7", "history holds 2 steps", "rootfs is the string", "and 3 more"):
        assert named in config.error


def test_a_config_without_its_config_object_still_gives_the_platform() -> None:
    config = parse_image_config({"os": "windows", "architecture": "amd64", "config": None})
    assert config.platform == "windows/amd64"
    assert config.cmd == ()
    assert config.error is None


# -- limits ---------------------------------------------------------------------------------------


def test_ten_thousand_history_steps_are_all_kept_and_paired() -> None:
    steps = [
        {"created_by": f"/bin/sh -c echo {index}", "empty_layer": index % 2 == 1} for index in range(10_000)
    ]
    layers = tuple(Descriptor("x", f"sha256:{index:064x}", index) for index in range(5_000))
    started = time.perf_counter()
    config = parse_image_config(json.dumps(config_with(history=steps, rootfs=None)))
    pairing = pair_history(config, layers)
    elapsed = time.perf_counter() - started
    assert len(config.history) == 10_000
    assert config.history_dropped == 0
    assert pairing.matches
    assert pairing.steps[-2].layer == layers[-1]
    assert pairing.steps[-2].instruction == "RUN echo 9998"
    assert pairing.steps[-1].layer is None
    assert elapsed < 5


@pytest.mark.parametrize("wrap", [str, str.encode, json.dumps])
def test_a_config_past_the_size_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch, wrap: Any) -> None:
    from swr_tui.swr import image_config

    text = json.dumps(NGINX)
    monkeypatch.setattr(image_config, "MAX_CONFIG_CHARS", len(text) - 1)
    with pytest.raises(
        ImageConfigError, match=r"is [\d,]+ (characters|bytes), more than the [\d,]+ swr-tui reads"
    ):
        parse_image_config(wrap(text))


def test_a_history_past_the_limit_is_cut_counted_and_not_paired() -> None:
    extra = 7
    steps = [{"created_by": "x", "empty_layer": True}] * (MAX_HISTORY_ENTRIES + extra)
    config = parse_image_config(config_with(history=steps, rootfs=None))
    assert len(config.history) == MAX_HISTORY_ENTRIES
    assert config.history_dropped == extra
    pairing = pair_history(config, ())
    assert not pairing.matches
    assert f"{extra:,} more" in pairing.mismatch


def test_two_megabytes_of_labels_are_all_kept() -> None:
    labels = {f"com.example.label{index}": "v" * 2_000 for index in range(1_000)}
    config = parse_image_config(json.dumps(config_with(config={"Labels": labels})))
    assert len(config.labels) == 1_000
    assert config.labels_dropped == 0
    assert json.loads(labels_json(config)) == labels


def test_labels_past_the_limit_are_cut_whole_and_counted() -> None:
    value = "v" * (MAX_LABEL_CHARS // 4)
    labels = {f"l{index}": value for index in range(6)}
    config = parse_image_config(config_with(config={"Labels": labels}))
    assert [key for key, _ in config.labels] == ["l0", "l1", "l2"]
    assert all(text == value for _, text in config.labels)
    assert config.labels_dropped == 3


# -- history and layers ---------------------------------------------------------------------------


def test_non_empty_steps_pair_with_the_layers_in_order() -> None:
    pairing = pair_history(parse_image_config(NGINX), LAYERS)
    assert pairing.matches
    assert pairing.mismatch == ""
    assert [step.layer for step in pairing.steps] == [LAYERS[0], None, LAYERS[1], None]
    assert [step.instruction for step in pairing.steps] == [
        "ADD file:0a1b in /",
        'CMD ["bash"]',
        "RUN apt-get update && apt-get install -y nginx",
        "STOPSIGNAL SIGQUIT",
    ]


def test_pairing_against_a_parsed_manifest() -> None:
    manifest = parse_manifest(
        json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {
                    "mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": "sha256:" + "c" * 64,
                    "size": 9,
                },
                "layers": [layer._asdict() | {"mediaType": layer.media_type} for layer in LAYERS],
            }
        )
    )
    assert len(manifest.layers) == 2
    pairing = pair_history(parse_image_config(NGINX), manifest.layers)
    assert [step.layer.digest for step in pairing.steps if step.layer] == [LAYERS[0].digest, LAYERS[1].digest]


@pytest.mark.parametrize(
    ("layer_count", "steps_say"), [(1, "2 steps make layers, the manifest has 1"), (3, "has 3 layers")]
)
def test_a_history_longer_or_shorter_than_the_layers_pairs_nothing(layer_count: int, steps_say: str) -> None:
    layers = tuple(Descriptor("x", f"sha256:{index:064x}", 1) for index in range(layer_count))
    pairing = pair_history(parse_image_config(config_with(rootfs=None)), layers)
    assert not pairing.matches
    assert "does not match" in pairing.mismatch
    assert steps_say in pairing.mismatch
    assert all(step.layer is None for step in pairing.steps)
    assert len(pairing.steps) == 4  # the steps are still shown, only unpaired


def test_rootfs_that_disagrees_with_the_layers_pairs_nothing() -> None:
    config = parse_image_config(config_with(rootfs={"diff_ids": ["sha256:" + "1" * 64]}, history=[]))
    pairing = pair_history(config, LAYERS)
    assert not pairing.matches
    assert "lists 1 layers (rootfs), the manifest 2" in pairing.mismatch


@pytest.mark.parametrize(
    ("created_by", "shown"),
    [
        ("/bin/sh -c #(nop)  ENV A=1", "ENV A=1"),
        ("/bin/sh -c #(nop) WORKDIR /srv", "WORKDIR /srv"),
        ("/bin/sh -c make install", "RUN make install"),
        ("|2 VERSION=1 TARGET=x /bin/sh -c make", "RUN make"),
        ("RUN /bin/sh -c apk add curl # buildkit", "RUN apk add curl"),
        ("RUN |1 A=b /bin/sh -c go build # buildkit", "RUN go build"),
        ('CMD ["nginx"]', 'CMD ["nginx"]'),
        ("COPY . /app # buildkit", "COPY . /app"),
        ("", ""),
    ],
)
def test_created_by_reads_like_a_dockerfile_line(created_by: str, shown: str) -> None:
    assert clean_created_by(created_by) == shown


# -- copy and display helpers ---------------------------------------------------------------------


def test_entrypoint_and_cmd_are_one_shell_command_line() -> None:
    config = parse_image_config(NGINX)
    line = command_line(config)
    assert line == "/docker-entrypoint.sh nginx -g 'daemon off;'"
    assert shlex.split(line) == [*config.entrypoint, *config.cmd]


def test_env_as_a_dotenv_file() -> None:
    config = parse_image_config(
        config_with(
            config={"Env": ["PLAIN=a/b:c", "SPACE=a b", "DOLLAR=$HOME", "QUOTE=it's", "EMPTY=", "BARE"]}
        )
    )
    assert env_file_text(config) == (
        "PLAIN=a/b:c\nSPACE='a b'\nDOLLAR='$HOME'\nQUOTE=\"it's\"\nEMPTY=\nBARE=\n"
    )


@pytest.mark.parametrize("entry", CORPUS, ids=lambda entry: entry.name)
def test_hostile_text_stays_data_and_never_adds_a_line(entry: Any) -> None:
    document = config_with(
        config={
            "Env": [f"HOSTILE={entry.text}", f"{entry.text}=1"],
            "Labels": {entry.text: entry.text},
            "Cmd": ["echo", entry.text],
        },
        history=[{"created_by": f"/bin/sh -c #(nop)  LABEL x={entry.text}"}],
        rootfs=None,
    )
    config = parse_image_config(json.dumps(document))
    assert config.env[0] == f"HOSTILE={entry.text}"
    assert dict(config.labels)[entry.text] == entry.text
    assert config.history[0].created_by.endswith(entry.text)
    assert clean_created_by(config.history[0].created_by) == f"LABEL x={entry.text}".strip()
    env_text = env_file_text(config)
    assert env_text.count("\n") == 2
    for raw in entry.raw:
        assert raw not in env_text.encode("utf-8", "surrogatepass")
        assert raw not in labels_json(config).encode("utf-8", "surrogatepass")
    assert json.loads(labels_json(config)) == {entry.text: entry.text}
    assert shlex.split(command_line(config)) == ["echo", entry.text]


def test_osc52_in_env_is_escaped_in_the_dotenv_text() -> None:
    osc = BY_NAME["osc52"].text
    config = parse_image_config(config_with(config={"Env": [f"TOKEN={osc}"]}))
    assert env_file_text(config) == f"TOKEN={json.dumps(osc)}\n"
    assert "\x1b" not in env_file_text(config)
