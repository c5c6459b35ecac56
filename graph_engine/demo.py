"""Demo data that retells the eVerbinding article ("Partnerschap uitgelegd").

An accountancy firm (the intermediary) and a bakery (its customer):

* Anna (A) of *Boekhouder & Partners* sends Bas (B) of *Bakkerij Jansen* an
  authorization request for the organisation *Bakkerij Jansen B.V.* with the
  Yuki link; Bas accepts. The engine activates the link, creates the
  partnership and connects Bas with Anna and with Ruud, the firm's relationship
  manager.
* Later Carla (C) joins the bakery's environment and accepts a second request
  from Anna. In the old product nothing was new (environment, activation,
  partnership all existed), so no connection was made: that acceptance is
  written here as **legacy data**, straight into the store, without the
  connections. Carla cannot invite Anna until ``repairConnections`` runs.

And the Easyflex article ("Opzeggen licenties"), in the staffing agency
*Uitzendbureau Flex* with work companies *Flex Noord* and *Flex Zuid*:

* Piet and Kees work in both; each has a licence in Flex Noord. Ellen is the
  agency's ADMIN. Last night's run wrote process messages and delivered them.
* This morning Ellen moved Kees's ownership rights to Piet, but only in Flex
  Noord (the article's third question): in Flex Zuid Kees still holds his own,
  so releasing Kees's licence is refused, naming Flex Zuid.

The Staff, Carerix and HelloFlex stories are in :mod:`graph_engine.demo_stories`.

Ids are readable and fixed so the README's examples can name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from graph_engine import demo_stories
from graph_engine.model import (
    Billing,
    GraphData,
    NodeRecord,
    RelRecord,
    RequestStatus,
    Role,
)
from graph_engine.security import hash_password
from graph_engine.services import Engine

PASSWORD = "tulips and bicycles"  # noqa: S105 - the demo data set's published password


@dataclass(frozen=True)
class DemoUser:
    id: str
    email: str
    name: str
    part: str


USERS = (
    DemoUser("usr_anna", "anna@boekhouder.example", "Anna de Vries", "A, the accountant"),
    DemoUser("usr_ruud", "ruud@boekhouder.example", "Ruud Bakker", "relationship manager of A"),
    DemoUser("usr_bas", "bas@bakkerij-jansen.example", "Bas Jansen", "B, the customer"),
    DemoUser("usr_carla", "carla@bakkerij-jansen.example", "Carla Smit", "C, joined B later"),
)
FLEX_USERS = (
    DemoUser("usr_ellen", "ellen@flex-uitzend.example", "Ellen Smit", "ADMIN of the agency"),
    DemoUser("usr_piet", "piet@flex-uitzend.example", "Piet Jansen", "holds Kees's rights (Noord)"),
    DemoUser("usr_kees", "kees@flex-uitzend.example", "Kees de Vries", "leaving; licence EF-1002"),
)
FLEX_ENV = "env_flex"
FLEX_NOORD = "org_flex_noord"
FLEX_ZUID = "org_flex_zuid"
ACCOUNTANT_ENV = "env_boekhouder"
CUSTOMER_ENV = "env_bakkerij"
CUSTOMER_ORG = "org_bakkerij"
ACCOUNTANT_ORG = "org_boekhouder"
PARTNERSHIP = "prt_boekhouder_bakkerij"


async def is_loaded(engine: Engine) -> bool:
    """Whether the store holds the demo already (its first environment is there)."""
    return await engine.store.get_environment(environment_id=ACCOUNTANT_ENV) is not None


async def load_demo(engine: Engine) -> None:
    """Write the story into the engine's store (which should not hold it yet)."""
    store = engine.store
    at = engine.clock.now()
    await store.create_environment(
        environment_id=ACCOUNTANT_ENV,
        name="Boekhouder & Partners",
        email_domain="boekhouder.example",
        billing=Billing.PER_PROCESSED_HOUR,
        seat_limit=None,
        at=at,
    )
    await store.create_environment(
        environment_id=CUSTOMER_ENV,
        name="Bakkerij Jansen",
        email_domain="bakkerij-jansen.example",
        billing=Billing.PER_PROCESSED_HOUR,
        seat_limit=25,
        at=at,
    )
    password_hash = hash_password(PASSWORD)
    roles = {
        "usr_anna": (ACCOUNTANT_ENV, Role.ADMIN),
        "usr_ruud": (ACCOUNTANT_ENV, Role.ADVANCED_USER),
        "usr_bas": (CUSTOMER_ENV, Role.ADMIN),
    }
    for user in USERS[:3]:
        env, role = roles[user.id]
        await store.create_user(
            user_id=user.id,
            environment_id=env,
            email=user.email,
            username=user.email.split("@", 1)[0],
            name=user.name,
            role=role,
            password_hash=password_hash,
            at=at,
        )
    await store.set_relationship_manager(user_id="usr_ruud", enabled=True, at=at)
    await store.create_organisation(
        organisation_id=CUSTOMER_ORG,
        environment_id=CUSTOMER_ENV,
        name="Bakkerij Jansen B.V.",
        at=at,
    )
    await store.create_organisation(
        organisation_id=ACCOUNTANT_ORG,
        environment_id=ACCOUNTANT_ENV,
        name="Boekhouder & Partners Administratie",
        at=at,
    )
    await store.grant_access(user_id="usr_anna", organisation_id=ACCOUNTANT_ORG, role=Role.ADMIN)
    await store.grant_access(user_id="usr_bas", organisation_id=CUSTOMER_ORG, role=Role.ADMIN)
    await store.send_authorization_request(
        request_id="aur_yuki_bas",
        sender_id="usr_anna",
        recipient_id="usr_bas",
        organisation_id=CUSTOMER_ORG,
        software="Yuki",
        at=at,
    )
    await store.accept_authorization_request(
        request_id="aur_yuki_bas", user_id="usr_bas", partnership_id=PARTNERSHIP, at=at
    )
    later = at + timedelta(days=30)
    carla = USERS[3]
    await store.create_user(
        user_id=carla.id,
        environment_id=CUSTOMER_ENV,
        email=carla.email,
        username=carla.email.split("@", 1)[0],
        name=carla.name,
        role=Role.ADVANCED_USER,
        password_hash=password_hash,
        at=later,
    )
    await store.grant_access(user_id=carla.id, organisation_id=CUSTOMER_ORG, role=Role.ADMIN)
    await store.import_graph(legacy_acceptance(at=later))
    await load_easyflex(engine, password_hash)
    await demo_stories.load_stories(engine, password_hash)


async def load_easyflex(engine: Engine, password_hash: str) -> None:
    """The Easyflex story: yesterday's night delivered, a transfer done in one company only."""
    store = engine.store
    at = engine.clock.now()
    await store.create_environment(
        environment_id=FLEX_ENV,
        name="Uitzendbureau Flex",
        email_domain="flex-uitzend.example",
        billing=Billing.PER_LICENCE,
        seat_limit=None,
        at=at - timedelta(days=400),
    )
    for user in FLEX_USERS:
        await store.create_user(
            user_id=user.id,
            environment_id=FLEX_ENV,
            email=user.email,
            username=user.email.split("@", 1)[0],
            name=user.name,
            role=Role.ADMIN if user.id == "usr_ellen" else Role.USER,
            password_hash=password_hash,
            at=at - timedelta(days=400),
        )
    for company, name in ((FLEX_NOORD, "Flex Noord"), (FLEX_ZUID, "Flex Zuid")):
        await store.create_organisation(
            organisation_id=company, environment_id=FLEX_ENV, name=name, at=at
        )
        for user in FLEX_USERS:
            await store.grant_access(user_id=user.id, organisation_id=company, role=Role.USER)
    # The agency is billed per licence: everyone who logs in holds one (Ellen too).
    for user_id, number in (
        ("usr_ellen", "EF-1000"),
        ("usr_piet", "EF-1001"),
        ("usr_kees", "EF-1002"),
    ):
        await store.assign_licence(
            licence_id=f"lic_{number.lower()}",
            number=number,
            user_id=user_id,
            work_company_id=FLEX_NOORD,
            at=at - timedelta(days=400),
        )
    night = at - timedelta(hours=6)
    await store.run_nightly_processing(
        environment_id=FLEX_ENV, run_id="run_demo", process="Verloning", at=night
    )
    await store.deliver_process_messages(environment_id=FLEX_ENV, at=night)
    await store.transfer_ownership(
        from_user_id="usr_kees",
        to_user_id="usr_piet",
        employee_ids=None,
        work_company_ids=[FLEX_NOORD],
        invalidate=True,
        reason="your ownership rights were transferred to usr_piet by usr_ellen",
        at=at,
    )


def legacy_acceptance(*, at: object) -> GraphData:
    """Carla's acceptance as the old product stored it: accepted, but nobody connected."""
    return GraphData(
        nodes=(
            NodeRecord(
                "AuthorizationRequest",
                "aur_yuki_carla",
                {
                    "status": str(RequestStatus.ACCEPTED),
                    "software": "Yuki",
                    "createdAt": at,
                    "decidedAt": at,
                },
            ),
        ),
        relationships=(
            RelRecord("SENT", "usr_anna", "aur_yuki_carla"),
            RelRecord("TO", "aur_yuki_carla", "usr_carla"),
            RelRecord("FOR", "aur_yuki_carla", CUSTOMER_ORG),
        ),
    )
