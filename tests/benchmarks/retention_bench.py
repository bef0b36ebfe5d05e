"""Retention marks per visible page: evaluating a page of 100 tags against a rule, next to parsing
that page (the baseline, measured alternately in the same run). The evaluation is pure: no request."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from report import Paired

from swr_tui.fake import FakeRegistry, shapes
from swr_tui.fake.dataset import BIG_REPO, MAIN_NAMESPACE
from swr_tui.swr.governance_models import Retention
from swr_tui.swr.models import Tag
from swr_tui.swr.retention import plan_retentions, verdict_for_rank

PAGE = 100
# The demo's acme/ci-builds rule, with a date rule added so that both templates are timed.
EXCEPTIONS = [{"kind": "regexp", "pattern": r"^build-\d{3}000$"}, {"kind": "label", "pattern": "latest"}]
RULES = {
    "id": 1,
    "algorithm": "or",
    "rules": [
        {"template": "tag_rule", "params": {"num": "50"}, "tag_selectors": EXCEPTIONS},
        {"template": "date_rule", "params": {"days": 90}, "tag_selectors": []},
    ],
}  # fmt: skip


def retention_per_page(pages: int) -> Paired:
    """``pages`` pages spread over the 100,000 tags of acme/ci-builds, each parsed then evaluated
    (rank known: the row in the newest-first table)."""
    registry = FakeRegistry(seed=0)
    repo = registry.dataset.repository(MAIN_NAMESPACE, BIG_REPO)
    assert repo is not None
    plan = plan_retentions([Retention.from_api(RULES)])
    now = datetime.now(timezone.utc)
    total = repo.tags.count
    result = Paired()
    for number in range(pages):
        first = (number * 997 * PAGE) % (total - PAGE)
        items = [shapes.tag_item(repo, repo.tags.record(total - 1 - first - i), registry.dataset.region)
                 for i in range(PAGE)]  # fmt: skip
        body = json.dumps(items).encode("utf-8")
        started = time.perf_counter()
        tags = [Tag.from_api(item) for item in json.loads(body)]
        parsed = time.perf_counter()
        verdicts = [
            verdict_for_rank(plan, tag.name, tag.updated, first + row, now) for row, tag in enumerate(tags)
        ]
        done = time.perf_counter()
        assert len(verdicts) == PAGE
        result.baseline.append(parsed - started)
        result.figure.append(done - parsed)
        result.counts.append(sum(v.deleted for v in verdicts))
    result.notes.append(
        f"{pages} pages of {PAGE} from acme/ci-builds (100,000 tags); rule: keep 50 newest except "
        "/^build-\\d{3}000$/ and 'latest', or keep 90 days; evaluation sends no request"
    )
    return result
