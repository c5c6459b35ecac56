"""Saved filters and alert runs in memory (HelloFlex: alerts are sent during down time).

A match is claimed by an ``ALERTED`` edge from the filter to the dossier, under the
store's one lock, so two runs never claim the same match.
"""

from __future__ import annotations

from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import Alert, Dossier, Page, PageRequest, SavedFilter
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class AlertOps(MemoryGraph):
    def _filter_record(self, filter_id: str) -> SavedFilter:
        owner = self.targets(filter_id, "OWNED_BY")[0]
        env, _ = self.membership(owner)
        return records.saved_filter(self.graph.nodes[filter_id], owner, env)

    async def save_filter(
        self,
        *,
        filter_id: str,
        user_id: str,
        name: str,
        kind: str | None,
        name_contains: str | None,
        at: datetime,
    ) -> SavedFilter:
        with self._lock:
            self.node(user_id, "User")
            props = {"kind": kind, "nameContains": name_contains}
            self.add_node(
                "SavedFilter",
                filter_id,
                name=name,
                createdAt=at,
                **{k: v for k, v in props.items() if v is not None},
            )
            self.add_edge(filter_id, user_id, "OWNED_BY", since=at)
            return self._filter_record(filter_id)

    async def list_filters(self, *, user_id: str, page: PageRequest) -> Page[SavedFilter]:
        with self._lock:
            self.node(user_id, "User")
            found = [
                self._filter_record(f)
                for f in sorted(self.sources(user_id, "OWNED_BY"))
                if self.has(f, "SavedFilter")
            ]
            return paginate(found, lambda f: f.id, page)

    async def delete_filter(self, *, filter_id: str, user_id: str) -> SavedFilter:
        with self._lock:
            if not self.has(filter_id, "SavedFilter") or self.targets(filter_id, "OWNED_BY") != [
                user_id
            ]:
                raise problem("not_found", label="SavedFilter", id=filter_id)
            found = self._filter_record(filter_id)
            self.graph.remove_node(filter_id)
            return found

    def _new_matches(self, filter_id: str, environment_id: str) -> list[Dossier]:
        attrs = self.graph.nodes[filter_id]
        kind, needle = attrs.get("kind"), attrs.get("nameContains")
        since = records.as_datetime(attrs["createdAt"])
        found: list[Dossier] = []
        for member in self.members(environment_id):
            for dossier_id in self.sources(member, "RESPONSIBLE"):
                d = self.graph.nodes[dossier_id]
                if (
                    d["label"] == "Dossier"
                    and records.as_datetime(d["createdAt"]) >= since
                    and (kind is None or (d.get("kind") or "CANDIDATE") == kind)
                    and (needle is None or needle.lower() in str(d["name"]).lower())
                    and self.edge(filter_id, dossier_id, "ALERTED") is None
                ):
                    found.append(records.dossier(d, environment_id, member))
        return sorted(found, key=lambda d: d.id)

    async def run_alerts(self, *, environment_id: str | None, at: datetime) -> list[Alert]:
        with self._lock:
            filters = sorted(
                node_id
                for node_id, attrs in self.graph.nodes.items()
                if attrs["label"] == "SavedFilter"
            )
            alerts: list[Alert] = []
            for filter_id in filters:
                owner = self.targets(filter_id, "OWNED_BY")[0]
                env, _ = self.membership(owner)
                if (environment_id is not None and env != environment_id) or not self.is_usable(
                    owner
                ):
                    continue
                matches = self._new_matches(filter_id, env)
                if not matches:
                    continue
                for d in matches:
                    self.add_edge(filter_id, d.id, "ALERTED", at=at)
                self.graph.nodes[filter_id]["lastAlertAt"] = at
                alerts.append(
                    Alert(self._filter_record(filter_id), self.user_record(owner), tuple(matches))
                )
            return alerts
