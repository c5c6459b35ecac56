"""The generated graph as SpiceDB relationships, and the invite rule asked of SpiceDB.

``schema.zed`` beside this file says how each node and relationship is written and how
the four checks combine. Everything here goes through the ``authzed`` gRPC client
(the ``bench`` extra: ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import grpc
from authzed.api.v1 import (
    CheckBulkPermissionsRequest,
    CheckBulkPermissionsRequestItem,
    CheckPermissionResponse,
    Consistency,
    LookupSubjectsRequest,
    ObjectReference,
    Relationship,
    RelationshipUpdate,
    SubjectReference,
    WriteRelationshipsRequest,
    WriteSchemaRequest,
    ZedToken,
)
from authzed.api.v1.permission_service_pb2 import ImportBulkRelationshipsRequest
from authzed.api.v1.permission_service_pb2_grpc import PermissionsServiceStub
from authzed.api.v1.schema_service_pb2_grpc import SchemaServiceStub
from grpcutil import insecure_bearer_token_credentials

from graph_engine.model import GraphData, RelRecord

if TYPE_CHECKING:
    # The stubs' asynchronous face, declared for type checkers only.
    from authzed.api.v1.permission_service_pb2_grpc import PermissionsServiceAsyncStub
    from authzed.api.v1.schema_service_pb2_grpc import SchemaServiceAsyncStub

SCHEMA = Path(__file__).resolve().parent / "schema.zed"
BATCH = 10_000  # relationships per ImportBulkRelationships message
ADVANCED = frozenset({"ADMIN", "ADVANCED_USER"})
HAS_PERMISSION = CheckPermissionResponse.PERMISSIONSHIP_HAS_PERMISSION

Tuple = tuple[str, str, str, str, str]  # resource type, id, relation, subject type, id


ROLE_RELATION = {"ADMIN": "admin", "ADVANCED_USER": "advanced_user"}  # others: member


def _edge(rel: RelRecord) -> list[Tuple]:
    """What one of our relationships becomes (BETWEEN and flags are done as pairs)."""
    if rel.type == "MEMBER_OF":
        relation = ROLE_RELATION.get(str(rel.props.get("role")), "member")
        return [
            ("environment", rel.end, relation, "user", rel.start),
            ("user", rel.start, "environment", "environment", rel.end),
        ]
    if rel.type == "BELONGS_TO":
        return [("organisation", rel.start, "environment", "environment", rel.end)]
    if rel.type == "HAS_ACCESS":
        relation = "manager" if rel.props.get("role") in ADVANCED else "accessor"
        return [("organisation", rel.end, relation, "user", rel.start)]
    if rel.type == "CONNECTED_WITH":
        return [
            ("user", rel.start, "connection", "user", rel.end),
            ("user", rel.end, "connection", "user", rel.start),
        ]
    return []


def tuples(data: GraphData) -> Iterator[Tuple]:
    """The relationships ``schema.zed`` needs, from our nodes and relationships."""
    for rel in data.relationships:
        yield from _edge(rel)
    sides: dict[str, list[str]] = {}
    for rel in data.relationships:
        if rel.type == "BETWEEN":
            sides.setdefault(rel.start, []).append(rel.end)
    for first, second in sides.values():
        yield ("environment", first, "partner", "environment", second)
        yield ("environment", second, "partner", "environment", first)
    env_of = {r.start: r.end for r in data.relationships if r.type == "MEMBER_OF"}
    for node in data.nodes:
        if node.label != "User" or node.id not in env_of:
            continue
        if node.props.get("active") is False:
            yield ("environment", env_of[node.id], "inactive", "user", node.id)
        if node.props.get("loginBlocked") is True:
            yield ("environment", env_of[node.id], "login_blocked", "user", node.id)


def relationship(t: Tuple) -> Relationship:
    return Relationship(
        resource=ObjectReference(object_type=t[0], object_id=t[1]),
        relation=t[2],
        subject=SubjectReference(object=ObjectReference(object_type=t[3], object_id=t[4])),
    )


@dataclass(frozen=True)
class Client:
    """One gRPC channel (one HTTP/2 connection) to SpiceDB and the two services used."""

    channel: Any
    permissions: PermissionsServiceAsyncStub
    schema: SchemaServiceAsyncStub

    async def close(self) -> None:
        await self.channel.close()


def connect(target: str, key: str) -> Client:
    """A client with its own connection: channels with a local subchannel pool share none.

    Plain-text gRPC with the preshared key as bearer token, which gRPC allows only to a
    local address: the server runs on this machine's loopback.
    """
    channel = grpc.aio.secure_channel(
        target,
        insecure_bearer_token_credentials(key),
        options=[("grpc.use_local_subchannel_pool", 1)],
    )
    return Client(
        channel,
        cast("PermissionsServiceAsyncStub", PermissionsServiceStub(channel)),
        cast("SchemaServiceAsyncStub", SchemaServiceStub(channel)),
    )


async def load(client: Client, data: GraphData) -> tuple[int, ZedToken]:
    """Write the schema and the graph; the count and a token to read at least that fresh."""
    await client.schema.WriteSchema(WriteSchemaRequest(schema=SCHEMA.read_text(encoding="utf-8")))
    everything = list(tuples(data))

    async def batches() -> AsyncIterator[ImportBulkRelationshipsRequest]:
        for start in range(0, len(everything), BATCH):
            chunk = everything[start : start + BATCH]
            yield ImportBulkRelationshipsRequest(relationships=[relationship(t) for t in chunk])

    loaded = await client.permissions.ImportBulkRelationships(batches())
    # The import answers with a count only; a write of something already there (a touch)
    # gives the revision token that later reads must see.
    touched = await client.permissions.WriteRelationships(
        WriteRelationshipsRequest(
            updates=[
                RelationshipUpdate(
                    operation=RelationshipUpdate.Operation.OPERATION_TOUCH,
                    relationship=relationship(everything[0]),
                )
            ]
        )
    )
    return int(loaded.num_loaded), touched.written_at


def _item(
    resource: str, resource_id: str, permission: str, user: str
) -> CheckBulkPermissionsRequestItem:
    return CheckBulkPermissionsRequestItem(
        resource=ObjectReference(object_type=resource, object_id=resource_id),
        permission=permission,
        subject=SubjectReference(object=ObjectReference(object_type="user", object_id=user)),
    )


async def checks(
    client: Client, token: ZedToken, inviter: str, invitee: str, organisation: str
) -> tuple[bool, bool, bool, bool]:
    """The four checks of ``schema.zed``, in one CheckBulkPermissions call."""
    reply = await client.permissions.CheckBulkPermissions(
        CheckBulkPermissionsRequest(
            consistency=Consistency(at_least_as_fresh=token),
            items=[
                _item("organisation", organisation, "invite_manager", inviter),
                _item("organisation", organisation, "invitable_colleague", invitee),
                _item("organisation", organisation, "invitable_partner", invitee),
                _item("user", invitee, "connection", inviter),
            ],
        )
    )
    found = []
    for pair in reply.pairs:
        if pair.WhichOneof("response") != "item":
            raise RuntimeError(f"SpiceDB check failed: {pair.error}")
        found.append(bool(pair.item.permissionship == HAS_PERMISSION))
    manager, colleague, partner, connected = found
    return manager, colleague, partner, connected


async def can_invite(
    client: Client, token: ZedToken, inviter: str, invitee: str, organisation: str
) -> bool:
    # "Nobody invites themself" compares two ids, which no relation can say: the caller's.
    if inviter == invitee:
        return False
    manager, colleague, partner, connected = await checks(
        client, token, inviter, invitee, organisation
    )
    return manager and (colleague or (partner and connected))


async def _subjects(
    client: Client, token: ZedToken, resource: str, resource_id: str, permission: str
) -> set[str]:
    request = LookupSubjectsRequest(
        consistency=Consistency(at_least_as_fresh=token),
        resource=ObjectReference(object_type=resource, object_id=resource_id),
        permission=permission,
        subject_object_type="user",
    )
    return {
        str(r.subject.subject_object_id) async for r in client.permissions.LookupSubjects(request)
    }


async def invite_candidates(
    client: Client, token: ZedToken, inviter: str, organisation: str
) -> set[str]:
    """Everyone the inviter may invite to the organisation: one check, three lookups."""
    reply, colleagues, partners, connections = await asyncio.gather(
        client.permissions.CheckBulkPermissions(
            CheckBulkPermissionsRequest(
                consistency=Consistency(at_least_as_fresh=token),
                items=[_item("organisation", organisation, "invite_manager", inviter)],
            )
        ),
        _subjects(client, token, "organisation", organisation, "invitable_colleague"),
        _subjects(client, token, "organisation", organisation, "invitable_partner"),
        _subjects(client, token, "user", inviter, "connection"),
    )
    pair = reply.pairs[0]
    if pair.WhichOneof("response") != "item":
        raise RuntimeError(f"SpiceDB check failed: {pair.error}")
    if pair.item.permissionship != HAS_PERMISSION:
        return set()
    # Nobody invites themself (SELF_INVITE), which no relation can say: the caller's.
    return (colleagues | (partners & connections)) - {inviter}
