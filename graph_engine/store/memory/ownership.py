"""Ownership rights, licences and process messages in memory (DESIGN §3.2).

The twin of the Neo4j statements. The default holding is implied: an employee
with access to a work company and no incoming ``HOLDS_RIGHTS_OF`` for it holds
their own rights there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from graph_engine.errors import problem
from graph_engine.ids import MESSAGE_ID_SEPARATOR
from graph_engine.model import (
    Billing,
    Cancellation,
    Licence,
    LicenceStatus,
    Ownership,
    Page,
    PageRequest,
    ProcessMessage,
    Transfer,
)
from graph_engine.store import records
from graph_engine.store.licences import cancellation, cancellation_date, number_key
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate, pair_key

RIGHTS = "HOLDS_RIGHTS_OF"


class OwnershipOps(MemoryGraph):
    # -- reads shared by the operations -----------------------------------------------
    def holder(self, employee_id: str, work_company_id: str) -> str:
        """Who holds the employee's rights in the work company (default: the employee)."""
        found = sorted(
            h
            for h, data in self.in_edges(employee_id, RIGHTS)
            if data["organisation"] == work_company_id
        )
        return found[0] if found else employee_id

    def _holders_of(self, employee_id: str) -> dict[str, str]:
        """Work company -> holder, where someone else holds the employee's rights."""
        found: dict[str, str] = {}
        # The first holder in id order wins, as in holder().
        for source, data in sorted(self.in_edges(employee_id, RIGHTS), key=lambda e: e[0]):
            found.setdefault(str(data["organisation"]), source)
        return found

    def held_by(self, user_id: str) -> list[tuple[str, str]]:
        """(employee, work company) pairs whose rights the user holds."""
        pairs = [
            (employee, str(data["organisation"]))
            for employee, data in self.out_edges(user_id, RIGHTS)
            if self.edge(employee, str(data["organisation"]), "HAS_ACCESS") is not None
        ]
        pairs.extend(
            (user_id, o)
            for o in self.targets(user_id, "HAS_ACCESS")
            if self.holder(user_id, o) == user_id
        )
        return pairs

    def _invalidate_sessions(self, user_id: str, reason: str, at: datetime) -> int:
        count = 0
        for session_id in self.sources(user_id, "OF"):
            session = self.graph.nodes[session_id]
            if session["label"] == "Session" and session.get("invalidatedAt") is None:
                session["invalidatedAt"] = at
                session["reason"] = reason
                count += 1
        return count

    def _set_holder(
        self, employee_id: str, work_company_id: str, holder_id: str, at: datetime
    ) -> None:
        for old, data in list(self.in_edges(employee_id, RIGHTS)):
            if data["organisation"] == work_company_id:
                self.graph.remove_edge(old, employee_id, key=f"{RIGHTS}:{work_company_id}")
        if holder_id != employee_id:
            self.add_edge(holder_id, employee_id, RIGHTS, organisation=work_company_id, since=at)

    # -- ownership --------------------------------------------------------------------
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
        with self._lock:
            self.node(from_user_id, "User")
            self.node(to_user_id, "User")
            for employee_id in employee_ids or ():
                self.node(employee_id, "User")
            for company in work_company_ids or ():
                self.node(company, "Organisation")
            env, _ = self.membership(from_user_id)
            if self.membership(to_user_id)[0] != env:
                raise problem("wrong_environment", label="User", id=to_user_id, environment=env)
            for company in work_company_ids or ():
                if self.env_of_org(company) != env:
                    raise problem(
                        "wrong_environment", label="Organisation", id=company, environment=env
                    )
            self.require_usable(to_user_id)
            moving = [
                (employee, company)
                for employee, company in self.held_by(from_user_id)
                if (employee_ids is None or employee in employee_ids)
                and (work_company_ids is None or company in work_company_ids)
            ]
            not_held = sorted({e for e in employee_ids or () if all(m[0] != e for m in moving)})
            if not_held:
                raise problem("not_holder", user=from_user_id, employees=not_held)
            companies = work_company_ids if work_company_ids is not None else [c for _, c in moving]
            no_access = sorted(
                {c for c in companies if self.edge(to_user_id, c, "HAS_ACCESS") is None}
            )
            if no_access:
                raise problem("no_access_to_work_company", user=to_user_id, workCompanies=no_access)
            for employee, company in moving:
                self._set_holder(employee, company, to_user_id, at)
            invalidated = 0
            if invalidate and moving and from_user_id != to_user_id:
                invalidated = self._invalidate_sessions(from_user_id, reason, at)
            moved = sorted(
                (records.ownership(e, c, to_user_id) for e, c in moving),
                key=lambda o: (o.work_company_id, o.employee_id),
            )
            return Transfer(moved=tuple(moved), invalidated_sessions=invalidated)

    async def ownership_of(self, *, employee_id: str) -> list[Ownership]:
        with self._lock:
            self.node(employee_id, "User")
            return [
                records.ownership(employee_id, c, self.holder(employee_id, c))
                for c in sorted(self.targets(employee_id, "HAS_ACCESS"))
            ]

    async def rights_held_by(self, *, user_id: str, page: PageRequest) -> Page[Ownership]:
        with self._lock:
            self.node(user_id, "User")
            items = sorted(
                (records.ownership(e, c, user_id) for e, c in self.held_by(user_id)),
                key=lambda o: pair_key(o.work_company_id, o.employee_id),
            )
            return paginate(items, lambda o: pair_key(o.work_company_id, o.employee_id), page)

    async def restore_own_rights(
        self, *, user_id: str, reason: str, at: datetime
    ) -> list[Ownership]:
        with self._lock:
            self.node(user_id, "User")
            if self._licence_of(user_id) is None:
                return []
            restored = sorted(
                (str(data["organisation"]), holder)
                for holder, data in self.in_edges(user_id, RIGHTS)
                if holder != user_id
            )
            for company, _ in restored:
                self._set_holder(user_id, company, user_id, at)
            for holder in sorted({h for _, h in restored}):
                self._invalidate_sessions(holder, reason, at)
            return [records.ownership(user_id, c, h) for c, h in restored]

    # -- licences ---------------------------------------------------------------------
    def _licence_of(self, user_id: str) -> str | None:
        found = [s for s in self.sources(user_id, "ASSIGNED_TO") if self.has(s, "Licence")]
        return found[0] if found else None

    def _licence_record(self, licence_id: str) -> Licence:
        attrs = self.graph.nodes[licence_id]
        companies = self.targets(licence_id, "VALID_IN")
        assigned = self.targets(licence_id, "ASSIGNED_TO")
        holder = assigned[0] if assigned else None
        password = holder is not None and self.graph.nodes[holder].get("passwordHash") is not None
        return records.licence({**attrs, "passwordSet": password}, companies[0], holder)

    def _check_free(self, existing: str | None, user_id: str, number: str) -> None:
        """The user has no other licence; the licence is not cancelled nor someone else's."""
        own = self._licence_of(user_id)
        if own is not None and own != existing:
            raise problem("has_licence", user=user_id, number=self.graph.nodes[own]["number"])
        if existing is not None:
            if self.graph.nodes[existing].get("status") == LicenceStatus.CANCELLED:
                raise problem("licence_cancelled", number=number)
            holders = self.targets(existing, "ASSIGNED_TO")
            if holders and holders[0] != user_id:
                raise problem("licence_assigned", number=number, user=holders[0])

    async def assign_licence(
        self, *, licence_id: str, number: str, user_id: str, work_company_id: str, at: datetime
    ) -> Licence:
        with self._lock:
            self.node(user_id, "User")
            self.node(work_company_id, "Organisation")
            env, _ = self.membership(user_id)
            if self.env_of_org(work_company_id) != env:
                raise problem(
                    "wrong_environment", label="Organisation", id=work_company_id, environment=env
                )
            existing = self._licence_numbered(number, env)
            self.require_usable(user_id)
            if self.edge(user_id, work_company_id, "HAS_ACCESS") is None:
                raise problem(
                    "no_access_to_work_company", user=user_id, workCompanies=[work_company_id]
                )
            self._check_free(existing, user_id, number)
            if existing is None:
                self.add_node(
                    "Licence",
                    licence_id,
                    number=number,
                    numberKey=number_key(env, number),
                    startedAt=at,
                )
                existing = licence_id
            attrs = self.graph.nodes[existing]
            attrs.update(status=str(LicenceStatus.ASSIGNED), assignedAt=at)
            for rel_type in ("VALID_IN", "ASSIGNED_TO"):
                for target in self.targets(existing, rel_type):
                    self.graph.remove_edge(existing, target, key=rel_type)
            self.add_edge(existing, work_company_id, "VALID_IN")
            self.add_edge(existing, user_id, "ASSIGNED_TO")
            return self._licence_record(existing)

    async def release_licence(self, *, user_id: str, reason: str, at: datetime) -> Licence:
        with self._lock:
            self.node(user_id, "User")
            licence_id = self._licence_of(user_id)
            if licence_id is None:
                raise problem("no_licence", user=user_id)
            companies = sorted({c for _, c in self.held_by(user_id)})
            if companies:
                raise problem("holds_rights", user=user_id, workCompanies=companies)
            self.graph.remove_edge(licence_id, user_id, key="ASSIGNED_TO")
            self.graph.nodes[licence_id].update(status=str(LicenceStatus.RELEASED), releasedAt=at)
            # The password itself goes (not a flag), and so does every open session.
            # Marked, so that no ADMIN can give the account a password of their choosing
            # through an activation token (set_activation_token): the user resets it.
            self.graph.nodes[user_id].update(passwordHash=None, passwordRemovedAt=at)
            self._invalidate_sessions(user_id, reason, at)
            return self._licence_record(licence_id)

    def _licence_env(self, licence_id: str) -> str | None:
        valid_in = self.targets(licence_id, "VALID_IN")
        return self.env_of_org(valid_in[0]) if valid_in else None

    def _licence_numbered(self, number: str, environment_id: str) -> str | None:
        """The licence of that number in that environment (numbers are per environment)."""
        for licence_id in sorted(self._by_number.get(number, ())):
            if self._licence_env(licence_id) == environment_id:
                return licence_id
        return None

    async def request_licence_cancellation(
        self, *, number: str, environment_id: str | None, at: datetime
    ) -> Cancellation:
        with self._lock:
            found = sorted(
                i
                for i in self._by_number.get(number, ())
                if environment_id in (None, self._licence_env(i))
            )
            if len(found) > 1:
                raise problem("licence_number_ambiguous", number=number)
            licence_id = found[0] if found else None
            env = None if licence_id is None else self._licence_env(licence_id)
            if licence_id is None or env is None:
                raise problem("not_found", label="Licence", id=number)
            billing = self.graph.nodes[env].get("billing", Billing.PER_LICENCE)
            if billing == Billing.PER_PROCESSED_HOUR:
                return cancellation(self._licence_record(licence_id), per_hour=True)
            holders = self.targets(licence_id, "ASSIGNED_TO")
            if holders:
                raise problem("licence_assigned", number=number, user=holders[0])
            attrs = self.graph.nodes[licence_id]
            if attrs.get("status") != LicenceStatus.CANCELLED:
                attrs.update(
                    status=str(LicenceStatus.CANCELLED),
                    cancelRequestedAt=at,
                    cancelAt=cancellation_date(attrs["startedAt"], at),
                )
            return cancellation(self._licence_record(licence_id), per_hour=False)

    async def licence_of(self, *, user_id: str) -> Licence | None:
        with self._lock:
            licence_id = self._licence_of(user_id) if user_id in self.graph else None
            return None if licence_id is None else self._licence_record(licence_id)

    # -- process messages -------------------------------------------------------------
    async def run_nightly_processing(
        self, *, environment_id: str, run_id: str, process: str, at: datetime
    ) -> int:
        with self._lock:
            self.node(environment_id, "Environment")
            about = [
                (f"{run_id}{MESSAGE_ID_SEPARATOR}{o}{MESSAGE_ID_SEPARATOR}{u}", u, o)
                for o in self.sources(environment_id, "BELONGS_TO")
                if self.has(o, "Organisation")
                for u in self.sources(o, "HAS_ACCESS")
            ]
            for message_id, _, _ in about:
                if message_id in self.graph:
                    raise problem("duplicate_id", label="ProcessMessage", id=message_id)
            for message_id, employee, company in about:
                self.add_node(
                    "ProcessMessage", message_id, process=process, createdAt=at, pending=True
                )
                self.add_edge(message_id, employee, "ABOUT")
                self.add_edge(message_id, company, "IN")
            return len(about)

    async def deliver_process_messages(
        self, *, environment_id: str | None, at: datetime, batch_size: int = 10_000
    ) -> int:
        """Deliver every pending message to its employee's holder now, once."""
        del batch_size  # one lock for the whole run: nothing to batch in memory
        with self._lock:
            # Holders do not change during the run (the lock is held): read each
            # employee's held rights once, not once per message.
            held: dict[str, dict[str, str]] = {}
            delivered = 0
            for message_id in list(self._pending):
                company = next(t for t, _ in self.out_edges(message_id, "IN"))
                if environment_id is not None and self.env_of_org(company) != environment_id:
                    continue
                employee = next(t for t, _ in self.out_edges(message_id, "ABOUT"))
                rights = held.get(employee)
                if rights is None:
                    rights = held[employee] = self._holders_of(employee)
                holder = rights.get(company, employee)
                self.add_edge(message_id, holder, "DELIVERED_TO")
                attrs = self.graph.nodes[message_id]
                attrs["deliveredAt"] = at
                del attrs["pending"]
                del self._pending[message_id]
                delivered += 1
            return delivered

    def _message_record(self, message_id: str) -> ProcessMessage:
        delivered = self.targets(message_id, "DELIVERED_TO")
        return records.process_message(
            self.graph.nodes[message_id],
            self.targets(message_id, "ABOUT")[0],
            self.targets(message_id, "IN")[0],
            delivered[0] if delivered else None,
        )

    async def inbox(self, *, user_id: str, page: PageRequest) -> Page[ProcessMessage]:
        with self._lock:
            self.node(user_id, "User")
            items = [
                self._message_record(m)
                for m in sorted(self.sources(user_id, "DELIVERED_TO"))
                if self.has(m, "ProcessMessage")
            ]
            return paginate(items, lambda m: m.id, page)
