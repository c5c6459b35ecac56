"""Every store the engine ships, as each store registers itself.

A store package (a folder under ``graph_engine/store/``) calls :func:`register` with its
class when it is imported. :func:`registered` imports every such package first, so the
answer does not depend on what happens to be imported already: the conformance fixture
(``tests/conftest.py``) is parametrized from it, and the meta-tests in
``tests/test_project.py`` fail when a registered store is missing from that fixture or
from a benchmark (unless it is skipped there with a reason).

Examples
--------
>>> sorted(registered())
['memory', 'neo4j']
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Protocol

__all__ = ["register", "registered"]


class NamedStore(Protocol):
    """A store class: ``name`` is how backups, metrics and tests call it."""

    name: str


_STORES: dict[str, type[NamedStore]] = {}


def register(store: type[NamedStore]) -> None:
    """Record ``store`` under its ``name`` (each store package does, once)."""
    known = _STORES.setdefault(store.name, store)
    if known is not store:
        msg = f"two stores are named {store.name!r}: {known.__module__} and {store.__module__}"
        raise ValueError(msg)


def registered() -> dict[str, type[NamedStore]]:
    """Every store, by name, after importing every store package of ``graph_engine.store``."""
    package = importlib.import_module("graph_engine.store")
    for found in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}."):
        if found.ispkg:
            importlib.import_module(found.name)
    return dict(sorted(_STORES.items()))
