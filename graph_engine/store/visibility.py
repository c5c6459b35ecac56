"""The visibility rule's store protocol (not a capability: every capability applies it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_engine.model import Location, Reach


class VisibilityStore(Protocol):
    """The reach of a user and the location of ids: the one rule of DESIGN §3.0 that
    every capability applies (:mod:`graph_engine.services.visibility`)."""

    async def reach(self, *, user_id: str) -> Reach:
        """What a user reaches: their environment, the environments partnered with it and
        those of organisations they have access to; plus the users who introduced
        themselves by addressing them a request, invitation or proposal.

        The one definition of the rule; :mod:`graph_engine.services.visibility` applies it.

        Examples
        --------
        >>> (await store.reach(user_id="carla")).covers("env_boekhouder")  # doctest: +SKIP
        True
        """

    async def locate(self, *, ids: Sequence[str]) -> list[Location]:
        """Label and home environments of each existing id (unknown ids are left out).

        One home for what lives in one environment (a task or subscription lives in
        its relation's, a dossier in its responsible user's, a licence or process
        message in its work company's); both environments of a partnership; the
        environments of every party of a request, invitation or proposal; none for
        sessions and keys.
        """
