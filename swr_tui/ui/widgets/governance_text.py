"""The governance sections as text: a tag's *Synced to* and *Deployed by*, and a repository's
summary (facts, retention, sync rules, triggers, access and shares). Pure: no widgets, no requests.

Every registry string is scrubbed and cut; a section whose read failed is one dim line, and an
empty one is one dim line too, so every section takes at least a line and says what it knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from rich.table import Table
from rich.text import Text

from ...formatting import age_text, human_size, plausible_time, relative_age
from ...safe_text import scrub
from ...swr.errors import ApiUnavailableError, SwrError
from ...swr.models import Repository

# What the sections read, per repository (ui/governance_cache.py reads them).
SYNC_RULES = "sync rules"
SYNC_JOBS = "sync jobs"
TRIGGERS = "triggers"
RETENTION = "retention"
ACCESS = "access"
NAMESPACE_ACCESS = "namespace access"  # rights on the whole namespace reach its repositories too
SHARES = "shares"
TAG_READS = (SYNC_RULES, SYNC_JOBS, TRIGGERS)

SECTION_ROWS = 20  # regions, firings, triggers, users or shares listed before "… N more"
VALUE_CHARS = 200  # one registry string (a description, a trigger's detail) is cut here
NO_JOB = "no sync job for this tag"  # a region none of the repository's jobs went to for the tag


def _cut(text: str, limit: int = VALUE_CHARS) -> str:
    return text if len(text) <= limit else f"{text[:limit]} … +{len(text) - limit:,} chars"


def _safe(text: str, style: str = "") -> Text:
    return Text(scrub(_cut(text)), style=style)


def grid() -> Table:
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    return table


def failure(error: SwrError) -> Text:
    """One dim line: the API is missing here, or why the read failed."""
    if isinstance(error, ApiUnavailableError):
        return Text("not available in this region", style="dim")
    why = scrub(str(error)).splitlines()[0] if str(error) else type(error).__name__
    return Text(f"could not be read: {why} (r retries)", style="dim", no_wrap=True, overflow="ellipsis")


def _dim(text: str) -> Text:
    return Text(text, style="dim")


def _rows(table: Table, label: str, values: Sequence[Text]) -> None:
    for index, value in enumerate(values[:SECTION_ROWS]):
        table.add_row(Text(label if index == 0 else ""), value)
    if len(values) > SECTION_ROWS:
        table.add_row(Text(""), _dim(f"… {len(values) - SECTION_ROWS:,} more"))


def _joined(*parts: Text) -> Text:
    return Text(" · ").join(part for part in parts if part.plain)


# -- a tag ---------------------------------------------------------------------------------------


def synced_rows(rules: Any, page: Any, tag: str, now: datetime) -> list[Text]:
    """``page``: the newest page of the repository's sync jobs (all of them, when its total says so)."""
    from ...swr.governance_views import synced_to

    for outcome in (rules, page):
        if isinstance(outcome, SwrError):
            return [failure(outcome)]
    jobs = page.items
    every_job = page.total is not None and page.total <= len(jobs)
    none_found = NO_JOB if every_job else f"no job for this tag in the newest {len(jobs):,}"
    # Regions with a job for the tag first (in the rules' order still): past SECTION_ROWS regions
    # the ones it went to must not be among those cut.
    states = sorted(synced_to(rules, jobs, tag), key=lambda state: not state.status)
    if not states:
        return [_dim("no sync rule")]
    rows = []
    for state in states:
        where = _safe(f"{state.region} → {state.namespace}")
        if state.status:
            status = _safe(state.status, "bold" if state.status in ("failed", "timeout") else "")
            rows.append(_joined(where, status, _safe(age_text(state.when, now))))
        else:
            rows.append(_joined(where, _dim(none_found)))
    return rows


def deployed_rows(triggers: Any, tag: str, now: datetime) -> list[Text]:
    from ...swr.governance_views import deployed_by

    if isinstance(triggers, SwrError):
        return [failure(triggers)]
    found = deployed_by(triggers, tag)
    if not found:
        return [_dim("no trigger fired for this tag" if triggers else "no trigger")]
    rows = []
    for deployment in found:
        target = "/".join(part for part in (deployment.cluster, deployment.application) if part)
        what = _safe(f"{deployment.trigger} ({deployment.mode} {target})" if target else deployment.trigger)
        result = _safe(deployment.result, "bold" if deployment.result != "success" else "")
        row = _joined(what, result, _safe(age_text(deployment.when, now)))
        if deployment.detail:
            row = _joined(row, _safe(deployment.detail, "dim"))
        rows.append(row)
    return rows


def tag_sections(reads: Sequence[Any], tag: str, now: datetime) -> Table:
    """*Synced to* and *Deployed by* of ``tag``, from (sync rules, sync jobs' newest page, triggers)."""
    rules, jobs, triggers = reads
    table = grid()
    _rows(table, "Synced to", synced_rows(rules, jobs, tag, now))
    _rows(table, "Deployed by", deployed_rows(triggers, tag, now))
    return table


# -- a repository --------------------------------------------------------------------------------


def repository_facts(table: Table, repo: Repository) -> None:
    table.add_row(Text("Repository"), _safe(repo.full_name, "bold"))
    table.add_row(Text("Description"), _safe(repo.description) if repo.description else _dim("none"))
    table.add_row(Text("Category"), _safe(repo.category or "-"))
    table.add_row(Text("Public"), Text("yes" if repo.is_public else "no"))
    table.add_row(Text("Size"), Text(human_size(repo.size)))
    table.add_row(Text("Tags"), Text(f"{repo.num_images:,}"))


def retention_rows(retentions: Any) -> list[Text]:
    from ...swr.retention import plan_retentions

    if isinstance(retentions, SwrError):
        return [failure(retentions)]
    plan = plan_retentions(retentions)
    if not plan.rules and not plan.problems:
        return [_dim("no rule: nothing is deleted")]
    rows = [_safe(plan.words)] if plan.words else []
    problems = list(plan.problems) + [rule.problem for rule in plan.rules if rule.problem]
    rows += [_safe(f"not evaluable: {problem}", "dim") for problem in problems]
    return rows


def sync_rule_rows(rules: Any) -> list[Text]:
    if isinstance(rules, SwrError):
        return [failure(rules)]
    if not rules:
        return [_dim("no sync rule")]
    rows = []
    for rule in rules:
        how = ", ".join(word for word, on in (("auto", rule.sync_auto), ("override", rule.override)) if on)
        where = f"{rule.remote_region_id} → {rule.remote_namespace}"
        rows.append(_safe(f"{where} ({how})" if how else where))
    return rows


def trigger_rows(triggers: Any, now: datetime) -> list[Text]:
    if isinstance(triggers, SwrError):
        return [failure(triggers)]
    if not triggers:
        return [_dim("no trigger")]
    rows = []
    for trigger in triggers:
        parts = (trigger.cluster_name, trigger.cluster_ns, trigger.application)
        target = "/".join(part for part in parts if part)
        when = f"{trigger.trigger_type}: {trigger.condition}" if trigger.condition else trigger.trigger_type
        last = trigger.history[0] if trigger.history else None
        fired = f"last {last.result} {age_text(last.created_at, now)}" if last is not None else "never fired"
        state = "" if trigger.enabled else "disabled"
        rows.append(
            _joined(_safe(trigger.name, "bold"), _safe(f"{trigger.trigger_mode} {target}"), _safe(when),
                    _safe(fired), _dim(state))
        )  # fmt: skip
    return rows


def access_rows(access: Any) -> list[Text]:
    if isinstance(access, SwrError):
        return [failure(access)]
    rows = []
    if access.self_auth is not None:
        own = access.self_auth
        rows.append(_joined(_safe(f"you ({own.user_name})" if own.user_name else "you"), _safe(own.access)))
    rows += [_joined(_safe(other.user_name or other.user_id), _safe(other.access)) for other in access.others]
    return rows or [_dim("nobody listed")]


def share_rows(shares: Any, now: datetime) -> list[Text]:
    from ...swr.governance_views import FOREVER, deadline_near

    if isinstance(shares, SwrError):
        return [failure(shares)]
    if not shares:
        return [_dim("not shared with other accounts")]
    rows = []
    for share in shares:
        moment = plausible_time(share.deadline)
        if share.deadline.strip().lower() == FOREVER:
            until = Text("no end")
        elif moment is None:
            until = _safe(f"until {share.deadline}")
        else:
            utc = moment.astimezone(timezone.utc)
            until = Text(f"until {utc:%Y-%m-%d %H:%M} UTC ({relative_age(moment, now)})")
        parts = [_safe(share.access_domain, "bold"), _safe(share.permit), until]
        if deadline_near(share, now):
            ended = moment is not None and moment <= now
            parts.append(Text("⚠ ended" if ended else "⚠ ends within a week", style="bold"))
        if not share.status:
            parts.append(_dim("not in force"))
        rows.append(_joined(*parts))
    return rows


def repository_summary(repo: Repository, reads: dict[str, Any], now: datetime) -> Table:
    """The facts, then retention, sync rules, triggers, access (the repository's own grants, then
    the namespace's, which reach it too: who can push here) and shares (``reads``: those read so
    far; a section still on its way says so)."""
    waiting = [_dim("loading…")]
    table = grid()
    repository_facts(table, repo)
    _rows(table, "Retention", retention_rows(reads[RETENTION]) if RETENTION in reads else waiting)
    _rows(table, "Sync", sync_rule_rows(reads[SYNC_RULES]) if SYNC_RULES in reads else waiting)
    _rows(table, "Triggers", trigger_rows(reads[TRIGGERS], now) if TRIGGERS in reads else waiting)
    _rows(table, "Access", access_rows(reads[ACCESS]) if ACCESS in reads else waiting)
    via = reads.get(NAMESPACE_ACCESS)  # the grants on the namespace, which reach this repository too
    _rows(table, "Namespace", access_rows(via) if via is not None else waiting)
    _rows(table, "Shares", share_rows(reads[SHARES], now) if SHARES in reads else waiting)
    return table
