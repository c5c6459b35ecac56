"""Offboarding (DESIGN §3.3, the Carerix article): deactivation, seats, dossiers, mail.

Who may do what (decided where the article is silent):

* deactivating, reactivating, blocking, renaming, mail settings, reporting lines,
  seat usage and reassigning dossiers: ADMINs of the user's environment and
  operators. An admin cannot deactivate or block themself.
* creating and listing dossiers: any user of the environment but its ``CLIENT`` users
  and ``CANDIDATE`` users, who are the agency's outside parties (a candidate must not read
  the other candidates' dossiers), and its admins and operators; a dossier's
  responsible user must be active.
* reassigning chosen dossiers (``dossierIds``, at most :data:`MAX_DOSSIER_IDS`):
  every id must name a dossier of the environment, else the whole call is
  NOT_FOUND for it, word for word as for an unknown id, and nothing is written.
* routing mail: ADMINs of the environment, operators, and machine keys bound to
  the environment (a mail gateway's ``INTEGRATION`` or ``BACKOFFICE`` key).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_engine import ids
from graph_engine.errors import Forbidden, InvalidInput, problem
from graph_engine.model import (
    OUTSIDER_ROLES,
    Dossier,
    DossierFilter,
    DossierKind,
    MailRoute,
    Page,
    PageRequest,
    Principal,
    SeatUsage,
    User,
)
from graph_engine.services import validate, visibility
from graph_engine.services.access import is_admin_of, reach, require_admin_of, require_user
from graph_engine.services.base import Service
from graph_engine.store.mail import MailStore
from graph_engine.store.offboarding import OffboardingStore
from graph_engine.store.provisioning import ProvisioningReader
from graph_engine.store.visibility import VisibilityStore

DOSSIER_KINDS = tuple(DossierKind)
# How many dossiers one reassignDossiers may name.
MAX_DOSSIER_IDS = 1_000


class OffboardingNeeds(OffboardingStore, MailStore, ProvisioningReader, VisibilityStore, Protocol):
    """What OffboardingService asks of the store: users who leave, where their mail goes, their
    environment read back, within the caller's reach."""


class OffboardingService(Service[OffboardingNeeds]):
    async def _admin_over(self, caller: Principal, user_id: str) -> str:
        """The environment of ``user_id``, which the caller must administer."""
        found = await reach(self.store, caller, [("User", user_id)])
        environment = found[user_id].environment_id
        require_admin_of(caller, environment)
        assert environment is not None  # noqa: S101 - a user always has one
        return environment

    def _not_self(self, caller: Principal, user_id: str) -> None:
        if caller.id == user_id:
            raise problem("self_deactivation", user=user_id)

    async def deactivate_user(self, caller: Principal, user_id: str) -> User:
        """Inactive and blocked from logging in; open sessions end at once."""
        await self._admin_over(caller, user_id)
        self._not_self(caller, user_id)
        return await self.store.set_user_status(
            user_id=user_id,
            active=False,
            login_blocked=True,
            reason=f"the account was deactivated by {caller.id}",
            at=self.now(),
        )

    async def reactivate_user(self, caller: Principal, user_id: str) -> User:
        """Active again and login unblocked; counts a seat again (refused past the limit)."""
        await self._admin_over(caller, user_id)
        return await self.store.set_user_status(
            user_id=user_id, active=True, login_blocked=False, reason="", at=self.now()
        )

    async def block_login(self, caller: Principal, user_id: str) -> User:
        await self._admin_over(caller, user_id)
        self._not_self(caller, user_id)
        return await self.store.set_user_status(
            user_id=user_id,
            active=None,
            login_blocked=True,
            reason=f"login was blocked by {caller.id}",
            at=self.now(),
        )

    async def unblock_login(self, caller: Principal, user_id: str) -> User:
        await self._admin_over(caller, user_id)
        return await self.store.set_user_status(
            user_id=user_id, active=None, login_blocked=False, reason="", at=self.now()
        )

    async def rename_user(self, caller: Principal, user_id: str, username: str) -> User:
        await self._admin_over(caller, user_id)
        return await self.store.rename_user(user_id=user_id, username=validate.username(username))

    async def update_mail_settings(self, caller: Principal, user_id: str, enabled: bool) -> User:
        await self._admin_over(caller, user_id)
        return await self.store.set_mail_enabled(user_id=user_id, enabled=enabled)

    async def set_reports_to(self, caller: Principal, user_id: str, manager_id: str | None) -> User:
        await self._admin_over(caller, user_id)
        if manager_id is not None:
            # A manager outside the caller's reach is the same as one that does not exist.
            await reach(self.store, caller, [("User", manager_id)])
        return await self.store.set_reports_to(user_id=user_id, manager_id=manager_id)

    async def reports_to(self, caller: Principal, user_id: str) -> str | None:
        """Whom a user reports to, for anyone who sees the user's record (an introduced
        user's too); the manager then passes the visibility gate on their own."""
        await visibility.locate(self.store, caller, [("User", user_id)], introduced=True)
        return await self.store.get_reports_to(user_id=user_id)

    async def seat_usage(self, caller: Principal, environment_id: str) -> SeatUsage:
        await reach(self.store, caller, [("Environment", environment_id)])
        require_admin_of(caller, environment_id)
        return await self.store.seat_usage(environment_id=environment_id)

    def _member_or_admin(self, caller: Principal, environment_id: str | None) -> None:
        if is_admin_of(caller, environment_id):
            return
        user = require_user(caller)
        if user.environment_id != environment_id:
            raise problem("wrong_environment", label="User", id=user.id, environment=environment_id)
        if user.role in OUTSIDER_ROLES:
            raise Forbidden(
                f"dossiers are for the staff of environment {environment_id}, not its {user.role}s",
                details={"environment": environment_id, "role": str(user.role)},
            )

    async def create_dossier(
        self, caller: Principal, name: str, kind: str, responsible_id: str
    ) -> Dossier:
        found = await reach(self.store, caller, [("User", responsible_id)])
        self._member_or_admin(caller, found[responsible_id].environment_id)
        kind = validate.clean(kind, "kind").strip().upper()
        if kind not in DOSSIER_KINDS:
            raise InvalidInput(
                f"kind must be one of {', '.join(DOSSIER_KINDS)}", details={"field": "kind"}
            )
        return await self.store.create_dossier(
            dossier_id=ids.new_id("Dossier"),
            name=validate.text(name, "name"),
            kind=kind,
            responsible_id=responsible_id,
            at=self.now(),
        )

    def _environment(self, caller: Principal, environment_id: str | None) -> str:
        if environment_id is not None:
            return environment_id
        if caller.environment_id is None:
            raise InvalidInput("environmentId is required for this caller")
        return caller.environment_id

    @staticmethod
    def _filter(where: DossierFilter) -> DossierFilter:
        needle = where.responsible_name_contains
        if needle is not None:
            needle = validate.text(needle, "responsibleNameContains")
        return DossierFilter(where.responsible_id, needle)

    async def dossiers(
        self,
        caller: Principal,
        environment_id: str | None,
        where: DossierFilter,
        page: PageRequest,
    ) -> Page[Dossier]:
        env = self._environment(caller, environment_id)
        await reach(self.store, caller, [("Environment", env)])
        self._member_or_admin(caller, env)
        return await self.store.list_dossiers(
            environment_id=env, where=self._filter(where), page=page
        )

    async def reassign_dossiers(
        self,
        caller: Principal,
        *,
        environment_id: str | None,
        where: DossierFilter,
        dossier_ids: Sequence[str] | None,
        to_user_id: str | None,
        take_over: bool,
    ) -> int:
        """Give the matching dossiers (or the chosen ones among them) a new responsible user.

        ``take_over`` makes the caller responsible (the article's "neem over"); otherwise
        ``to_user_id`` names the user. A selection is needed: a filter, or dossier ids.
        """
        env = self._environment(caller, environment_id)
        await reach(self.store, caller, [("Environment", env)])
        require_admin_of(caller, env)
        if take_over == (to_user_id is not None):
            raise InvalidInput("give either toUserId or takeOver: true", details={"field": "to"})
        target = require_user(caller).id if take_over else to_user_id
        assert target is not None  # noqa: S101 - checked just above
        where = self._filter(where)
        if where == DossierFilter() and dossier_ids is None:
            raise InvalidInput(
                "choose dossiers: filter by responsible user, or list dossier ids",
                details={"field": "filter"},
            )
        await reach(self.store, caller, [("User", target)])
        if dossier_ids is not None:
            dossier_ids = await self._dossiers_of(caller, env, dossier_ids)
        return await self.store.reassign_dossiers(
            environment_id=env,
            where=where,
            dossier_ids=dossier_ids,
            to_user_id=target,
            at=self.now(),
        )

    async def _dossiers_of(
        self, caller: Principal, environment_id: str, dossier_ids: Sequence[str]
    ) -> list[str]:
        """The chosen ids, each a dossier of the environment (else NOT_FOUND for it)."""
        chosen = validate.chosen(dossier_ids, "dossierIds", "dossiers", MAX_DOSSIER_IDS)
        found = await reach(self.store, caller, [("Dossier", d) for d in chosen])
        for dossier_id in chosen:
            if found[dossier_id].environment_id != environment_id:
                # Another environment's, though within reach: the same answer as unknown.
                raise problem("not_found", label="Dossier", id=dossier_id)
        return chosen

    async def route_mail(self, caller: Principal, address: str) -> MailRoute:
        """Operators, and ADMINs or machine keys of the environment that owns the domain."""
        address = validate.email(address)
        username, domain = address.rsplit("@", 1)
        if not caller.is_operator:
            own = (
                await self.store.get_environment(environment_id=caller.environment_id)
                if caller.environment_id is not None
                else None
            )
            admin = caller.user is None or is_admin_of(caller, caller.environment_id)
            if own is None or own.email_domain != domain or not admin:
                raise Forbidden(
                    f"only operators and ADMINs or keys of the environment of {domain} "
                    "may route its mail",
                    details={"domain": domain},
                )
        return await self.store.route_mail(username=username, email_domain=domain)
