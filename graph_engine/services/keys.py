"""API keys of machine principals: made, listed, revoked and rotated.

Who may: operators, every key; an environment's ADMINs, the ``INTEGRATION`` and
``BACKOFFICE`` keys bound to their environment (never an ``OPERATOR`` key). A key
outside that is NOT_FOUND. A key is shown once, when made or rotated; only its hash
is stored. A revoked key fails from the next request on; a key may carry an end
(``expiresAt``) after which it fails by itself; its last use is kept (to the minute).
"""

from __future__ import annotations

from typing import Protocol

from graph_engine import ids
from graph_engine.errors import Forbidden, problem
from graph_engine.model import ApiKey, Page, PageRequest, Principal, PrincipalKind
from graph_engine.services.access import is_admin_of, reach, require_admin_of, require_operator
from graph_engine.services.base import Service
from graph_engine.store.identity import IdentityStore
from graph_engine.store.visibility import VisibilityStore

MACHINE_KINDS = frozenset({PrincipalKind.INTEGRATION, PrincipalKind.BACKOFFICE})


class KeyNeeds(IdentityStore, VisibilityStore, Protocol):
    """What KeyService asks of the store: API keys, within the caller's reach."""


class KeyService(Service[KeyNeeds]):
    def _may_manage(self, caller: Principal, key: ApiKey) -> bool:
        if caller.is_operator:
            return True
        return (
            key.kind in MACHINE_KINDS
            and key.environment_id is not None
            and is_admin_of(caller, key.environment_id)
        )

    async def _managed(self, caller: Principal, key_id: str) -> ApiKey:
        found = await self.store.get_api_key(key_id=key_id)
        if found is None or not self._may_manage(caller, found):
            raise problem("not_found", label="ApiKey", id=key_id)
        return found

    async def check_create(
        self, caller: Principal, kind: PrincipalKind, environment_id: str | None
    ) -> None:
        """May the caller make a key of this kind for this environment?"""
        if caller.is_operator:
            return
        if environment_id is None or kind not in MACHINE_KINDS:
            raise Forbidden(
                "only operators make OPERATOR keys; an ADMIN makes INTEGRATION and BACKOFFICE"
                " keys for their environment"
            )
        await reach(self.store, caller, [("Environment", environment_id)])
        require_admin_of(caller, environment_id)

    async def keys(
        self, caller: Principal, environment_id: str | None, page: PageRequest
    ) -> Page[ApiKey]:
        """The keys of an environment (its ADMINs, operators), or every key (operators)."""
        if environment_id is None:
            require_operator(caller)
        else:
            await reach(self.store, caller, [("Environment", environment_id)])
            require_admin_of(caller, environment_id)
        return await self.store.list_api_keys(environment_id=environment_id, kind=None, page=page)

    async def revoke(self, caller: Principal, key_id: str) -> ApiKey:
        await self._managed(caller, key_id)
        revoked = await self.store.revoke_api_key(key_id=key_id, at=self.now())
        if revoked is None:
            raise problem("not_found", label="ApiKey", id=key_id)
        return revoked

    async def rotate(self, caller: Principal, key_id: str) -> tuple[ApiKey, str]:
        """Revoke a key and make its successor in one step; returns it and its secret."""
        await self._managed(caller, key_id)
        key = ids.new_api_key()
        made = await self.store.rotate_api_key(
            key_id=key_id,
            new_key_id=ids.new_id("ApiKey"),
            new_key_hash=ids.token_hash(key),
            at=self.now(),
        )
        return made, key

    async def operator_key_exists(self) -> bool:
        """Whether the store holds a working OPERATOR key (minted once per store)."""
        after = None
        while True:
            found = await self.store.list_api_keys(
                environment_id=None,
                kind=PrincipalKind.OPERATOR,
                page=PageRequest(first=100, after=after),
            )
            now = self.now()
            if any(
                k.revoked_at is None and (k.expires_at is None or k.expires_at > now)
                for k in found.items
            ):
                return True
            if not found.has_next_page:
                return False
            after = found.end_cursor
