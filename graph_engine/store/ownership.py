"""The ownership capability's store protocol: rights, licences and process messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from graph_engine.model import (
    Cancellation,
    Licence,
    Ownership,
    Page,
    PageRequest,
    ProcessMessage,
    Transfer,
)


class OwnershipStore(Protocol):
    """Ownership rights, licences and process messages (DESIGN §3.2).

    An employee with access to a work company holds their own rights there unless a
    ``(holder)-[:HOLDS_RIGHTS_OF {organisation}]->(employee)`` edge says otherwise:
    the default is implied, never stored, so granting access needs no extra write
    and "exactly one holder" means "at most one edge per (employee, work company)".
    """

    async def transfer_ownership(
        self,
        *,
        from_user_id: str,
        to_user_id: str,
        employee_ids: Sequence[str] | None,
        work_company_ids: Sequence[str] | None,
        invalidate: bool,
        reason: str,
        at: datetime,
    ) -> Transfer:
        """Move the rights ``from_user_id`` holds (all, or of the listed employees) to
        ``to_user_id``, in all or the listed work companies; all or nothing.

        ``to_user_id`` must be active and have access to each listed work company (or,
        by default, to each work company where rights move). With ``invalidate``, the
        open sessions of ``from_user_id`` end with ``reason`` when anything moved.
        """

    async def ownership_of(self, *, employee_id: str) -> list[Ownership]:
        """Who holds the employee's rights in each work company they have access to."""

    async def rights_held_by(self, *, user_id: str, page: PageRequest) -> Page[Ownership]:
        """The rights a user holds (their own by default, and others'), by work company."""

    async def restore_own_rights(
        self, *, user_id: str, reason: str, at: datetime
    ) -> list[Ownership]:
        """At login: a user with a licence takes back their own rights from every holder
        (whose sessions end with ``reason``); returns what came back, with the old holder."""

    async def assign_licence(
        self, *, licence_id: str, number: str, user_id: str, work_company_id: str, at: datetime
    ) -> Licence:
        """Assign licence ``number`` (new, or released) to a user in one work company."""

    async def release_licence(self, *, user_id: str, reason: str, at: datetime) -> Licence:
        """Free the user's licence: the assignment, the user's password hash and their open
        sessions (ended with ``reason``) go. Refused while the user holds ownership rights
        anywhere, listing those work companies. ``passwordSet`` on a licence says whether its
        holder has a password now."""

    async def request_licence_cancellation(
        self, *, number: str, environment_id: str | None, at: datetime
    ) -> Cancellation:
        """Cancel a released licence (see :mod:`graph_engine.store.licences`), or say that a
        per-processed-hour contract needs none. With ``environment_id``, a licence of
        another environment is NOT_FOUND."""

    async def licence_of(self, *, user_id: str) -> Licence | None: ...

    async def run_nightly_processing(
        self, *, environment_id: str, run_id: str, process: str, at: datetime
    ) -> int:
        """A pending process message about every (employee, work company) with access."""

    async def deliver_process_messages(
        self, *, environment_id: str | None, at: datetime, batch_size: int = 10_000
    ) -> int:
        """Deliver each pending message to the employee's holder now, exactly once ever,
        also under concurrent runs; returns how many this run delivered."""

    async def inbox(self, *, user_id: str, page: PageRequest) -> Page[ProcessMessage]:
        """The process messages delivered to a user, by id."""
