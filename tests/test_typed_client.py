"""A typed client generated from ``schema.graphql`` runs the README's tour, on both stores.

ariadne-codegen (pinned in ``tests/typed_client/requirements.txt``) needs graphql-core
3.2 and the server needs 3.3, so it lives in its own environment,
``tests/typed_client/.venv``, which ``scripts/test`` makes. It reads the schema file and
the tour's operations (``tests/typed_client/tour.graphql``) and writes a package of
pydantic models, enums and one async method per operation into a temporary folder; this
test imports that package and walks the eVerbinding story through it against a live
``graph-engine serve`` with the demo data. Nothing generated is kept.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import STORES
from serving import console_script, serving

from graph_engine import demo

HERE = Path(__file__).resolve().parent / "typed_client"
CODEGEN = HERE / ".venv" / "bin" / "ariadne-codegen"
SCHEMA = HERE.parent.parent / "schema.graphql"
PACKAGE = "engine_client"
# What a client that follows the GraphQL-over-HTTP spec sends.
ACCEPT = "application/graphql-response+json, application/json;q=0.9"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client generated from the schema file and the tour, imported."""
    assert CODEGEN.exists(), (
        "ariadne-codegen is not installed: scripts/test makes tests/typed_client/.venv"
    )
    out = tmp_path_factory.mktemp("generated")
    config = out / "codegen.toml"
    config.write_text(
        "[tool.ariadne-codegen]\n"
        f'schema_path = "{SCHEMA}"\n'
        f'queries_path = "{HERE / "tour.graphql"}"\n'
        f'target_package_name = "{PACKAGE}"\n'
        f'target_package_path = "{out}"\n'
        "async_client = true\n",
        encoding="utf-8",
    )
    done = subprocess.run(  # noqa: S603 - the pinned generator, our own files
        [str(CODEGEN), "--config", str(config), "client"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture(
    params=[pytest.param(s, marks=[pytest.mark.neo4j] if s == "neo4j" else []) for s in STORES]
)
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """``graph-engine serve`` with the demo data just loaded, on each store."""
    options: tuple[str, ...] = ()
    if request.param == "neo4j":
        uri = request.getfixturevalue("neo4j_uri")
        loaded = subprocess.run(  # noqa: S603 - our own console script
            [console_script(), "demo", "--neo4j", uri, "--reset", "--yes"],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        assert loaded.returncode == 0, loaded.stderr
        options = ("--neo4j", uri)
    with serving(tmp_path / "serve.log", *options, store=request.param) as port:
        yield f"http://127.0.0.1:{port}/graphql"


async def test_the_readme_tour_runs_through_a_client_generated_from_the_schema(
    client_package: Any, demo_url: str
) -> None:
    async with AsyncExitStack() as clients:
        await walk_the_tour(client_package, demo_url, clients)


async def walk_the_tour(client: Any, url: str, clients: AsyncExitStack) -> None:
    enums = client.enums
    anonymous = await clients.enter_async_context(
        client.Client(url=url, headers={"accept": ACCEPT})
    )

    async def login(email: str) -> Any:
        found = await anonymous.login(email=email, password=demo.PASSWORD)
        assert found.login.user.id
        bearer = {"accept": ACCEPT, "authorization": f"Bearer {found.login.token}"}
        return await clients.enter_async_context(client.Client(url=url, headers=bearer))

    carla = await login("carla@bakkerij-jansen.example")
    bas = await login("bas@bakkerij-jansen.example")
    anna = await login("anna@boekhouder.example")
    org = "org_bakkerij"

    # May Carla invite Anna? No: not connected, and the fix says how.
    asked = (await carla.can_invite(invitee_id="usr_anna", organisation_id=org)).can_invite
    assert (asked.allowed, asked.code) == (False, enums.DecisionCode.NOT_CONNECTED)
    assert asked.fix is not None
    assert asked.fix.action is enums.FixAction.connect
    assert asked.fix.user_ids == ["usr_carla", "usr_anna"]
    assert {n.label for n in asked.path.nodes} >= {enums.NodeLabel.User}
    assert all(isinstance(r.type_, enums.RelationshipType) for r in asked.path.relationships)

    # Bas lists what the old product left out, and repairs it.
    missing = (await bas.missing_connections(environment_id="env_bakkerij")).missing_connections
    pairs = {(m.user.name, m.peer.name, m.rule) for m in missing.nodes if m.user and m.peer}
    assert ("Carla Smit", "Anna de Vries", enums.ConnectionRule.REQUEST_SENDER) in pairs
    assert ("Carla Smit", "Ruud Bakker", enums.ConnectionRule.RELATIONSHIP_MANAGER) in pairs
    repaired = await bas.repair_connections(partnership_id="prt_boekhouder_bakkerij")
    assert {(r.user_id, r.peer_id) for r in repaired.repair_connections} >= {
        ("usr_carla", "usr_anna"),
        ("usr_carla", "usr_ruud"),
    }

    # Same session, no new login: allowed now.
    asked = (await carla.can_invite(invitee_id="usr_anna", organisation_id=org)).can_invite
    assert (asked.allowed, asked.code, asked.fix) == (
        True,
        enums.DecisionCode.PARTNER_CONNECTED,
        None,
    )
    candidates = await carla.invite_candidates(organisation_id=org, first=10)
    assert "usr_anna" in {u.id for u in candidates.invite_candidates.nodes}
    assert candidates.invite_candidates.page_info.has_next_page is False

    # Carla invites Anna (a partner user: pending until Anna accepts), Anna accepts.
    made = (
        await carla.invite(invitee_id="usr_anna", organisation_id=org, role=enums.Role.USER)
    ).invite
    assert (made.status, made.role) == (enums.RequestStatus.PENDING, enums.Role.USER)
    waiting = await anna.invitations(incoming=True, status=enums.RequestStatus.PENDING)
    assert [i.id for i in waiting.invitations.nodes] == [made.id]
    assert waiting.invitations.nodes[0].inviter.name == "Carla Smit"
    accepted = await anna.accept_invitation(invitation_id=made.id)
    assert accepted.accept_invitation.status is enums.RequestStatus.ACCEPTED
    asked = (await carla.can_invite(invitee_id="usr_anna", organisation_id=org)).can_invite
    assert asked.code is enums.DecisionCode.ALREADY_HAS_ACCESS

    # Create and list: a dossier of a closed kind, typed both ways.
    dossier = (
        await bas.create_dossier(
            name="Kandidaat Tour", responsible_id="usr_carla", kind=enums.DossierKind.CONTACT
        )
    ).create_dossier
    assert dossier.kind is enums.DossierKind.CONTACT
    assert dossier.responsible is not None
    assert dossier.responsible.name == "Carla Smit"
    listed = (await bas.dossiers(responsible_id="usr_carla")).dossiers
    assert (dossier.id, "Kandidaat Tour", enums.DossierKind.CONTACT) in {
        (d.id, d.name, d.kind) for d in listed.nodes
    }

    # A refusal arrives as the client's typed error, with our code.
    with pytest.raises(client.GraphQLClientGraphQLMultiError) as refused:
        await anonymous.login(email="carla@bakkerij-jansen.example", password="not the password")
    assert refused.value.errors[0].extensions["code"] == "UNAUTHENTICATED"
