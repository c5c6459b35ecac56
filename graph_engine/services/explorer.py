"""The explorer's questions: find a user or organisation, and show its neighbourhood.

Every signed-in caller may ask, and sees only what the visibility gate lets them
(DESIGN §3.0): a node is shown when all of its home environments lie within the
caller's reach. Within that, what is drawn depends on who asks:

* operators see every node and relationship (but sessions and keys);
* everyone else sees the *directory* of the graph: environments, users,
  organisations and partnerships, and who belongs where, who has access to what,
  who represents a partnership and who is connected with whom (what an invite
  decision reads). Records the API shows only to their parties or to an
  environment's ADMINs (requests, invitations, proposals, licences, process
  messages, dossiers, relations, maintenance windows, the audit trail) are left out;
* an ``ADMIN`` also sees those records, and any relationship, inside their own
  environment.

A node that is not shown is ``NOT_FOUND`` as a centre, the same as one that does not
exist. No ``...Hash`` property ever leaves the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from graph_engine.analysis import explorer as explorer_layout
from graph_engine.analysis.snapshot import CLEAR_SECRETS
from graph_engine.errors import InvalidInput, problem
from graph_engine.model import Location, NodeRecord, Principal, RelRecord, Role
from graph_engine.services import validate, visibility
from graph_engine.services.base import Service
from graph_engine.store.explorer import ExplorerStore
from graph_engine.store.visibility import VisibilityStore

# Never shown, not even to operators: they exist to hold secrets (a saved filter is its
# owner's private search, shown to nobody else: services/alerts.py).
HIDDEN_LABELS = frozenset(
    {"Session", "ApiKey", "SignUp", "OutboxMail", "LoginThrottle", "SavedFilter"}
)
# What everyone who reaches them sees (see the module's docstring).
DIRECTORY_LABELS = frozenset({"Environment", "User", "Organisation", "Partnership"})
DIRECTORY_TYPES = frozenset(
    {"MEMBER_OF", "BELONGS_TO", "HAS_ACCESS", "BETWEEN", "REPRESENTS", "CONNECTED_WITH"}
)
MAX_DEPTH = 3
MAX_NODES = 300
STEP_LIMIT = 500
# How many matches one findNodes reads at most, looking for ones within the caller's reach.
SEARCH_SCAN = 5_000


@dataclass(frozen=True)
class PlacedNode:
    id: str
    label: str
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class Picture:
    center_id: str
    nodes: list[PlacedNode]
    relationships: list[RelRecord]


def public(node: NodeRecord) -> NodeRecord:
    return NodeRecord(
        node.label,
        node.id,
        {
            k: v
            for k, v in node.props.items()
            if not k.endswith("Hash") and (node.label, k) not in CLEAR_SECRETS
        },
    )


def display_name(node: NodeRecord) -> str:
    return str(node.props.get("name") or node.props.get("title") or node.id)


@dataclass(frozen=True)
class _Sight:
    """What one caller is shown: ``nodes`` maps each shown id to whether it lies
    wholly in the environment the caller administers (any relationship between two
    such nodes is shown; elsewhere only the directory's)."""

    operator: bool
    nodes: dict[str, bool]

    def shows(self, rel: RelRecord) -> bool:
        if rel.start not in self.nodes or rel.end not in self.nodes:
            return False
        if self.operator or rel.type in DIRECTORY_TYPES:
            return True
        return self.nodes[rel.start] and self.nodes[rel.end]


class ExplorerNeeds(ExplorerStore, VisibilityStore, Protocol):
    """What ExplorerService asks of the store: a neighbourhood of nodes and nodes by name,
    within the caller's reach."""


class ExplorerService(Service[ExplorerNeeds]):
    async def _sight(self, caller: Principal, nodes: list[NodeRecord], sight: _Sight) -> None:
        """Add to ``sight`` the nodes among ``nodes`` the caller is shown: through the
        visibility gate (every home environment within reach), then by label."""
        candidates = {n.id: n.label for n in nodes if n.label not in HIDDEN_LABELS}
        if caller.is_operator:
            sight.nodes.update(dict.fromkeys(candidates, True))
            return
        scope = await visibility.reach_of(self.store, caller)
        administered = (
            caller.environment_id
            if caller.user is not None and caller.user.role is Role.ADMIN
            else None
        )
        for loc in await self.store.locate(ids=sorted(candidates)):
            if loc.label != candidates.get(loc.id) or not scope.contains(loc):
                continue
            own = administered is not None and _homes(loc) == {administered}
            if own or loc.label in DIRECTORY_LABELS:
                sight.nodes[loc.id] = own

    async def find(self, caller: Principal, search: str, first: int) -> list[NodeRecord]:
        text = validate.clean(search, "search").strip().lower()
        if not text or len(text) > 200:  # noqa: PLR2004 - a search box, not a document
            raise InvalidInput("search must be 1 to 200 characters", details={"field": "search"})
        if not 1 <= first <= 100:  # noqa: PLR2004
            raise InvalidInput("first must be between 1 and 100", details={"first": first})
        # Matches are read in batches by id and kept when within reach, until there are
        # enough: a search whose first matches are all out of reach still finds the
        # caller's own. At most SEARCH_SCAN matches are read.
        hits: list[NodeRecord] = []
        batch_size = max(first * 5, 100)
        after: str | None = None
        for _ in range(SEARCH_SCAN // batch_size):
            batch = await self.store.find_nodes(search=text, limit=batch_size, after=after)
            sight = _Sight(caller.is_operator, {})
            await self._sight(caller, batch, sight)
            hits.extend(public(n) for n in batch if n.id in sight.nodes)
            if len(hits) >= first or len(batch) < batch_size:
                break
            after = batch[-1].id
        return hits[:first]

    async def neighbourhood(self, caller: Principal, node_id: str, depth: int) -> Picture:
        if not 0 <= depth <= MAX_DEPTH:
            raise InvalidInput(f"depth must be between 0 and {MAX_DEPTH}", details={"depth": depth})
        first = await self.store.expand(ids=[node_id], limit=STEP_LIMIT)
        center = next((n for n in first.nodes if n.id == node_id), None)
        sight = _Sight(caller.is_operator, {})
        if center is not None:
            await self._sight(caller, [center], sight)
        if center is None or node_id not in sight.nodes:
            raise problem("not_found", label="node", id=node_id)
        nodes: dict[str, NodeRecord] = {center.id: center}
        rels: dict[tuple[str, str, str], RelRecord] = {}
        frontier = [node_id]
        step = first  # the first step was taken to find the centre
        for level in range(depth):
            if level > 0:
                step = await self.store.expand(ids=frontier, limit=STEP_LIMIT)
            await self._sight(caller, [n for n in step.nodes if n.id not in sight.nodes], sight)
            new = [n for n in step.nodes if n.id in sight.nodes and n.id not in nodes]
            for n in new[: max(0, MAX_NODES - len(nodes))]:
                nodes[n.id] = n
            for r in step.relationships:
                if r.start in nodes and r.end in nodes and sight.shows(r):
                    rels[(r.start, r.end, r.type)] = r
            frontier = [n.id for n in new if n.id in nodes]
            if not frontier:
                break
        return self._place(node_id, nodes, list(rels.values()))

    def _place(self, center: str, nodes: dict[str, NodeRecord], rels: list[RelRecord]) -> Picture:
        pos = explorer_layout.place(center, nodes, rels)
        placed = [
            PlacedNode(n.id, n.label, display_name(n), *pos.get(n.id, (0.5, 0.5)))
            for n in sorted(nodes.values(), key=lambda n: n.id)
        ]
        return Picture(center, placed, sorted(rels, key=lambda r: (r.start, r.end, r.type)))


def _homes(loc: Location) -> set[str]:
    return set(loc.homes) or ({loc.environment_id} if loc.environment_id is not None else set())
