"""Saved filters and alerts (HelloFlex: "Filters- en alerts worden gedurende de down
time gewoon verzonden"): a user saves a filter over their environment's dossiers, and
an alert run mails each user the dossiers new since their last alert, exactly once.

Decisions where the article is silent:

* a filter selects the **dossiers** of the owner's environment (candidates,
  vacancies, jobs ...: the environment's records every user of it sees), by kind
  and by a text the dossier's name contains. It matches dossiers created from the
  moment it is saved on: what was there before is not news;
* dossiers are for the environment's staff, not its ``CLIENT`` and ``CANDIDATE``
  users (:mod:`graph_engine.services.offboarding`): they save no filter and are
  mailed no alert;
* a filter is its owner's alone: only they list or delete it (an ADMIN does not
  see their users' searches; anyone else's filter is NOT_FOUND, as one that does
  not exist). A user keeps at most :data:`MAX_FILTERS`;
* an alert run (``runAlerts``) is started by the ``BACKOFFICE`` key of an
  environment (for that environment) or by an operator (one environment or all),
  e.g. from a scheduler; both keep working during a maintenance window
  (:func:`graph_engine.services.maintenance.is_exempt`), so alerts go out during
  down time as before it;
* each match is claimed in the store (``(SavedFilter)-[:ALERTED]->(Dossier)``, in
  one transaction per run, safe under concurrent runs) before its mail is handed to
  the mailer: a match is mailed once, never twice. Filters of inactive or blocked
  users wait until the user is active again;
* the mail names the dossiers and the query that opens them (``dossiers``) with
  the user's login: while the window is open, that request answers ``MAINTENANCE``
  (HTTP 503, ``Retry-After`` when the end is known), like every request of a
  regular user, until the window ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from graph_engine import ids
from graph_engine.errors import Forbidden, InvalidInput
from graph_engine.model import (
    OUTSIDER_ROLES,
    Alert,
    DossierKind,
    Page,
    PageRequest,
    Principal,
    PrincipalKind,
    SavedFilter,
)
from graph_engine.services import validate
from graph_engine.services.access import reach, require_user
from graph_engine.services.base import Service
from graph_engine.services.mail import Mail
from graph_engine.store.alerts import AlertStore
from graph_engine.store.visibility import VisibilityStore

# Who runs the alerts the server schedules itself (an operator of no environment).
SCHEDULER = Principal(kind=PrincipalKind.OPERATOR, id="scheduler", environment_id=None)

# How many filters one user keeps (every stored list is bounded).
MAX_FILTERS = 50


@dataclass(frozen=True, slots=True)
class AlertRun:
    """What one run did: the filters with news, the matches claimed, the mails sent."""

    filters: int
    matches: int
    mails: int


def alert_mail(alert: Alert) -> Mail:
    """The message of one filter's new matches, with the query that opens them."""
    f = alert.filter
    lines = "".join(f"- {d.name} ({d.kind}, {d.id})\n" for d in alert.matches)
    count = len(alert.matches)
    return Mail(
        to=alert.owner.email,
        subject=f"{count} new for your filter {f.name}",
        body=(
            f"New since your last alert for the filter {f.name}:\n\n{lines}\n"
            "Open them (logged in, on /graphql):\n"
            f'  query {{ dossiers(environmentId: "{f.environment_id}")'
            " { nodes { id name kind createdAt } } }\n\n"
            "During maintenance this answers MAINTENANCE until the maintenance has"
            " ended; alerts keep coming meanwhile.\n"
        ),
    )


class AlertNeeds(AlertStore, VisibilityStore, Protocol):
    """What AlertService asks of the store: saved filters and their alerts, within the caller's
    reach."""


class AlertService(Service[AlertNeeds]):
    async def save_filter(
        self, caller: Principal, name: str, kind: DossierKind | None, name_contains: str | None
    ) -> SavedFilter:
        user = require_user(caller)
        if user.role in OUTSIDER_ROLES:
            raise Forbidden(
                f"saved filters select dossiers, which are for staff, not {user.role}s",
                details={"role": str(user.role)},
            )
        name = validate.text(name, "name")
        if name_contains is not None:
            name_contains = validate.text(name_contains, "nameContains")
        held = await self.store.list_filters(user_id=user.id, page=PageRequest(first=MAX_FILTERS))
        if len(held.items) >= MAX_FILTERS:
            raise InvalidInput(
                f"a user keeps at most {MAX_FILTERS} saved filters; delete one first",
                details={"max": MAX_FILTERS},
            )
        return await self.store.save_filter(
            filter_id=ids.new_id("SavedFilter"),
            user_id=user.id,
            name=name,
            kind=None if kind is None else str(kind),
            name_contains=name_contains,
            at=self.now(),
        )

    async def saved_filters(self, caller: Principal, page: PageRequest) -> Page[SavedFilter]:
        user = require_user(caller)
        return await self.store.list_filters(user_id=user.id, page=page)

    async def delete_filter(self, caller: Principal, filter_id: str) -> SavedFilter:
        user = require_user(caller)
        return await self.store.delete_filter(filter_id=filter_id, user_id=user.id)

    async def run_scheduled(self) -> AlertRun:
        """Every environment's alerts, run by the server itself (its own schedule)."""
        return await self.run(SCHEDULER, None)

    async def run(self, caller: Principal, environment_id: str | None) -> AlertRun:
        """Mail every filter's new matches (one environment, or all for an operator)."""
        if caller.kind is PrincipalKind.BACKOFFICE:
            environment_id = environment_id or caller.environment_id
            if environment_id is None:
                raise InvalidInput("environmentId is required for this key")
        elif not caller.is_operator:
            raise Forbidden(
                "alerts are run by an environment's BACKOFFICE key or an operator",
                details={"principal": caller.kind},
            )
        if environment_id is not None:
            await reach(self.store, caller, [("Environment", environment_id)])
        alerts = await self.store.run_alerts(environment_id=environment_id, at=self.now())
        # A filter saved before its owner became a CLIENT or CANDIDATE: its matches are
        # claimed (never news again) but not mailed to them.
        alerts = [a for a in alerts if a.owner.role not in OUTSIDER_ROLES]
        for alert in alerts:
            await self.notify.mailer.send(alert_mail(alert))
        return AlertRun(
            filters=len(alerts),
            matches=sum(len(a.matches) for a in alerts),
            mails=len(alerts),
        )
