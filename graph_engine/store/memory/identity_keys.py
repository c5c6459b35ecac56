"""API keys that end: listed, revoked, rotated; their last use, in memory."""

from __future__ import annotations

from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import ApiKey, Page, PageRequest, PrincipalKind
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class KeyOps(MemoryGraph):
    def _key_record(self, key_id: str) -> ApiKey:
        attrs = self.graph.nodes[key_id]
        environment = next(iter(self.targets(key_id, "FOR")), None)
        return records.api_key({**attrs, "environment": environment})

    async def touch_api_key(self, *, key_id: str, at: datetime) -> None:
        with self._lock:
            if self.has(key_id, "ApiKey"):
                self.graph.nodes[key_id]["lastUsedAt"] = at

    async def list_api_keys(
        self,
        *,
        environment_id: str | None,
        kind: PrincipalKind | None,
        page: PageRequest,
    ) -> Page[ApiKey]:
        with self._lock:
            found = [
                self._key_record(k)
                for k in sorted(self._by_key.values())
                if (environment_id is None or environment_id in self.targets(k, "FOR"))
                and (kind is None or self.graph.nodes[k]["kind"] == kind)
            ]
            return paginate(found, lambda k: k.id, page)

    async def get_api_key(self, *, key_id: str) -> ApiKey | None:
        with self._lock:
            return self._key_record(key_id) if self.has(key_id, "ApiKey") else None

    async def revoke_api_key(self, *, key_id: str, at: datetime) -> ApiKey | None:
        with self._lock:
            if not self.has(key_id, "ApiKey"):
                return None
            attrs = self.graph.nodes[key_id]
            attrs["revokedAt"] = attrs.get("revokedAt") or at
            return self._key_record(key_id)

    async def rotate_api_key(
        self, *, key_id: str, new_key_id: str, new_key_hash: str, at: datetime
    ) -> ApiKey:
        with self._lock:
            old = self.node(key_id, "ApiKey")
            if old.get("revokedAt") is not None:
                raise problem("key_revoked", key=key_id)
            old["revokedAt"] = at
            self.add_node(
                "ApiKey",
                new_key_id,
                kind=old["kind"],
                name=old["name"],
                keyHash=new_key_hash,
                createdAt=at,
                expiresAt=old.get("expiresAt"),
                rotatedFrom=key_id,
            )
            for environment in self.targets(key_id, "FOR"):
                self.add_edge(new_key_id, environment, "FOR")
            return self._key_record(new_key_id)
