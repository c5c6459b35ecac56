"""Where a node lives and what a caller reaches (DESIGN §3.0)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """Where an entity lives: its label and its home environments.

    ``environment_id`` is the one home of an entity that lives in one environment
    (users, organisations, relations ...); ``homes`` lists every environment an
    entity belongs to (both sides of a partnership or a request). Whether a
    caller may see it is the visibility gate's business
    (:mod:`graph_engine.services.visibility`), decided against :class:`Reach`.
    """

    id: str
    label: str
    environment_id: str | None
    homes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reach:
    """What a caller may see (DESIGN §3.0), read live from the graph once per request.

    ``environments`` are the environments whose contents the caller sees: a user's
    own, those partnered with it and those of organisations they have access to; a
    machine key's own; ``None`` means everything (operators). ``introduced`` are
    users outside those environments who addressed a request or a proposal to the
    caller (or, for an ADMIN, to a user of their environment): the sender made
    themself known, so the caller sees that user's record, and nothing under it.
    """

    environments: frozenset[str] | None
    introduced: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return self.environments is None

    def covers(self, environment_id: str | None) -> bool:
        """Is ``environment_id`` one whose contents the caller sees?"""
        if self.environments is None:
            return True
        return environment_id is not None and environment_id in self.environments

    def contains(self, location: Location) -> bool:
        """Does the entity lie within the reached environments (every home covered)?"""
        if self.environments is None:
            return True
        homes = location.homes or (
            (location.environment_id,) if location.environment_id is not None else ()
        )
        return bool(homes) and all(h in self.environments for h in homes)

    def sees(self, location: Location) -> bool:
        """May the caller see this entity's record: within reach, or introduced?"""
        return self.contains(location) or location.id in self.introduced
