"""The demo's other three stories, each in an environment of its own (see demo.py).

* **Staff** ("Aan contractant gekoppelde relatie wijzigen"): the vendor *Staff Software*
  keeps CRM relations in its own contractant. Its customer *Hoveniersbedrijf Groen*
  (contractant ``env_groen``, a partner of the vendor) became a B.V.: the new relation
  ``rel_groen_new`` (active subscription ``sub_groen_new``) exists, but the technical
  set-up still sits on the old one's active subscription ``sub_groen_old``; the old
  relation ``rel_groen_old`` holds two open support tasks and a closed one. Sanne, the
  vendor's ADMIN, ends the old subscription (which ends the link), links the new
  relation and re-hangs the tasks.
* **Carerix** (offboarding): in *Werving & Co* Pieter (username ``piet``) leaves. He is
  still active, responsible for three dossiers and reports to Wendy, the ADMIN; Joris
  takes over. Wendy deactivates him, reassigns his dossiers, and stops his mail. Karin,
  who left before him, reports to Wendy too: a candidate's mail to her was forwarded to
  Wendy with the note (in the outbox, as ``graph-engine mail-relay`` forwards it).
* **HelloFlex** (maintenance): *Uitzendbureau Zorgflex* has its year-end run scheduled
  20 hours from when the demo is loaded, by Hanna (Customer Admin): every user sees the
  countdown and a one-time warning; Chris is the HelloFlex consultant, Bram a USER
  (bureaugebruiker), Olga a CLIENT (opdrachtgever), Karim a CANDIDATE (kandidaat).
  Bram saved the filter *Verpleegkundigen* (vacancies whose name holds "verpleeg"): its
  alert mailed him one vacancy four days ago (in the outbox); a second one, posted an
  hour ago, waits for the next alert run, which goes out during the down time too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage

from graph_engine.model import Billing, PartnershipOrigin, Role
from graph_engine.services import Engine
from graph_engine.services.alerts import alert_mail

STAFF_ENV = "env_staff"
GROEN_ENV = "env_groen"
OLD_RELATION = "rel_groen_old"
NEW_RELATION = "rel_groen_new"
CARERIX_ENV = "env_werving"
HELLOFLEX_ENV = "env_zorgflex"

# (id, e-mail, name, role, part in the story)
STAFF_USERS = (
    ("usr_sanne", "sanne@staff-software.example", "Sanne Visser", Role.ADMIN, "of the vendor"),
    ("usr_gert", "gert@groen.example", "Gert Groen", Role.ADMIN, "of the customer"),
)
CARERIX_USERS = (
    ("usr_wendy", "wendy@werving.example", "Wendy Bos", Role.ADMIN, "Pieter reports to her"),
    ("usr_karin", "karin@werving.example", "Karin Smit", Role.USER, "left: her mail goes to Wendy"),
    ("usr_pieter", "piet@werving.example", "Pieter de Wit", Role.USER, "leaving (username piet)"),
    ("usr_joris", "joris@werving.example", "Joris Mulder", Role.USER, "takes over"),
)
HELLOFLEX_USERS = (
    ("usr_hanna", "hanna@zorgflex.example", "Hanna Kok", Role.ADMIN, "Customer Admin"),
    ("usr_chris", "chris@zorgflex.example", "Chris Dekker", Role.CONSULTANT, "consultant"),
    ("usr_bram", "bram@zorgflex.example", "Bram Willems", Role.USER, "bureaugebruiker"),
    ("usr_olga", "olga@zorgflex.example", "Olga Peters", Role.CLIENT, "opdrachtgever"),
    ("usr_karim", "karim@zorgflex.example", "Karim Aziz", Role.CANDIDATE, "kandidaat"),
)
USERS = STAFF_USERS + CARERIX_USERS + HELLOFLEX_USERS


async def _environment(
    engine: Engine,
    *,
    environment_id: str,
    name: str,
    users: tuple[tuple[str, str, str, Role, str], ...],
    password_hash: str,
    at: datetime,
    seat_limit: int | None = None,
    inactive: frozenset[str] = frozenset(),
) -> None:
    """The environment and its users; those in ``inactive`` are made inactive at once
    (so they take no seat from the users after them)."""
    store = engine.store
    domain = users[0][1].split("@", 1)[1]
    await store.create_environment(
        environment_id=environment_id,
        name=name,
        email_domain=domain,
        billing=Billing.PER_PROCESSED_HOUR,
        seat_limit=seat_limit,
        at=at,
    )
    for user_id, email, user_name, role, _ in users:
        await store.create_user(
            user_id=user_id,
            environment_id=environment_id,
            email=email,
            username=email.split("@", 1)[0],
            name=user_name,
            role=role,
            password_hash=password_hash,
            at=at,
        )
        if user_id in inactive:
            await store.set_user_status(
                user_id=user_id, active=False, login_blocked=True, reason="left", at=at
            )


async def load_staff(engine: Engine, password_hash: str) -> None:
    """The vendor, its customer (partners), two relations, the old one linked."""
    store, at = engine.store, engine.clock.now() - timedelta(days=200)
    vendor, customer = STAFF_USERS
    for environment_id, name, user in (
        (STAFF_ENV, "Staff Software", vendor),
        (GROEN_ENV, "Hoveniersbedrijf Groen", customer),
    ):
        await _environment(
            engine,
            environment_id=environment_id,
            name=name,
            users=(user,),
            password_hash=password_hash,
            at=at,
        )
    await store.create_partnership(
        partnership_id="prt_staff_groen",
        user_id=vendor[0],
        partner_user_id=customer[0],
        origin=PartnershipOrigin.MANUAL,
        at=at,
    )
    for relation_id, name, active in (
        # Both subscriptions run: the link sits on the old relation's.
        (OLD_RELATION, "Hoveniersbedrijf Groen (vof)", True),
        (NEW_RELATION, "Hoveniersbedrijf Groen B.V.", True),
    ):
        await store.create_relation(
            relation_id=relation_id, environment_id=STAFF_ENV, name=name, at=at
        )
        await store.create_subscription(
            subscription_id=relation_id.replace("rel_", "sub_"),
            relation_id=relation_id,
            active=active,
            at=at,
        )
    await store.link_relation(
        relation_id=OLD_RELATION, contractant_id=GROEN_ENV, database="groen", at=at
    )
    for task_id, title in (
        ("tsk_groen_loket", "Loket.nl-koppeling geeft een foutmelding"),
        ("tsk_groen_report", "Report Scheduler verstuurt geen weekrapport"),
        ("tsk_groen_user", "Nieuwe gebruiker aanmaken"),
    ):
        await store.create_task(task_id=task_id, relation_id=OLD_RELATION, title=title, at=at)
    await store.close_task(task_id="tsk_groen_user", at=at + timedelta(days=1))


async def load_carerix(engine: Engine, password_hash: str) -> None:
    """Pieter, still active, responsible for three dossiers, reporting to Wendy; Karin,
    who left before, reports to Wendy too, and a candidate's mail to her was forwarded
    to Wendy (in the outbox, the note on top)."""
    store, at = engine.store, engine.clock.now() - timedelta(days=90)
    await _environment(
        engine,
        environment_id=CARERIX_ENV,
        name="Werving & Co",
        users=CARERIX_USERS,
        password_hash=password_hash,
        at=at,
        seat_limit=3,
        inactive=frozenset({"usr_karin"}),
    )
    await store.set_reports_to(user_id="usr_pieter", manager_id="usr_wendy")
    await store.set_reports_to(user_id="usr_karin", manager_id="usr_wendy")
    await _forwarded_mail(engine)
    for dossier_id, name, kind, responsible in (
        ("dos_fatima", "Fatima El Amrani", "CANDIDATE", "usr_pieter"),
        ("dos_lars", "Lars Hendriks", "CANDIDATE", "usr_pieter"),
        ("dos_hoogland", "Bouwbedrijf Hoogland", "COMPANY", "usr_pieter"),
        ("dos_vacature", "Timmerman (m/v)", "VACANCY", "usr_joris"),
    ):
        await store.create_dossier(
            dossier_id=dossier_id, name=name, kind=kind, responsible_id=responsible, at=at
        )


async def _forwarded_mail(engine: Engine) -> None:
    """What ``graph-engine mail-relay`` does with mail to an inactive user: Karin's goes
    to Wendy, with the note; it leaves through the mailer (here: the outbox)."""
    from graph_engine.mailrelay import forwarded  # noqa: PLC0415 - the relay's own code

    message = EmailMessage()
    message["From"] = "sanne.jacobs@mail.example"
    message["To"] = "karin@werving.example"
    message["Subject"] = "Sollicitatie Verpleegkundige"
    message.set_content("Beste Karin,\n\nHierbij mijn sollicitatie.\n\nSanne Jacobs")
    route = await engine.store.route_mail(username="karin", email_domain="werving.example")
    await engine.mailer.send(forwarded(route, message, bytes(message)))


async def load_helloflex(engine: Engine, password_hash: str) -> None:
    """The year-end run scheduled 20 hours ahead: within the 24 h of the warning."""
    now = engine.clock.now()
    await _environment(
        engine,
        environment_id=HELLOFLEX_ENV,
        name="Uitzendbureau Zorgflex",
        users=HELLOFLEX_USERS,
        password_hash=password_hash,
        at=now - timedelta(days=30),
    )
    await engine.store.schedule_maintenance(
        window_id="mnt_jaarwerk",
        environment_id=HELLOFLEX_ENV,
        starts_at=now + timedelta(hours=20),
        created_by="usr_hanna",
        at=now,
    )
    await _alerts(engine, now)


async def _alerts(engine: Engine, now: datetime) -> None:
    """Bram's saved filter, one vacancy alerted (its mail in the outbox), one new."""
    store = engine.store
    await store.save_filter(
        filter_id="flt_verpleeg",
        user_id="usr_bram",
        name="Verpleegkundigen",
        kind="VACANCY",
        name_contains="verpleeg",
        at=now - timedelta(days=7),
    )
    for dossier_id, name, age in (
        ("dos_nachtdienst", "Verpleegkundige nachtdienst", timedelta(days=5)),
        ("dos_receptie", "Receptionist (m/v)", timedelta(days=5)),
    ):
        await store.create_dossier(
            dossier_id=dossier_id,
            name=name,
            kind="VACANCY",
            responsible_id="usr_hanna",
            at=now - age,
        )
    for alert in await store.run_alerts(environment_id=HELLOFLEX_ENV, at=now - timedelta(days=4)):
        await engine.mailer.send(alert_mail(alert))
    await store.create_dossier(
        dossier_id="dos_wijkzorg",
        name="Verpleegkundige wijkzorg",
        kind="VACANCY",
        responsible_id="usr_hanna",
        at=now - timedelta(hours=1),
    )


async def load_stories(engine: Engine, password_hash: str) -> None:
    await load_staff(engine, password_hash)
    await load_carerix(engine, password_hash)
    await load_helloflex(engine, password_hash)
