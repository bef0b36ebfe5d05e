"""Image configs that carry the hostile corpus: in env (values and names), labels (keys and
values), the command, the user, the working dir and the history's ``created_by``.

The hostile registry serves one for every tag of ``hostile/tags``: the tag's own config (so its
history still matches its layers) with every corpus string added, the history's as empty steps.
"""

from __future__ import annotations

import json
from typing import Any

from swr_tui.fake.hostile_corpus import CORPUS

HOSTILE_ENV_PREFIX = "HOSTILE_"


def with_hostile_text(config_json: str) -> str:
    """``config_json`` (a config as JSON text) with the corpus in each free-text field."""
    config: dict[str, Any] = json.loads(config_json)
    run = config.setdefault("config", {})
    env = run.setdefault("Env", [])
    labels = run.setdefault("Labels", {})
    history = config.setdefault("history", [])
    for entry in CORPUS:
        env.append(f"{HOSTILE_ENV_PREFIX}{entry.name.upper().replace('-', '_')}={entry.text}")
        env.append(f"{entry.text}=name")
        labels[entry.text] = entry.text
        history.append({"created_by": f"/bin/sh -c #(nop)  LABEL {entry.text}", "empty_layer": True})
    run["Cmd"] = ["echo", *(entry.text for entry in CORPUS)]
    run["User"] = CORPUS[0].text
    run["WorkingDir"] = CORPUS[0].text
    return json.dumps(config, ensure_ascii=False, separators=(",", ":"))
