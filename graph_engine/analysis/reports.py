"""Reports over a snapshot: who reaches what, and where the data is inconsistent.

Each report is a function of the snapshot (a ``MultiDiGraph`` from
:func:`graph_engine.analysis.snapshot`) and the options, returning plain rows
(dicts of strings, numbers and None) sorted for stable output. ``REPORTS`` lists
them by name; ``graph-engine analyze`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from graph_engine.analysis.snapshot import labelled, sources, targets

if TYPE_CHECKING:
    from graph_engine.analysis.snapshot import Graph

Row = dict[str, Any]
RULES = ("REQUEST_SENDER", "RELATIONSHIP_MANAGER", "REPRESENTATIVES")


@dataclass(frozen=True)
class ReportOptions:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    maintenance_hours: float = 24.0


def _env(graph: Graph, node: str) -> str | None:
    for rel in ("MEMBER_OF", "BELONGS_TO"):
        found = targets(graph, node, rel)
        if found:
            return found[0]
    return None


def _connected(graph: Graph, a: str, b: str) -> bool:
    for x, y in ((a, b), (b, a)):
        edges: dict[Any, dict[str, Any]] = graph.get_edge_data(x, y, default={})
        if any(d.get("type") == "CONNECTED_WITH" for d in edges.values()):
            return True
    return False


def _partnership(graph: Graph, env_a: str | None, env_b: str | None) -> str | None:
    if env_a is None or env_b is None or env_a == env_b:
        return None
    mine = set(sources(graph, env_a, "BETWEEN"))
    found = sorted(p for p in sources(graph, env_b, "BETWEEN") if p in mine)
    return found[0] if found else None


def missing_connections(graph: Graph, options: ReportOptions) -> list[Row]:  # noqa: ARG001, C901
    """Pairs of users the connection rules of DESIGN §3.1 require and the graph lacks.

    The rules, by precedence: who accepted a request with its sender
    (REQUEST_SENDER), with each relationship manager of the sender's environment
    (RELATIONSHIP_MANAGER), and a partnership's two representatives
    (REPRESENTATIVES). One row per unordered pair, named by the first rule.
    """
    wanted: list[tuple[int, str, str, str]] = []  # (priority, source, user, peer)
    for request in labelled(graph, "AuthorizationRequest"):
        if graph.nodes[request].get("status") != "ACCEPTED":
            continue
        for sender in sources(graph, request, "SENT"):
            for recipient in targets(graph, request, "TO"):
                wanted.append((0, request, recipient, sender))
                sender_env = _env(graph, sender)
                managers = sources(graph, sender_env, "MEMBER_OF") if sender_env else []
                wanted.extend(
                    (1, request, recipient, rm)
                    for rm in managers
                    if graph.nodes[rm].get("relationshipManager") is True
                )
    for partnership in labelled(graph, "Partnership"):
        reps = sources(graph, partnership, "REPRESENTS")
        between = set(targets(graph, partnership, "BETWEEN"))
        for x in reps:
            for y in reps:
                ex, ey = _env(graph, x), _env(graph, y)
                if (
                    ex in between
                    and ey in between
                    and ex is not None
                    and ey is not None
                    and ex < ey
                ):
                    wanted.append((2, partnership, x, y))
    first: dict[frozenset[str], tuple[str, str, int]] = {}
    for priority, _source, user, peer in sorted(wanted, key=lambda w: (w[0], w[1], w[3])):
        if user == peer:
            continue
        first.setdefault(frozenset((user, peer)), (user, peer, priority))
    rows = [
        {
            "user": user,
            "peer": peer,
            "rule": RULES[priority],
            "partnership": _partnership(graph, _env(graph, user), _env(graph, peer)),
        }
        for user, peer, priority in first.values()
        if not _connected(graph, user, peer)
    ]
    return sorted(rows, key=lambda r: (r["user"], r["peer"]))


def cross_environment_access(graph: Graph, options: ReportOptions) -> list[Row]:  # noqa: ARG001
    """Users with access to organisations of another environment, and the partnership
    that grants it (None: no partnership joins the two, an inconsistency)."""
    rows = []
    for user, organisation, data in graph.edges(data=True):
        if data.get("type") != "HAS_ACCESS":
            continue
        user_env, org_env = _env(graph, user), _env(graph, organisation)
        if user_env == org_env:
            continue
        rows.append(
            {
                "user": user,
                "userEnvironment": user_env,
                "organisation": organisation,
                "organisationEnvironment": org_env,
                "partnership": _partnership(graph, user_env, org_env),
            }
        )
    return sorted(rows, key=lambda r: (r["user"], r["organisation"]))


def _inactive(graph: Graph, user: str) -> bool:
    return graph.nodes[user].get("active", True) is False


def dossiers_of_inactive_users(graph: Graph, options: ReportOptions) -> list[Row]:  # noqa: ARG001
    """Dossiers whose responsible user is inactive (DESIGN §3.3: reassign them)."""
    rows = [
        {"dossier": dossier, "responsible": user, "environment": _env(graph, user)}
        for dossier in labelled(graph, "Dossier")
        for user in targets(graph, dossier, "RESPONSIBLE")
        if _inactive(graph, user)
    ]
    return sorted(rows, key=lambda r: r["dossier"])


def long_open_maintenance(graph: Graph, options: ReportOptions) -> list[Row]:
    """Maintenance windows that started more than ``maintenance_hours`` ago and are still
    open (nothing ends a window by itself, DESIGN §3.5)."""
    limit = options.now - timedelta(hours=options.maintenance_hours)
    rows = []
    for window in labelled(graph, "MaintenanceWindow"):
        attrs = graph.nodes[window]
        starts = attrs.get("startsAt")
        if attrs.get("endedAt") is not None or not isinstance(starts, datetime) or starts > limit:
            continue
        rows.append(
            {
                "window": window,
                "environment": next(iter(targets(graph, window, "FOR")), None),
                "startsAt": starts.isoformat(),
                "openHours": round((options.now - starts).total_seconds() / 3600, 1),
            }
        )
    return sorted(rows, key=lambda r: r["window"])


def unlinked_contractants(graph: Graph, options: ReportOptions) -> list[Row]:  # noqa: ARG001
    """Customer contractants with no linked relation (DESIGN §3.4).

    A customer contractant is what the engine lets a relation be linked to: an
    environment partnered with a vendor (an environment that holds relations), other
    than a vendor itself. Environments no vendor is partnered with are nobody's
    customers, and not reported.
    """
    vendors = {e for r in labelled(graph, "Relation") for e in targets(graph, r, "IN")}
    customers = {
        env
        for vendor in vendors
        for partnership in sources(graph, vendor, "BETWEEN")
        for env in targets(graph, partnership, "BETWEEN")
    }
    return [
        {"contractant": env, "name": graph.nodes[env].get("name")}
        for env in sorted(customers - vendors)
        if not sources(graph, env, "LINKED_TO")
    ]


def open_tasks_on_unlinked_relations(graph: Graph, options: ReportOptions) -> list[Row]:  # noqa: ARG001
    """OPEN tasks concerning a relation that no contractant links: no customer sees them.

    A link sits on one of the relation's subscriptions, ``(Subscription)-[:LINKED_TO]->``.
    """
    rows = [
        {"task": task, "relation": relation, "title": graph.nodes[task].get("title")}
        for task in labelled(graph, "Task")
        if graph.nodes[task].get("status") == "OPEN"
        for relation in targets(graph, task, "CONCERNS")
        if not any(targets(graph, sub, "LINKED_TO") for sub in sources(graph, relation, "OF"))
    ]
    return sorted(rows, key=lambda r: r["task"])


def rights_held_by_inactive_or_unlicensed(graph: Graph, options: ReportOptions) -> list[Row]:  # noqa: ARG001
    """Ownership rights (DESIGN §3.2) whose holder cannot log in to read the process
    messages about those employees: an inactive holder, or one without a licence in an
    environment billed ``PER_LICENCE`` (elsewhere a licence is not needed to log in).

    The holder of an employee's rights in a work company they have access to is the
    source of ``HOLDS_RIGHTS_OF {organisation}``, or the employee themself.
    """
    licensed = {
        user
        for licence in labelled(graph, "Licence")
        for user in targets(graph, licence, "ASSIGNED_TO")
    }

    def needs_licence(user: str) -> bool:
        home = _env(graph, user)
        return home is not None and graph.nodes[home].get("billing") == "PER_LICENCE"

    rows = []
    for employee in labelled(graph, "User"):
        for work_company in targets(graph, employee, "HAS_ACCESS"):
            holders = sorted(
                u
                for u, _, d in graph.in_edges(employee, data=True)
                if d.get("type") == "HOLDS_RIGHTS_OF" and d.get("organisation") == work_company
            )
            holder = holders[0] if holders else employee
            inactive = _inactive(graph, holder)
            if inactive or (holder not in licensed and needs_licence(holder)):
                rows.append(
                    {
                        "employee": employee,
                        "workCompany": work_company,
                        "holder": holder,
                        "why": "inactive" if inactive else "unlicensed",
                    }
                )
    return sorted(rows, key=lambda r: (r["employee"], r["workCompany"]))


Report = Callable[["Graph", ReportOptions], list[Row]]

REPORTS: dict[str, Report] = {
    "missing_connections": missing_connections,
    "cross_environment_access": cross_environment_access,
    "dossiers_of_inactive_users": dossiers_of_inactive_users,
    "long_open_maintenance": long_open_maintenance,
    "unlinked_contractants": unlinked_contractants,
    "open_tasks_on_unlinked_relations": open_tasks_on_unlinked_relations,
    "rights_held_by_inactive_or_unlicensed": rights_held_by_inactive_or_unlicensed,
}


def analyze(graph: Graph, options: ReportOptions | None = None) -> dict[str, list[Row]]:
    """Every report, by name."""
    chosen = options or ReportOptions()
    return {name: report(graph, chosen) for name, report in REPORTS.items()}
