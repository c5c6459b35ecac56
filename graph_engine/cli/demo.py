"""``demo``: the demo data, and a walk through its eVerbinding and Easyflex stories."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph_engine import demo as demo_data
from graph_engine import demo_stories
from graph_engine.cli.common import (
    confirm_reset,
    neo4j_option,
    run,
    settings_from,
    snapshot_option,
    with_reset,
)
from graph_engine.errors import GraphEngineError
from graph_engine.model import PageRequest, Principal, PrincipalKind
from graph_engine.services import Engine
from graph_engine.store.memory import MemoryStore


def demo_banner() -> str:
    lines = [
        f"demo data loaded (the eVerbinding story); log in with password {demo_data.PASSWORD!r} as:"
    ]
    lines += [f"  {u.email:32} {u.name:15} {u.part}" for u in demo_data.USERS]
    lines.append("and the Easyflex story (ownership rights, licences, process messages):")
    lines += [f"  {u.email:32} {u.name:15} {u.part}" for u in demo_data.FLEX_USERS]
    for title, users in (
        ("the Staff story (relation links, support tasks)", demo_stories.STAFF_USERS),
        ("the Carerix story (offboarding)", demo_stories.CARERIX_USERS),
        ("the HelloFlex story (maintenance)", demo_stories.HELLOFLEX_USERS),
    ):
        lines.append(f"and {title}:")
        lines += [f"  {email:32} {name:15} {role}, {part}" for _, email, name, role, part in users]
    return "\n".join(lines)


@click.command()
@neo4j_option
@snapshot_option
@with_reset
def demo(neo4j_uri: str | None, snapshot: Path | None, reset: bool, yes: bool) -> None:
    """Load the demo data (five stories) and walk through the eVerbinding and Easyflex ones.

    Without --neo4j or --snapshot the story runs in memory and is printed step
    by step. With a target, the data is written there and a bearer token is
    printed for each demo user, for a server started on the same store. A store
    that holds the demo already is left as it is (--reset clears it first).
    """
    settings = settings_from(neo4j_uri=neo4j_uri, snapshot=snapshot)
    confirm_reset(reset, yes, settings)

    async def work() -> None:
        engine = settings.engine()
        try:
            await engine.store.migrate()
            if reset:
                await engine.store.clear()
            elif await demo_data.is_loaded(engine):
                click.echo(
                    "the demo data is in this store already: nothing changed"
                    " (--reset deletes everything in the store and loads it again)"
                )
                return
            await demo_data.load_demo(engine)
            click.echo(demo_banner())
            await _walk_through(engine)
            if settings.neo4j_uri or settings.snapshot:
                for user in demo_data.USERS:
                    token, _ = await engine.identity.login(user.email, demo_data.PASSWORD)
                    click.echo(f"token of {user.name}: {token}")
            if isinstance(engine.store, MemoryStore) and settings.snapshot is not None:
                engine.store.save_snapshot(settings.snapshot)
                saved = settings.snapshot
                click.echo(f"saved to {saved}; run: graph-engine serve --snapshot {saved}")
        finally:
            await engine.store.close()

    run(work)


async def _walk_through(engine: Engine) -> None:
    """Ask the story's questions and print the engine's answers."""
    service = engine.partnerships

    async def as_user(user_id: str) -> Principal:
        user = await engine.store.get_user(user_id=user_id)
        assert user is not None  # noqa: S101 - demo data
        return Principal(
            kind=PrincipalKind.USER, id=user.id, environment_id=user.environment_id, user=user
        )

    bas, carla = await as_user("usr_bas"), await as_user("usr_carla")
    org = demo_data.CUSTOMER_ORG
    for caller, invitee in ((bas, "usr_anna"), (bas, "usr_ruud"), (carla, "usr_anna")):
        decision = await service.can_invite(caller, invitee, org)
        verdict = "may" if decision.allowed else "may NOT"
        click.echo(f"{caller.id} {verdict} invite {invitee} to {org}: {decision.code}")
    missing = await engine.store.missing_connections(
        environment_id=demo_data.CUSTOMER_ENV, page=PageRequest(first=50, after=None)
    )
    click.echo(
        "missing connections (legacy data): "
        + json.dumps([[m.user_id, m.peer_id, m.rule] for m in missing.items])
    )
    click.echo(
        "repair with: mutation { repairConnections(partnershipId: "
        f'"{demo_data.PARTNERSHIP}") {{ userId peerId rule }} }}'
    )
    await _walk_through_easyflex(engine, await as_user("usr_ellen"))


async def _walk_through_easyflex(engine: Engine, ellen: Principal) -> None:
    """Who holds Kees's rights, and why his licence cannot be released yet (read only)."""
    service = engine.ownership
    for found in await service.ownership_of(ellen, "usr_kees"):
        click.echo(f"rights of usr_kees in {found.work_company_id} are held by {found.holder_id}")
    inbox = await service.inbox(ellen, "usr_piet", PageRequest(first=50))
    click.echo(f"process messages delivered to usr_piet last night: {len(inbox.items)}")
    try:
        await service.release_licence(ellen, "usr_kees")
    except GraphEngineError as exc:
        click.echo(f"releasing the licence of usr_kees: {exc.code}: {exc.message}")
    click.echo(
        'fix with: mutation { transferOwnership(from: "usr_kees", to: "usr_piet", '
        f'workCompanyIds: ["{demo_data.FLEX_ZUID}"]) {{ invalidatedSessions }} }}'
    )
