"""The sidebar's *Enterprise instances*: its entries and labels (the tree in ``catalog.py`` loads them).

Below the basic edition's namespaces, one folder lists the account's Enterprise Edition instances
(name, status, spec); an instance expands to its namespaces, a namespace to its repositories, page
by page like the basic edition's. An account with no instance, or no right to list them, gets no
folder at all. The records are imported for type checking only: the first frame needs none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text

from ...safe_text import scrub

if TYPE_CHECKING:
    from ...swr.enterprise.models import EnterpriseNamespace, Instance

INSTANCES_LABEL = "Enterprise instances"


@dataclass(frozen=True)
class InstancesEntry:
    """The *Enterprise instances* folder."""


@dataclass(frozen=True)
class InstanceEntry:
    instance: Instance


@dataclass(frozen=True)
class InstanceNamespaceEntry:
    instance: Instance
    namespace: EnterpriseNamespace


def instance_name(instance: Instance) -> str:
    return scrub(instance.name or instance.id)


def instance_label(instance: Instance) -> Text:
    """``acme-prod  Running · swr_ee_pro``; a status other than Running stands out."""
    label = Text(instance_name(instance))
    status = scrub(instance.status or "unknown")
    label.append(f"  {status}", style="dim" if instance.running else "yellow")
    if instance.spec:
        label.append(f" · {scrub(instance.spec)}", style="dim")
    return label


def not_running_label(instance: Instance) -> Text:
    return Text(f"{scrub(instance.status or 'Not running')}: browsable once Running", style="dim italic")


def namespace_label(namespace: EnterpriseNamespace) -> Text:
    label = Text(scrub(namespace.name))
    label.append(f"  {namespace.repo_count}", style="dim")
    if namespace.public.strip().lower() == "true":
        label.append(" · public", style="dim")
    return label


def name_length(entry: object) -> int:
    """Characters of a label that name the node (what follows, status or count, is kept whole)."""
    if isinstance(entry, InstanceEntry):
        return len(instance_label(entry.instance))  # all of it: its end (the spec) goes first
    if isinstance(entry, InstanceNamespaceEntry):
        return len(scrub(entry.namespace.name))
    return len(INSTANCES_LABEL)


def instance_node(tree: Any, instance_id: str) -> Any:
    folder = _child(tree.root, lambda entry: isinstance(entry, InstancesEntry))
    return _child(folder, lambda entry: isinstance(entry, InstanceEntry) and entry.instance.id == instance_id)


def namespace_node(tree: Any, instance_id: str, namespace: str) -> Any:
    return _child(
        instance_node(tree, instance_id),
        lambda entry: isinstance(entry, InstanceNamespaceEntry) and entry.namespace.name == namespace,
    )


async def reveal(tree: Any, instance_id: str, namespace: str = "", repository: str = "") -> bool:
    """Expand an instance (and a namespace of it) and move to the deepest of them that was asked for
    and found (``--instance`` with ``--namespace`` or ``--repo``); False when one is not there."""
    await tree.instances_loaded.wait()
    node = instance_node(tree, instance_id)
    for name, step in ((namespace, "namespace"), (repository, "repository")):
        if node is None or not name:
            break
        await tree.ensure_loaded(node)
        node.expand()
        if step == "namespace":
            node = namespace_node(tree, instance_id, name)
        else:
            node = _child(node, partial(_is_repository, name))
    if node is not None:
        if not repository:
            await tree.ensure_loaded(node)
            node.expand()
        tree.call_after_refresh(tree.move_cursor, node)  # laid out on the next refresh
    return node is not None


def _is_repository(name: str, entry: object) -> bool:
    # RepositoryEntry lives in catalog.py, which imports this module: matched by its field.
    return getattr(getattr(entry, "repository", None), "name", None) == name


def _child(node: Any, matches: Callable[[object], bool]) -> Any:
    for child in node.children if node is not None else ():
        if matches(child.data):
            return child
    return None
