"""The hostile registry's Enterprise Edition: the corpus (``hostile_corpus``) in every field the
enterprise calls send.

- one ``Unavailable`` instance per corpus string, named, described and spec'd with it;
- a Running instance ``hostile-ee`` whose namespace ``hostile`` holds repository ``tags``: one
  artifact per corpus string, tagged with it, each with a vulnerability report whose CVE ids,
  packages and descriptions carry every string.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from swr_tui.fake.enterprise_data import (
    Enterprise,
    FakeArtifact,
    FakeInstance,
    FakeNamespace,
    FakeRepository,
    digest_of,
)
from swr_tui.fake.hostile_corpus import CORPUS, HOSTILE_NAMESPACE, TAGS_REPO

HOSTILE_INSTANCE_ID = "0d15ea5e-0000-4bad-8bad-000000000bad"
HOSTILE_INSTANCE = "hostile-ee"


def hostile_artifact_digest(number: int) -> str:
    return digest_of("hostile", number)


def with_hostile_instances(base: Enterprise) -> Enterprise:
    texts = tuple(entry.text for entry in CORPUS)
    artifacts = tuple(
        FakeArtifact(
            9_000 + number,
            hostile_artifact_digest(number),
            base.anchor - timedelta(minutes=number + 1),
            (text,),
            size=1_000 + number,
            cves=len(texts),
            texts=texts,
        )
        for number, text in enumerate(texts)
    )
    repository = FakeRepository(
        HOSTILE_NAMESPACE, TAGS_REPO, 900, len(artifacts), lambda index: artifacts[index], texts[0]
    )
    hostile = FakeInstance(
        HOSTILE_INSTANCE_ID,
        HOSTILE_INSTANCE,
        "Running",
        base.anchor - timedelta(days=3),
        namespaces=(FakeNamespace(HOSTILE_NAMESPACE, 90),),
        repositories=(repository,),
    )
    named = tuple(
        FakeInstance(
            f"0d15ea5e-{number:04d}-4bad-8bad-00000000{number:04d}",
            text,
            "Unavailable",
            base.anchor - timedelta(days=4),
            spec=text,
            description=text,
        )
        for number, text in enumerate(texts)
    )
    return replace(base, instances=(*base.instances, hostile, *named))
