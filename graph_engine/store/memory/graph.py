"""The graph under the memory store, and the lookups every operation shares.

The graph is a :class:`~graph_engine.store.memory.multigraph.Multigraph` (a
directed multigraph sized for a million users; its docstring says how). Nodes
are keyed by id and carry ``label`` plus their stored properties (the same names
Neo4j stores). Edges carry ``type`` plus their properties, keyed by type so that
"at most one X between a pair" is the graph's own behaviour; their properties
are read-only (add the edge again to change them).

Secondary indexes (email, email domain, token hashes, partnership pairs) are
rebuilt from the graph on load and kept up to date by the operations. Every
public operation holds ``self._lock`` for its whole run and checks all its
preconditions before its first write, which makes it atomic: a refusal
leaves the graph exactly as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from graph_engine import audit
from graph_engine.errors import problem
from graph_engine.model import (
    ADVANCED_ROLES,
    AuthorizationRequest,
    Environment,
    Invitation,
    Location,
    MaintenanceWindow,
    Organisation,
    Partnership,
    Reach,
    Role,
    User,
)
from graph_engine.store import records
from graph_engine.store.memory.journal import Event, Journal, Write
from graph_engine.store.memory.multigraph import Attrs, Multigraph, Props

# Request-like nodes and the relationship their sender has to them.
REQUEST_SENT_BY = {
    "AuthorizationRequest": "SENT",
    "Invitation": "INVITED",
    "PartnershipProposal": "PROPOSED",
}
# Entities that live in one environment, reached by following these relationships.
HOME_PATHS: dict[str, tuple[str, ...]] = {
    "Relation": ("IN",),
    "Task": ("CONCERNS", "IN"),
    "Subscription": ("OF", "IN"),
    "Dossier": ("RESPONSIBLE", "MEMBER_OF"),
    "Licence": ("VALID_IN", "BELONGS_TO"),
    "ProcessMessage": ("IN", "BELONGS_TO"),
    "MaintenanceWindow": ("FOR",),
    "Application": ("TO",),
}


def _folded(text: str) -> str:
    """``text`` in lower case: the same string when it is already (as most addresses are)."""
    lower = text.lower()
    return text if lower == text else lower


class MemoryGraph:
    """State and shared lookups of :class:`graph_engine.store.memory.MemoryStore`."""

    def __init__(self) -> None:
        self.graph = Multigraph()
        self._lock = threading.RLock()
        self._reset_indexes()
        # A durable store journals each write (store/memory/journal.py); the depth tells
        # a write called by a write (replayed with it) from the one a caller made.
        self._journal: Journal | None = None
        self._write_depth = 0

    def _journaled(
        self,
        operation: str,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        event: audit.Pending | None = None,
    ) -> None:
        """Put a caller's write on disk before it is answered (the caller holds the lock).

        Nothing is built unless the store journals: writes of a store without a
        snapshot file pay nothing for it.
        """
        if self._journal is None or self._write_depth:
            return
        owed = None if event is None else Event.of(event)
        self._journal.append(Write(operation, args, kwargs or {}, owed))

    # -- indexes -------------------------------------------------------------------
    def _reset_indexes(self) -> None:
        self._by_email: dict[str, str] = {}
        self._by_domain: dict[str, str] = {}
        self._by_token: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        self._by_pair: dict[frozenset[str], str] = {}
        # Licences by number; a number is unique within one environment, not across them.
        self._by_number: dict[str, set[str]] = {}
        # Messages in the outbox, in the order they were kept.
        self._outbox: dict[str, None] = {}
        # Pending sign-ups, and their tokens' hashes.
        self._sign_ups: dict[str, None] = {}
        self._by_sign_up_token: dict[str, str] = {}
        # Pending partnership proposals by the key of their pair of environments.
        self._by_pending_pair: dict[str, str] = {}
        # Undelivered process messages, in the order they were written.
        self._pending: dict[str, None] = {}

    def _index_node(self, node_id: str) -> None:
        attrs = self.graph.nodes[node_id]
        label = attrs["label"]
        if label == "User":
            self._by_email[_folded(attrs["email"])] = node_id
        elif label == "Environment":
            self._by_domain[_folded(attrs["emailDomain"])] = node_id
        elif label == "Session":
            self._by_token[attrs["tokenHash"]] = node_id
        elif label == "ApiKey":
            self._by_key[attrs["keyHash"]] = node_id
        elif label == "Licence":
            self._by_number.setdefault(attrs["number"], set()).add(node_id)
        elif label == "OutboxMail":
            self._outbox[node_id] = None
        elif label == "SignUp" and attrs.get("status") == "PENDING":
            self._sign_ups[node_id] = None
            self._by_sign_up_token[attrs["tokenHash"]] = node_id
        elif label == "PartnershipProposal" and attrs.get("pendingKey"):
            self._by_pending_pair[attrs["pendingKey"]] = node_id
        elif label == "ProcessMessage" and attrs.get("pending"):
            self._pending[node_id] = None

    def _index_partnership(self, partnership_id: str) -> None:
        envs = frozenset(self.targets(partnership_id, "BETWEEN"))
        if len(envs) == 2:  # noqa: PLR2004 - a partnership joins two environments
            self._by_pair[envs] = partnership_id

    # -- writes --------------------------------------------------------------------
    def add_node(self, label: str, node_id: str, **props: Any) -> None:
        if node_id in self.graph:
            raise problem("duplicate_id", label=label, id=node_id)
        self.graph.add_node(node_id, label=label, id=node_id, **props)
        self._index_node(node_id)

    def add_edge(self, start: str, end: str, rel_type: str, **props: Any) -> None:
        self.graph.add_edge(start, end, type=rel_type, **props)

    def migrate_relation_links(self) -> int:
        """Move relation links of old onto subscriptions (store/memory/relations.py)."""
        return 0

    # -- reads ---------------------------------------------------------------------
    def node(self, node_id: str, label: str) -> Attrs:
        """The attributes of ``node_id``, which must be a ``label`` node."""
        attrs: Attrs | None = self.graph.nodes.get(node_id)
        if attrs is None or attrs["label"] != label:
            raise problem("not_found", label=label, id=node_id)
        return attrs

    def has(self, node_id: str, label: str) -> bool:
        attrs = self.graph.nodes.get(node_id)
        return attrs is not None and attrs["label"] == label

    def out_edges(self, node_id: str, rel_type: str) -> Iterator[tuple[str, Props]]:
        return self.graph.targets_of(node_id, rel_type)

    def in_edges(self, node_id: str, rel_type: str) -> Iterator[tuple[str, Props]]:
        return self.graph.sources_of(node_id, rel_type)

    def targets(self, node_id: str, rel_type: str) -> list[str]:
        return [t for t, _ in self.out_edges(node_id, rel_type)]

    def sources(self, node_id: str, rel_type: str) -> list[str]:
        return [s for s, _ in self.in_edges(node_id, rel_type)]

    def edge(self, start: str, end: str, rel_type: str) -> Props | None:
        return self.graph.get_edge_data(start, end, key=rel_type)

    def membership(self, user_id: str) -> tuple[str, Role]:
        """(environment id, role) of a user."""
        for env, data in self.out_edges(user_id, "MEMBER_OF"):
            return env, Role(data["role"])
        raise problem("not_found", label="User", id=user_id)

    def env_of_org(self, organisation_id: str) -> str:
        for env in self.targets(organisation_id, "BELONGS_TO"):
            return env
        raise problem("not_found", label="Organisation", id=organisation_id)

    def members(self, environment_id: str) -> list[str]:
        return self.sources(environment_id, "MEMBER_OF")

    def partnership_between(self, env_a: str, env_b: str) -> str | None:
        return self._by_pair.get(frozenset((env_a, env_b)))

    def partner_envs(self, environment_id: str) -> list[str]:
        out: list[str] = []
        for partnership in self.sources(environment_id, "BETWEEN"):
            out.extend(e for e in self.targets(partnership, "BETWEEN") if e != environment_id)
        return out

    def connected(self, a: str, b: str) -> bool:
        return self.connection_edge(a, b) is not None

    def connection_edge(self, a: str, b: str) -> tuple[str, str] | None:
        """The stored direction of the a–b connection, if any."""
        if self.graph.has_edge(a, b, key="CONNECTED_WITH"):
            return a, b
        if self.graph.has_edge(b, a, key="CONNECTED_WITH"):
            return b, a
        return None

    def open_window(self, environment_id: str | None) -> str | None:
        """The id of the environment's open maintenance window, if any."""
        if environment_id is None:
            return None
        for source in self.sources(environment_id, "FOR"):
            attrs = self.graph.nodes[source]
            if attrs["label"] == "MaintenanceWindow" and attrs.get("endedAt") is None:
                return source
        return None

    def open_window_record(self, environment_id: str | None) -> MaintenanceWindow | None:
        window_id = self.open_window(environment_id)
        if window_id is None or environment_id is None:
            return None
        return records.maintenance_window(self.graph.nodes[window_id], environment_id)

    def access_role(self, user_id: str, organisation_id: str) -> Role | None:
        data = self.edge(user_id, organisation_id, "HAS_ACCESS")
        return None if data is None else Role(data["role"])

    def is_usable(self, user_id: str) -> bool:
        """Active and not blocked from logging in."""
        attrs = self.graph.nodes[user_id]
        return bool(attrs.get("active", True)) and not attrs.get("loginBlocked", False)

    def is_active(self, user_id: str) -> bool:
        return bool(self.graph.nodes[user_id].get("active", True))

    def check_seat(self, environment_id: str, excluding: str | None = None) -> None:
        """Refuse one more active user (besides ``excluding``) past the seat limit."""
        limit = self.graph.nodes[environment_id].get("seatLimit")
        if limit is None:
            return
        active = sum(
            1 for u in self.members(environment_id) if u != excluding and self.is_active(u)
        )
        if active >= limit:
            raise problem("seat_limit", environment=environment_id, limit=limit)

    def require_usable(self, user_id: str) -> None:
        if not self.is_usable(user_id):
            raise problem("user_inactive", user=user_id)

    def require_advanced(self, user_id: str) -> None:
        _, role = self.membership(user_id)
        if role not in ADVANCED_ROLES:
            raise problem("role_too_low", user=user_id, role=role, required="ADVANCED_USER")

    # -- records -------------------------------------------------------------------
    def reach_of(self, user_id: str) -> Reach:
        """The reach of a user (see reach.cypher): environments and introduced users."""
        if not self.has(user_id, "User"):
            return Reach(environments=frozenset())
        own, role = self.membership(user_id)
        environments = {own, *self.partner_envs(own)}
        environments.update(self.env_of_org(o) for o in self.targets(user_id, "HAS_ACCESS"))
        addressed = [user_id]
        if role is Role.ADMIN:
            addressed += self.members(own)
        introduced: set[str] = set()
        for target in addressed:
            for request in self.sources(target, "TO"):
                label = self.graph.nodes[request]["label"]
                if label not in REQUEST_SENT_BY:
                    continue
                if target != user_id and label != "PartnershipProposal":
                    continue  # an ADMIN answers proposals only, on a colleague's behalf
                introduced.update(self.sources(request, REQUEST_SENT_BY[label]))
        return Reach(environments=frozenset(environments), introduced=frozenset(introduced))

    def reaches(self, user_id: str, environment_id: str | None) -> bool:
        """Whether ``environment_id`` is among the environments of :meth:`reach_of`
        (answered by index lookups, without building the whole reach)."""
        if environment_id is None or not self.has(user_id, "User"):
            return False
        own, _ = self.membership(user_id)
        if environment_id == own or self.partnership_between(own, environment_id) is not None:
            return True
        return any(
            self.env_of_org(org) == environment_id for org in self.targets(user_id, "HAS_ACCESS")
        )

    def locations(self, ids: Sequence[str]) -> list[Location]:
        """Label and home environments of each id (see locate.cypher)."""
        out = []
        for node_id in dict.fromkeys(ids):
            attrs = self.graph.nodes.get(node_id)
            if attrs is None:
                continue
            homes = self.homes(node_id, attrs["label"])
            out.append(
                Location(
                    id=node_id,
                    label=attrs["label"],
                    environment_id=homes[0] if len(homes) == 1 else None,
                    homes=homes,
                )
            )
        return out

    def homes(self, node_id: str, label: str) -> tuple[str, ...]:  # noqa: PLR0911 - one case per label
        """The environments an entity belongs to (see locate.cypher)."""
        if label == "Environment":
            return (node_id,)
        if label == "User":
            return (self.membership(node_id)[0],)
        if label == "Organisation":
            return (self.env_of_org(node_id),)
        one = HOME_PATHS.get(label)
        if one is not None:
            found = self._follow(node_id, one)
            return (found,) if found is not None else ()
        if label == "Partnership":
            return tuple(sorted(set(self.targets(node_id, "BETWEEN"))))
        if label in REQUEST_SENT_BY:
            parties = self.sources(node_id, REQUEST_SENT_BY[label])
            parties += self.targets(node_id, "TO") + self.targets(node_id, "FOR")
            envs = {self.homes(p, self.graph.nodes[p]["label"])[0] for p in parties}
            return tuple(sorted(envs))
        return ()

    def _follow(self, node_id: str, steps: tuple[str, ...]) -> str | None:
        """Follow outgoing relationships of the given types, one per step."""
        current: str | None = node_id
        for rel_type in steps:
            current = next(iter(self.targets(current, rel_type)), None) if current else None
        return current

    def user_record(self, user_id: str) -> User:
        attrs = self.node(user_id, "User")
        env, role = self.membership(user_id)
        return records.user(attrs, env, role)

    def environment_record(self, environment_id: str) -> Environment:
        return records.environment(self.node(environment_id, "Environment"))

    def organisation_record(self, organisation_id: str) -> Organisation:
        attrs = self.node(organisation_id, "Organisation")
        return records.organisation(attrs, self.env_of_org(organisation_id))

    def partnership_record(self, partnership_id: str) -> Partnership:
        attrs = self.node(partnership_id, "Partnership")
        return records.partnership(
            attrs,
            self.targets(partnership_id, "BETWEEN"),
            self.sources(partnership_id, "REPRESENTS"),
        )

    def request_record(self, request_id: str) -> AuthorizationRequest:
        attrs = self.node(request_id, "AuthorizationRequest")
        return records.authorization_request(
            attrs,
            self.sources(request_id, "SENT")[0],
            self.targets(request_id, "TO")[0],
            self.targets(request_id, "FOR")[0],
        )

    def invitation_record(self, invitation_id: str) -> Invitation:
        attrs = self.node(invitation_id, "Invitation")
        return records.invitation(
            attrs,
            self.sources(invitation_id, "INVITED")[0],
            self.targets(invitation_id, "TO")[0],
            self.targets(invitation_id, "FOR")[0],
        )
