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

Ids are readable and fixed so the README's examples can name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

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

PASSWORD = "demo-password"  # noqa: S105 - the demo data set's published password


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
ACCOUNTANT_ENV = "env_boekhouder"
CUSTOMER_ENV = "env_bakkerij"
CUSTOMER_ORG = "org_bakkerij"
ACCOUNTANT_ORG = "org_boekhouder"
PARTNERSHIP = "prt_boekhouder_bakkerij"


async def load_demo(engine: Engine) -> None:
    """Write the story into the engine's store (which should be empty)."""
    store = engine.store
    at = engine.clock.now()
    await store.create_environment(
        environment_id=ACCOUNTANT_ENV,
        name="Boekhouder & Partners",
        email_domain="boekhouder.example",
        billing=Billing.PER_LICENCE,
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
