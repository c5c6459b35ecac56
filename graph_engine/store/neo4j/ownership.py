"""Ownership rights, licences and process messages in Neo4j (DESIGN §3.2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from graph_engine.ids import MESSAGE_ID_SEPARATOR
from graph_engine.model import (
    Cancellation,
    Licence,
    Ownership,
    Page,
    PageRequest,
    ProcessMessage,
    Transfer,
)
from graph_engine.store import records
from graph_engine.store.licences import cancellation
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import PAIR_SEPARATOR, pair_key

# Messages claimed per delivery transaction: big enough to amortise a round trip,
# small enough that one transaction's state stays well inside the heap.
DELIVERY_BATCH = 10_000


def _licence(m: convert.Row) -> Licence:
    return records.licence(m, m["workCompany"], m["assignedTo"])


def _message(m: convert.Row) -> ProcessMessage:
    return records.process_message(m, m["employee"], m["workCompany"], m["deliveredTo"])


class OwnershipOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "transfer_ownership",
        "ownership_of",
        "rights_held_by",
        "restore_own_rights",
        "assign_licence",
        "release_licence",
        "request_licence_cancellation",
        "licence_of",
        "run_nightly_processing",
        "pending_process_messages",
        "deliver_process_messages",
        "inbox",
    )

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
        row = await self._one(
            "transfer_ownership",
            write=True,
            fromId=from_user_id,
            toId=to_user_id,
            employeeIds=list(employee_ids) if employee_ids is not None else None,
            workCompanyIds=list(work_company_ids) if work_company_ids is not None else None,
            invalidate=invalidate,
            reason=reason,
            at=at,
        )
        moved = sorted(
            (records.ownership(h["employee"], h["workCompany"], to_user_id) for h in row["moving"]),
            key=lambda o: (o.work_company_id, o.employee_id),
        )
        return Transfer(moved=tuple(moved), invalidated_sessions=int(row["invalidated"]))

    async def ownership_of(self, *, employee_id: str) -> list[Ownership]:
        row = await self._one("ownership_of", employeeId=employee_id)
        return [records.ownership(employee_id, i["workCompany"], i["holder"]) for i in row["items"]]

    async def rights_held_by(self, *, user_id: str, page: PageRequest) -> Page[Ownership]:
        row = await self._one(
            "rights_held_by",
            userId=user_id,
            sep=PAIR_SEPARATOR,
            **convert.page_params(page),
        )
        return convert.to_page(
            row["items"],
            lambda i: records.ownership(i["employee"], i["workCompany"], user_id),
            lambda o: pair_key(o.work_company_id, o.employee_id),
            page,
        )

    async def restore_own_rights(
        self, *, user_id: str, reason: str, at: datetime
    ) -> list[Ownership]:
        row = await self._one(
            "restore_own_rights", write=True, userId=user_id, reason=reason, at=at
        )
        return [records.ownership(user_id, r["workCompany"], r["holder"]) for r in row["restored"]]

    async def assign_licence(
        self, *, licence_id: str, number: str, user_id: str, work_company_id: str, at: datetime
    ) -> Licence:
        row = await self._one(
            "assign_licence",
            write=True,
            licenceId=licence_id,
            number=number,
            userId=user_id,
            workCompanyId=work_company_id,
            at=at,
        )
        return _licence(row["licence"])

    async def release_licence(self, *, user_id: str, reason: str, at: datetime) -> Licence:
        row = await self._one("release_licence", write=True, userId=user_id, reason=reason, at=at)
        return _licence(row["licence"])

    async def request_licence_cancellation(
        self, *, number: str, environment_id: str | None, at: datetime
    ) -> Cancellation:
        row = await self._one(
            "request_licence_cancellation",
            write=True,
            number=number,
            environmentId=environment_id,
            at=at,
        )
        return cancellation(_licence(row["licence"]), bool(row["perHour"]))

    async def licence_of(self, *, user_id: str) -> Licence | None:
        rows = await self._run("licence_of", userId=user_id)
        return _licence(rows[0]["licence"]) if rows else None

    async def run_nightly_processing(
        self, *, environment_id: str, run_id: str, process: str, at: datetime
    ) -> int:
        row = await self._one(
            "run_nightly_processing",
            write=True,
            environmentId=environment_id,
            runId=run_id,
            sep=MESSAGE_ID_SEPARATOR,
            process=process,
            at=at,
        )
        return int(row["created"])

    async def deliver_process_messages(
        self, *, environment_id: str | None, at: datetime, batch_size: int = DELIVERY_BATCH
    ) -> int:
        """Deliver every pending message, one transaction per batch.

        Each batch claims its messages under their locks, so concurrent runs
        deliver each message once; a batch another run took delivers nothing here
        and the loop moves on until no message is pending.
        """
        delivered = 0
        while True:
            row = await self._one(
                "pending_process_messages", environmentId=environment_id, limit=batch_size
            )
            if not row["ids"]:
                return delivered
            ids = sorted(str(i) for i in row["ids"])
            done = await self._write("deliver_process_messages", ids=ids, at=at)
            delivered += int(done[0]["delivered"])

    async def inbox(self, *, user_id: str, page: PageRequest) -> Page[ProcessMessage]:
        row = await self._one("inbox", userId=user_id, **convert.page_params(page))
        return convert.to_page(row["items"], _message, lambda m: m.id, page)
