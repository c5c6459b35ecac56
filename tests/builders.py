"""Small builders for test graphs, through the store's own operations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph_engine.model import (
    Billing,
    GraphData,
    NodeRecord,
    Organisation,
    PartnershipOrigin,
    RelRecord,
    Role,
    User,
)
from graph_engine.store.base import GraphStore

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def env(
    store: GraphStore,
    environment_id: str,
    *,
    seat_limit: int | None = None,
    billing: Billing = Billing.PER_PROCESSED_HOUR,
) -> str:
    await store.create_environment(
        environment_id=environment_id,
        name=f"Environment {environment_id}",
        email_domain=f"{environment_id}.example",
        billing=billing,
        seat_limit=seat_limit,
        at=T0,
    )
    return environment_id


async def user(
    store: GraphStore,
    user_id: str,
    environment_id: str,
    role: Role = Role.USER,
    *,
    name: str | None = None,
    password_hash: str | None = None,
) -> User:
    return await store.create_user(
        user_id=user_id,
        environment_id=environment_id,
        email=f"{user_id}@{environment_id}.example",
        username=user_id,
        name=name or f"User {user_id}",
        role=role,
        password_hash=password_hash,
        at=T0,
    )


async def org(store: GraphStore, organisation_id: str, environment_id: str) -> Organisation:
    return await store.create_organisation(
        organisation_id=organisation_id,
        environment_id=environment_id,
        name=f"Organisation {organisation_id}",
        at=T0,
    )


async def partnership(
    store: GraphStore, partnership_id: str, user_id: str, partner_id: str
) -> None:
    await store.create_partnership(
        partnership_id=partnership_id,
        user_id=user_id,
        partner_user_id=partner_id,
        origin=PartnershipOrigin.MANUAL,
        at=T0,
    )


async def article(store: GraphStore) -> None:
    """The eVerbinding article's cast, before any request.

    ``acc`` (the accountant's environment): ``anna`` (ADMIN, first user) and
    ``ruud`` (ADVANCED_USER, relationship manager). ``cust`` (the customer's):
    ``bas`` (ADMIN) and ``carla`` (ADVANCED_USER with ADMIN access to ``o``).
    Organisations: ``o`` in ``cust``, ``oa`` in ``acc``.
    """
    await env(store, "acc")
    await env(store, "cust")
    await user(store, "anna", "acc", name="Anna de Vries")
    await user(store, "ruud", "acc", Role.ADVANCED_USER, name="Ruud Bakker")
    await store.set_relationship_manager(user_id="ruud", enabled=True, at=T0)
    await user(store, "bas", "cust", name="Bas Jansen")
    await user(store, "carla", "cust", Role.ADVANCED_USER, name="Carla Smit")
    await org(store, "o", "cust")
    await org(store, "oa", "acc")
    await store.grant_access(user_id="carla", organisation_id="o", role=Role.ADMIN)


async def request(
    store: GraphStore, request_id: str, sender: str, recipient: str, organisation: str
) -> None:
    await store.send_authorization_request(
        request_id=request_id,
        sender_id=sender,
        recipient_id=recipient,
        organisation_id=organisation,
        software="Yuki",
        at=T0,
    )


async def raw_user(
    store: GraphStore, user_id: str, environment_id: str, role: Role = Role.USER, **props: Any
) -> None:
    """Write a user straight into the store (legacy or odd states, e.g. inactive)."""
    fields: dict[str, Any] = {
        "email": f"{user_id}@{environment_id}.example",
        "username": user_id,
        "name": f"User {user_id}",
        "active": True,
        "loginBlocked": False,
        "mailEnabled": True,
        "relationshipManager": False,
        "createdAt": T0,
    }
    fields.update(props)
    await store.import_graph(
        GraphData(
            nodes=(NodeRecord("User", user_id, fields),),
            relationships=(RelRecord("MEMBER_OF", user_id, environment_id, {"role": str(role)}),),
        )
    )


async def edge_count(store: GraphStore, rel_type: str) -> int:
    data = await store.export_graph()
    return sum(1 for r in data.relationships if r.type == rel_type)


async def node_count(store: GraphStore, label: str) -> int:
    data = await store.export_graph()
    return sum(1 for n in data.nodes if n.label == label)
