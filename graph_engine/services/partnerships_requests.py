"""Requests that wait for an answer (invitations, authorization requests, partnership
proposals), answered and listed by the same two steps: the caller acts as the user they
are, and the store checks who may answer and does what acceptance means."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from graph_engine.model import Page, Principal
from graph_engine.services.access import require_user
from graph_engine.services.base import Service

R = TypeVar("R")
StoreT = TypeVar("StoreT")


class WaitingRequests(Service[StoreT]):
    async def _answer(
        self,
        caller: Principal,
        answer: Callable[[str, datetime], Awaitable[R]],
        *,
        widens_reach: bool,
    ) -> R:
        """Answer a request as the user the caller is (``answer(user_id, at)``).

        An answer that may change the caller's reach (an acceptance) forgets the reach
        this request has read, so the rest of the request sees the new one.
        """
        user = require_user(caller)
        answered = await answer(user.id, self.now())
        if widens_reach:
            caller.scope.forget()
        return answered

    async def _requests(
        self, caller: Principal, list_requests: Callable[[str], Awaitable[Page[R]]]
    ) -> Page[R]:
        """The requests of one kind to or from the user the caller is."""
        user = require_user(caller)
        return await list_requests(user.id)
