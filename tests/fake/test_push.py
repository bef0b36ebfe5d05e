"""Tags pushed, moved and deleted while the registry runs, seen over real loopback HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from swr_tui.fake import DEMO_REGION, DEMO_TOKEN, FakeRegistry
from swr_tui.fake.registry import _shared_dataset
from swr_tui.fake.tags import swr_time
from swr_tui.swr.auth import TokenAuth
from swr_tui.swr.client import SwrClient
from swr_tui.swr.errors import NotFoundError

WEBAPP = "/v2/manage/namespaces/acme/repos/webapp"
BIG = "/v2/manage/namespaces/acme/repos/ci-builds"
# After the default anchor (2026-11-01 12:00 UTC), so newer than every generated tag.
LATER = datetime(2026, 11, 2, 9, 30, 0, tzinfo=timezone.utc)


@contextmanager
def http(registry: FakeRegistry) -> Iterator[httpx.Client]:
    with (
        registry.serve() as server,
        httpx.Client(base_url=server.url, headers={"X-Auth-Token": DEMO_TOKEN}, timeout=10) as client,
    ):
        yield client


def page(client: httpx.Client, path: str, **filters: Any) -> httpx.Response:
    """One tags page, ``filter=k::v|...`` as SwrClient sends it; 200 required."""
    filter_value = "|".join(f"{key}::{value}" for key, value in filters.items())
    response = client.get(f"{path}/tags", params={"filter": filter_value})
    assert response.status_code == 200, response.text
    return response


def names(response: httpx.Response) -> list[str]:
    return [item["Tag"] for item in response.json()]


def total(response: httpx.Response) -> int:
    return int(response.headers["Content-Range"].rpartition("/")[2])


def all_names(client: httpx.Client, path: str, order: str = "desc") -> list[str]:
    return names(page(client, path, offset=0, limit=1000, order_type=order))


def repo_item(client: httpx.Client, name: str) -> dict[str, Any]:
    response = client.get("/v2/manage/repos", params={"filter": f"namespace::acme|name::{name}"})
    return next(item for item in response.json() if item["name"] == name)


def test_new_tag_is_first_under_desc_last_under_asc_and_counted() -> None:
    registry = FakeRegistry(seed=0)
    with http(registry) as client:
        before = page(client, WEBAPP, offset=0, limit=10)
        count = total(before)
        repo_before = repo_item(client, "webapp")
        registry.push_tag("acme", "webapp", "v3.0.0", at=LATER)

        desc = page(client, WEBAPP, offset=0, limit=10, order_type="desc")
        assert names(desc) == ["v3.0.0", *names(before)[:9]]
        assert desc.headers["Content-Range"] == f"0-10/{count + 1}"
        first = desc.json()[0]
        assert first["created"] == first["updated"] == swr_time(LATER)
        assert first["path"] == "swr.cn-north-4.myhuaweicloud.com/acme/webapp:v3.0.0"

        asc = page(client, WEBAPP, offset=count - 1, limit=10, order_type="asc")
        assert names(asc) == [names(before)[0], "v3.0.0"]
        assert asc.headers["Content-Range"] == f"{count - 1}-2/{count + 1}"

        repo_after = repo_item(client, "webapp")
        assert repo_after["num_images"] == repo_before["num_images"] + 1 == count + 1
        assert repo_after["updated_at"] == swr_time(LATER)
        assert repo_after["tags"][0] == "v3.0.0"
        detail = client.get(WEBAPP).json()
        assert detail["num_images"] == count + 1
        assert detail["updated"] == swr_time(LATER)
        # Ordered by update time, the repository now leads the listing.
        newest_repo = client.get("/v2/manage/repos", params={"filter": "offset::0|limit::1"}).json()
        assert newest_repo[0]["name"] == "webapp"


async def test_client_sees_the_push_and_show_tag_finds_it() -> None:
    registry = FakeRegistry(seed=0)
    with registry.serve() as server:
        async with SwrClient(server.url, TokenAuth(DEMO_TOKEN)) as client:
            with pytest.raises(NotFoundError):
                await client.show_tag("acme", "webapp", "hotfix-1")
            registry.push_tag("acme", "webapp", "hotfix-1")
            shown = await client.show_tag("acme", "webapp", "hotfix-1")
            listed = await client.list_tags("acme", "webapp", limit=1)
    assert shown.name == listed.items[0].name == "hotfix-1"
    assert shown.digest == listed.items[0].digest
    assert shown.digest.startswith("sha256:")
    assert listed.total == registry.dataset.repository("acme", "webapp").num_images


def test_default_time_is_the_clock_and_never_older_than_the_newest_tag() -> None:
    moment = [LATER]
    registry = FakeRegistry(seed=0, clock=lambda: moment[0])
    with http(registry) as client:
        registry.push_tag("acme", "webapp", "a")
        registry.push_tag("acme", "webapp", "b")  # the clock has not moved: just after ``a``
        moment[0] += timedelta(hours=1)
        registry.push_tag("acme", "webapp", "c")
        items = page(client, WEBAPP, offset=0, limit=3).json()
    assert [item["Tag"] for item in items] == ["c", "b", "a"]
    assert [item["updated"] for item in items] == [
        swr_time(LATER + timedelta(hours=1)),
        swr_time(LATER + timedelta(seconds=1)),
        swr_time(LATER),
    ]


def test_repush_moves_a_tag_to_the_top_without_changing_the_total() -> None:
    registry = FakeRegistry(seed=0)
    with http(registry) as client:
        before = all_names(client, WEBAPP)
        old = client.get(f"{WEBAPP}/tags/v1.0.0").json()
        registry.push_tag("acme", "webapp", "v1.0.0", at=LATER)
        after = page(client, WEBAPP, offset=0, limit=1000)
        moved = client.get(f"{WEBAPP}/tags/v1.0.0").json()
        asc = all_names(client, WEBAPP, order="asc")
    assert total(after) == len(before)
    assert names(after) == ["v1.0.0", *(name for name in before if name != "v1.0.0")]
    assert asc == names(after)[::-1]
    assert moved["updated"] == swr_time(LATER)
    assert moved["created"] == old["created"]  # a re-push keeps when the tag first appeared
    assert moved["id"] == old["id"]
    assert moved["digest"] != old["digest"]  # a new image without ``like``


def test_like_shares_the_digest_and_moves_latest() -> None:
    registry = FakeRegistry(seed=0)
    with http(registry) as client:
        model = client.get(f"{WEBAPP}/tags/v1.5.0").json()
        latest_before = client.get(f"{WEBAPP}/tags/latest").json()
        assert latest_before["digest"] != model["digest"]
        registry.push_tag("acme", "webapp", "latest", like="v1.5.0", at=LATER)
        latest = client.get(f"{WEBAPP}/tags/latest").json()
        top = page(client, WEBAPP, offset=0, limit=1).json()[0]
    assert top["Tag"] == "latest"
    assert latest["digest"] == top["digest"] == model["digest"]
    assert latest["manifest"] == model["manifest"]
    assert latest["size"] == model["size"]
    assert latest["image_id"] == model["image_id"]


def test_fresh_images_are_deterministic_per_seed_and_name() -> None:
    first, second = FakeRegistry(seed=0), FakeRegistry(seed=0)
    first.push_tag("acme", "webapp", "canary")
    second.push_tag("acme", "webapp", "canary")
    digest = first.dataset.tag("acme", "webapp", "canary").digest
    assert digest == second.dataset.tag("acme", "webapp", "canary").digest
    original = _shared_dataset(0, None, DEMO_REGION).repository("acme", "webapp").tags
    assert digest not in {original.record(index).digest for index in range(original.count)}
    first.push_tag("acme", "webapp", "other")
    assert first.dataset.tag("acme", "webapp", "other").digest != digest
    first.push_tag("acme", "webapp", "canary")  # pushed again: a new image
    assert first.dataset.tag("acme", "webapp", "canary").digest != digest


def test_delete_removes_a_tag_everywhere() -> None:
    registry = FakeRegistry(seed=0)
    with http(registry) as client:
        before = all_names(client, WEBAPP)
        registry.delete_tag("acme", "webapp", "v1.0.0")
        after = page(client, WEBAPP, offset=0, limit=1000)
        assert names(after) == [name for name in before if name != "v1.0.0"]
        assert total(after) == len(before) - 1
        assert all_names(client, WEBAPP, order="asc") == names(after)[::-1]
        missing = client.get(f"{WEBAPP}/tags/v1.0.0")
        assert missing.status_code == 404
        assert missing.json()["error_code"] == "SVCSTG.SWR.4040010"
        assert names(page(client, WEBAPP, offset=0, limit=10, tag="v1.0.")) == ["v1.0.2", "v1.0.1"]
        assert repo_item(client, "webapp")["num_images"] == len(before) - 1

        registry.push_tag("acme", "webapp", "temp")
        registry.delete_tag("acme", "webapp", "temp")  # a pushed tag can go too
        assert "temp" not in all_names(client, WEBAPP)
        registry.push_tag("acme", "webapp", "v1.0.0")  # and a deleted one come back, newest
        assert all_names(client, WEBAPP)[0] == "v1.0.0"
    with pytest.raises(ValueError, match="no such tag"):
        registry.delete_tag("acme", "webapp", "never-there")
    with pytest.raises(ValueError, match="no repository"):
        registry.delete_tag("acme", "nope", "latest")


def test_filter_sees_pushed_tags_and_not_removed_ones() -> None:
    registry = FakeRegistry(seed=0)
    with http(registry) as client:
        registry.push_tag("acme", "webapp", "Hotfix-ABC")
        found = page(client, WEBAPP, offset=0, limit=10, tag="hotfix")
        assert names(found) == ["Hotfix-ABC"]
        assert found.headers["Content-Range"] == "0-1/1"
        registry.push_tag("acme", "webapp", "v2.0.0")  # moved: still found once, now first
        moved = page(client, WEBAPP, offset=0, limit=10, tag="V2.0.0")
        assert names(moved) == ["v2.0.0", "v2.0.0-rc.1"]
        registry.delete_tag("acme", "webapp", "v2.0.0-rc.1")
        assert names(page(client, WEBAPP, offset=0, limit=10, tag="v2.0.0")) == ["v2.0.0"]
        assert names(page(client, WEBAPP, offset=0, limit=10, tag="v2.0.0", order_type="asc")) == ["v2.0.0"]


def test_the_100k_repository_is_cheap_and_right_at_both_ends() -> None:
    registry = FakeRegistry(seed=0)
    started = time.perf_counter()
    registry.push_tag("acme", "ci-builds", "build-000001", at=LATER)  # the oldest, moved to the top
    registry.delete_tag("acme", "ci-builds", "build-050000")
    registry.push_tag("acme", "ci-builds", "nightly", like="build-099999", at=LATER + timedelta(minutes=1))
    assert time.perf_counter() - started < 0.5
    with http(registry) as client:
        first = page(client, BIG, offset=0, limit=3)
        assert names(first) == ["nightly", "build-000001", "build-100000"]
        assert first.headers["Content-Range"] == "0-3/100000"
        last = page(client, BIG, offset=99_990, limit=10)
        assert names(last) == [f"build-{number:06d}" for number in range(11, 1, -1)]
        assert last.headers["Content-Range"] == "99990-10/100000"
        oldest = page(client, BIG, offset=0, limit=2, order_type="asc")
        assert names(oldest) == ["build-000002", "build-000003"]
        newest_asc = page(client, BIG, offset=99_998, limit=5, order_type="asc")
        assert names(newest_asc) == ["build-000001", "nightly"]
        # build-000001 and build-050000 left their places: 49,997 tags come before build-049999.
        middle = page(client, BIG, offset=49_997, limit=4, order_type="asc")
        assert names(middle) == ["build-049999", "build-050001", "build-050002", "build-050003"]
        assert client.get(f"{BIG}/tags/build-050000").status_code == 404
        assert (
            client.get(f"{BIG}/tags/nightly").json()["digest"]
            == (client.get(f"{BIG}/tags/build-099999").json()["digest"])
        )
        filtered = page(client, BIG, offset=0, limit=20, tag="05000")
        # 050001..050009 and 005000 contain 05000; build-050000 is gone.
        assert names(filtered) == [f"build-{number:06d}" for number in range(50_009, 50_000, -1)] + [
            "build-005000"
        ]
        assert filtered.headers["Content-Range"] == "0-10/10"
        assert names(page(client, BIG, offset=0, limit=5, tag="000001")) == ["build-000001"]
        assert repo_item(client, "ci-builds")["num_images"] == 100_000
    assert _shared_dataset(0, None, DEMO_REGION).repository("acme", "ci-builds").tags.count == 100_000


def test_activity_catches_up_from_the_clock() -> None:
    moment = [LATER]
    registry = FakeRegistry(seed=0, clock=lambda: moment[0], activity_s=60)
    with http(registry) as client:
        assert names(page(client, BIG, offset=0, limit=1)) == ["build-100000"]
        moment[0] += timedelta(seconds=7 * 60 + 59)
        builds = page(client, BIG, offset=0, limit=9)
        assert names(builds) == [f"build-{number:06d}" for number in range(100_007, 99_998, -1)]
        assert total(builds) == 100_007
        assert builds.json()[0]["updated"] == swr_time(LATER + timedelta(minutes=7))
        assert builds.json()[6]["updated"] == swr_time(LATER + timedelta(minutes=1))
        releases = page(client, WEBAPP, offset=0, limit=2)
        assert names(releases)[0] == "v2.4.2"
        assert names(releases)[1].startswith("sha256-")  # the cosign signature, newest until now
        assert releases.json()[0]["updated"] == swr_time(LATER + timedelta(minutes=5))
        assert total(page(client, BIG, offset=0, limit=1)) == 100_007  # the clock has not moved
        moment[0] += timedelta(minutes=3)
        assert names(page(client, WEBAPP, offset=0, limit=2)) == ["v2.4.3", "v2.4.2"]
        assert total(page(client, BIG, offset=0, limit=1)) == 100_010
    assert registry.catch_up() == 0


def test_activity_needs_a_positive_interval() -> None:
    with pytest.raises(ValueError, match="activity_s"):
        FakeRegistry(seed=0, activity_s=0)


def test_registries_with_the_same_seed_do_not_see_each_others_pushes() -> None:
    pushing, other = FakeRegistry(seed=0), FakeRegistry(seed=0)
    assert pushing.dataset is other.dataset
    pushing.push_tag("acme", "webapp", "mine")
    pushing.push_tag("acme", "ci-builds", "build-000001")
    pushing.delete_tag("acme", "webapp", "latest")
    with http(other) as client:
        assert client.get(f"{WEBAPP}/tags/mine").status_code == 404
        assert client.get(f"{WEBAPP}/tags/latest").status_code == 200
        assert names(page(client, BIG, offset=0, limit=1)) == ["build-100000"]
    with http(FakeRegistry(seed=0)) as client:
        assert client.get(f"{WEBAPP}/tags/mine").status_code == 404
    with http(pushing) as client:
        assert client.get(f"{WEBAPP}/tags/mine").status_code == 200
        assert client.get(f"{WEBAPP}/tags/latest").status_code == 404
    assert other.dataset is _shared_dataset(0, None, DEMO_REGION)


def test_region_changes_pull_paths() -> None:
    registry = FakeRegistry(seed=0, region="cn-south-1")
    with http(registry) as client:
        tag = page(client, WEBAPP, offset=0, limit=1).json()[0]
        assert tag["path"] == f"swr.cn-south-1.myhuaweicloud.com/acme/webapp:{tag['Tag']}"
        assert client.get(WEBAPP).json()["path"] == "swr.cn-south-1.myhuaweicloud.com/acme/webapp"
        assert repo_item(client, "webapp")["path"] == "swr.cn-south-1.myhuaweicloud.com/acme/webapp"
    assert registry.dataset.region == "cn-south-1"
    assert FakeRegistry(seed=0).dataset.region == "cn-north-4"


def test_bad_pushes_are_refused() -> None:
    registry = FakeRegistry(seed=0)
    with pytest.raises(ValueError, match="no repository"):
        registry.push_tag("acme", "no-such-repo", "x")
    with pytest.raises(ValueError, match="like 'nope'"):
        registry.push_tag("acme", "webapp", "x", like="nope")
    with pytest.raises(ValueError, match="not newer"):
        registry.push_tag("acme", "webapp", "x", at=datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert registry.dataset.tag("acme", "webapp", "x") is None
    registry.push_tag("acme", "new-service", "first", at=LATER)  # an empty repository
    assert registry.dataset.tag("acme", "new-service", "first") is not None
    assert registry.dataset.repository("acme", "new-service").num_images == 1


def test_pushes_from_many_threads_while_serving() -> None:
    registry = FakeRegistry(seed=0)
    errors: list[BaseException] = []

    def push(worker: int) -> None:
        try:
            for number in range(25):
                registry.push_tag("acme", "ci-builds", f"w{worker}-{number}")
        except BaseException as error:  # reported by the assert below
            errors.append(error)

    with http(registry) as client:
        threads = [threading.Thread(target=push, args=(worker,)) for worker in range(8)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            assert page(client, BIG, offset=0, limit=5).status_code == 200
        for thread in threads:
            thread.join()
        final = page(client, BIG, offset=0, limit=200)
    assert errors == []
    assert total(final) == 100_200
    assert sorted(names(final)) == sorted(
        f"w{worker}-{number}" for worker in range(8) for number in range(25)
    )
    updated = [item["updated"] for item in final.json()]
    assert updated == sorted(updated, reverse=True)
