"""Ownership rights, licences and process messages (DESIGN §3.2, the Easyflex article).

Who may do what (decided where the article is silent):

* transferring rights, assigning, releasing and cancelling licences: ADMINs of
  the environment and operators (the article's *Beheer > Medewerkers*).
* reading who holds an employee's rights, what a user holds, and a user's
  licence: users of the same environment, its ADMINs, and operators.
* the nightly run and delivery: operators, and ``BACKOFFICE`` keys (the
  FlexService link) of the environment.
* an inbox: its owner, ADMINs of their environment, and operators.

Sessions: when rights are taken from a user (a transfer away from them, or the
employee taking their own rights back at login), that user's open sessions end
and their next request fails with ``SESSION_INVALIDATED`` saying why. An ADMIN
who transfers rights away from themself keeps their session: they did it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Sequence
from datetime import UTC
from typing import Protocol, TypeVar

from graph_engine import ids
from graph_engine.errors import ConstraintViolation, Forbidden, InvalidInput, named
from graph_engine.model import (
    Cancellation,
    Licence,
    Ownership,
    Page,
    PageRequest,
    Principal,
    PrincipalKind,
    ProcessMessage,
    Transfer,
)
from graph_engine.services import validate
from graph_engine.services.access import is_admin_of, reach, require_admin_of
from graph_engine.services.base import Service
from graph_engine.store.ownership import OwnershipStore
from graph_engine.store.provisioning import ProvisioningReader
from graph_engine.store.visibility import VisibilityStore

LICENCE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
DEFAULT_PROCESS = "NACHTVERWERKING"
T = TypeVar("T")


def _ids(values: Sequence[str] | None, field: str) -> list[str] | None:
    if values is None:
        return None
    if not values:
        raise InvalidInput(
            f"{field}, when given, lists at least one id (leave it out for all)",
            details={"field": field},
        )
    return list(dict.fromkeys(values))


def licence_number(value: str) -> str:
    number = value.strip()
    if not LICENCE_NUMBER.fullmatch(number):
        raise InvalidInput(
            "a licence number is 1 to 40 letters, digits, dots, dashes or underscores",
            details={"field": "number"},
        )
    return number


class OwnershipNeeds(OwnershipStore, ProvisioningReader, VisibilityStore, Protocol):
    """What OwnershipService asks of the store: rights, licences and process messages; work
    companies read back by name, within the caller's reach."""


class OwnershipService(Service[OwnershipNeeds]):
    async def _environment_of(self, caller: Principal, label: str, node_id: str) -> str:
        found = await reach(self.store, caller, [(label, node_id)])
        environment = found[node_id].environment_id
        assert environment is not None  # noqa: S101 - users and organisations have one
        return environment

    async def _admin_over(self, caller: Principal, label: str, node_id: str) -> str:
        environment = await self._environment_of(caller, label, node_id)
        require_admin_of(caller, environment)
        return environment

    async def _reader_of(self, caller: Principal, user_id: str) -> None:
        environment = await self._environment_of(caller, "User", user_id)
        if is_admin_of(caller, environment):
            return
        if caller.user is None or caller.user.environment_id != environment:
            raise Forbidden(
                f"only users of environment {environment} and operators may see this",
                details={"environment": environment},
            )

    # -- ownership --------------------------------------------------------------------
    async def transfer(
        self,
        caller: Principal,
        from_user_id: str,
        to_user_id: str,
        employee_ids: Sequence[str] | None = None,
        work_company_ids: Sequence[str] | None = None,
    ) -> Transfer:
        """Move the rights ``from_user_id`` holds to ``to_user_id``; all or nothing."""
        employees = _ids(employee_ids, "employeeIds")
        companies = _ids(work_company_ids, "workCompanyIds")
        if from_user_id == to_user_id:
            raise InvalidInput("from and to are the same user", details={"field": "to"})
        await self._admin_over(caller, "User", from_user_id)
        wanted = [("User", to_user_id)]
        wanted += [("User", e) for e in employees or ()]
        wanted += [("Organisation", c) for c in companies or ()]
        await reach(self.store, caller, wanted)
        return await self._naming_companies(
            self.store.transfer_ownership(
                from_user_id=from_user_id,
                to_user_id=to_user_id,
                employee_ids=employees,
                work_company_ids=companies,
                invalidate=caller.id != from_user_id,
                reason=f"your ownership rights were transferred to {to_user_id} by {caller.id}",
                at=self.now(),
            )
        )

    async def _naming_companies(self, call: Awaitable[T]) -> T:
        """A refusal that lists work companies (the store gives their ids) names them too:
        ``workCompanyNames`` beside ``workCompanies``, and "Zuid (org_…)" in the message."""
        try:
            return await call
        except ConstraintViolation as exc:
            companies = exc.details.get("workCompanies")
            if not companies:
                raise
            found = await self.store.get_organisations(ids=companies)
            raise named(exc, {o.id: o.name for o in found}) from None

    async def ownership_of(self, caller: Principal, employee_id: str) -> list[Ownership]:
        await self._reader_of(caller, employee_id)
        return await self.store.ownership_of(employee_id=employee_id)

    async def rights_held_by(
        self, caller: Principal, user_id: str, page: PageRequest
    ) -> Page[Ownership]:
        await self._reader_of(caller, user_id)
        return await self.store.rights_held_by(user_id=user_id, page=page)

    # -- licences ---------------------------------------------------------------------
    async def assign_licence(
        self, caller: Principal, number: str, user_id: str, work_company_id: str
    ) -> Licence:
        number = licence_number(number)
        await self._admin_over(caller, "User", user_id)
        await reach(self.store, caller, [("Organisation", work_company_id)])
        return await self._naming_companies(
            self.store.assign_licence(
                licence_id=ids.new_id("Licence"),
                number=number,
                user_id=user_id,
                work_company_id=work_company_id,
                at=self.now(),
            )
        )

    async def release_licence(self, caller: Principal, user_id: str) -> Licence:
        await self._admin_over(caller, "User", user_id)
        return await self._naming_companies(
            self.store.release_licence(
                user_id=user_id, reason=f"your licence was released by {caller.id}", at=self.now()
            )
        )

    async def licence_of(self, caller: Principal, user_id: str) -> Licence | None:
        await self._reader_of(caller, user_id)
        return await self.store.licence_of(user_id=user_id)

    async def request_cancellation(self, caller: Principal, number: str) -> Cancellation:
        """Cancel a released licence, or hear that a per-processed-hour contract needs none."""
        number = licence_number(number)
        scope = None
        if not caller.is_operator:
            # An ADMIN cancels licences of their own environment; a number of another
            # environment is NOT_FOUND, so that numbers elsewhere stay unseen.
            require_admin_of(caller, caller.environment_id)
            scope = caller.environment_id
        return await self.store.request_licence_cancellation(
            number=number, environment_id=scope, at=self.now().astimezone(UTC)
        )

    # -- process messages -------------------------------------------------------------
    def _require_runner(self, caller: Principal, environment_id: str | None) -> None:
        if caller.is_operator:
            return
        if caller.kind is PrincipalKind.BACKOFFICE and (
            environment_id is not None and caller.environment_id == environment_id
        ):
            return
        raise Forbidden(
            "only operators and the environment's BACKOFFICE key run the nightly processing",
            details={"principal": caller.kind},
        )

    async def run_nightly(
        self, caller: Principal, environment_id: str | None, process: str | None
    ) -> int:
        env = environment_id or caller.environment_id
        if env is None:
            raise InvalidInput("environmentId is required for this caller")
        self._require_runner(caller, env)
        await reach(self.store, caller, [("Environment", env)])
        now = self.now()
        return await self.store.run_nightly_processing(
            environment_id=env,
            run_id=ids.new_id("ProcessMessage"),
            process=validate.text(process or DEFAULT_PROCESS, "process"),
            at=now,
        )

    async def deliver(self, caller: Principal, environment_id: str | None) -> int:
        env = environment_id or (None if caller.is_operator else caller.environment_id)
        self._require_runner(caller, env)
        if env is not None:
            await reach(self.store, caller, [("Environment", env)])
        return await self.store.deliver_process_messages(environment_id=env, at=self.now())

    async def inbox(
        self, caller: Principal, user_id: str | None, page: PageRequest
    ) -> Page[ProcessMessage]:
        if user_id is None:
            if caller.user is None:
                raise InvalidInput(
                    "userId is required for this caller", details={"field": "userId"}
                )
            user_id = caller.user.id
        if caller.id != user_id:
            await self._admin_over(caller, "User", user_id)
        return await self.store.inbox(user_id=user_id, page=page)
