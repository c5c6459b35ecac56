"""The directed multigraph that holds the memory store's graph, sized for a million users.

The store used a ``networkx.MultiDiGraph``; this class keeps the part of its interface
the store uses (``nodes``, ``add_node``, ``add_edge``, ``remove_edge``, ``has_edge``,
``get_edge_data``, ``out_edges``, ``in_edges``, ``edges``, ``remove_node``, ``clear``,
``number_of_nodes``, ``number_of_edges``, with the same iteration orders) and drops what
made a million users cost 3.8 GiB (``benchmarks/generate.py``: 1.2M nodes, 2.95M
edges, restored from a backup file by ``benchmarks/bench_memory.py``: peak RSS 3,889 MiB
before, 1,260 MiB after; figures in ``benchmarks/README.md``). Where the memory went,
measured with ``tracemalloc`` on the same graph at 100k users (360 MiB held): 43% in
strings (every label, type, role and property name read from a file is its own string,
and an edge's two ends were copies of the nodes' ids), 51% in networkx's dictionaries
(per edge a key dictionary and an attribute dictionary of 184 bytes each; per node an
attribute dictionary and two adjacency dictionaries, empty ones included), 4% in the
e-mail index (a lower-cased copy of every address) and 2% in datetimes.

Decided, in order of gain and of least risk:

- **Edges between one pair are the edge itself**, or a tuple of them when a pair has
  several (ownership rights per work company, a message delivered to its own
  employee): no dictionary per pair. An edge's key is derived from its properties by
  :func:`edge_key`, so it is not stored.
- **Edge properties are read-only and shared.** Every edge holds one :class:`EdgeData`
  (its ``type`` and properties); edges whose values are all strings (or None) share one
  per distinct content (all ``MEMBER_OF {role: USER}`` edges hold the same one). Edges
  with a datetime (``CONNECTED_WITH {since}``) keep their own: their contents rarely
  repeat. To change an edge's properties, add it again (:meth:`Multigraph.add_edge`
  merges, as networkx did); writing into one raises ``TypeError``, and readers get a
  ``Mapping``, so mypy refuses such a write too.
- **Known words are stored once**: labels, relationship types, the model's enumeration
  values (roles, statuses, billing…) and property names; an edge's ends are the nodes'
  own id strings.
- **Adjacency is made when needed**: a node without outgoing (incoming) edges has no
  dictionary for them.

Beside this class: the e-mail and domain indexes key an address that is already lower
case by the address itself (graph.py), and snapshot files are read and written one
record at a time (store/snapshot.py), so that opening a durable store does not hold the
graph two or three times over while it loads and folds. What a million users hold now
(1,260 MiB peak, the interpreter's ~40 MiB included; shares measured at 100k users): node
property dicts 23%, the ids, addresses and names themselves 23%, adjacency dicts 19%,
datetimes 6%, the rest the tables of nodes and indexes.

Left as they were, for readability and speed: node properties stay one plain ``dict``
per node (the store reads and updates them in place everywhere, and a slots class per
label would put a Python-level lookup on every read), ``None`` properties stay stored
(records read them with ``[]``), and datetimes are kept as given. The analysis side
(graph_engine/analysis) still builds a networkx graph from a snapshot.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NoReturn

from graph_engine import model
from graph_engine.store.schema import LABELS, RELATIONSHIP_TYPES

Attrs = dict[str, Any]
Props = Mapping[str, Any]

# Words every graph repeats: stored once however many files they came from.
_WORDS: dict[str, str] = {
    sys.intern(word): sys.intern(word)
    for word in (
        *LABELS,
        *RELATIONSHIP_TYPES,
        *(
            str(member.value)
            for kind in vars(model).values()
            if isinstance(kind, type) and issubclass(kind, StrEnum) and kind is not StrEnum
            for member in kind
        ),
    )
}


def edge_key(rel_type: str, props: Props) -> str:
    """Key of an edge among the edges of one pair of nodes.

    One edge per type and pair, except ownership rights, which are held once per
    work company (``HOLDS_RIGHTS_OF {organisation}``).
    """
    if rel_type == "HOLDS_RIGHTS_OF":
        return f"{rel_type}:{props['organisation']}"
    return rel_type


def _canonical(attrs: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The properties with their names interned and known words shared."""
    words, intern = _WORDS, sys.intern
    return [(intern(k), words.get(v, v) if type(v) is str else v) for k, v in attrs]


def _read_only(*_args: Any, **_kwargs: Any) -> NoReturn:
    msg = "edge properties are shared: add the edge again to change them"
    raise TypeError(msg)


class EdgeData(dict[str, Any]):
    """An edge's ``type`` and properties: read-only, since equal ones are shared."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _read_only
    update = setdefault = pop = popitem = clear = _read_only


# The edges from one node to one neighbour: the edge, or several in the order added.
Pair = EdgeData | tuple[EdgeData, ...]
_NONE: Mapping[str, Pair] = MappingProxyType({})


def _key_of(data: EdgeData) -> str:
    return edge_key(data["type"], data)


def _each(pair: Pair) -> tuple[EdgeData, ...]:
    return pair if isinstance(pair, tuple) else (pair,)


class Multigraph:
    """Nodes keyed by id with a property dict each; directed edges keyed per pair.

    Examples
    --------
    >>> g = Multigraph()
    >>> g.add_node("u1", label="User", id="u1")
    >>> g.add_node("e1", label="Environment", id="e1")
    >>> g.add_edge("u1", "e1", type="MEMBER_OF", role="ADMIN")
    >>> [(t, dict(d)) for t, d in g.targets_of("u1", "MEMBER_OF")]
    [('e1', {'type': 'MEMBER_OF', 'role': 'ADMIN'})]
    >>> g.number_of_edges()
    1
    """

    def __init__(self) -> None:
        self.nodes: dict[str, Attrs] = {}
        self._succ: dict[str, dict[str, Pair]] = {}
        self._pred: dict[str, dict[str, Pair]] = {}
        # Shared edge properties by content (the items, in order).
        self._shared: dict[tuple[tuple[str, Any], ...], EdgeData] = {}
        self._edges = 0

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def clear(self) -> None:
        self.nodes.clear()
        self._succ.clear()
        self._pred.clear()
        self._shared.clear()
        self._edges = 0

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return self._edges

    # -- nodes ---------------------------------------------------------------------
    def add_node(self, node: str, **attrs: Any) -> None:
        """Add a node, or update the properties of the one there."""
        props = dict(_canonical(attrs.items()))
        found = self.nodes.get(node)
        if found is None:
            self.nodes[node] = props
        else:
            found.update(props)

    def remove_node(self, node: str) -> None:
        del self.nodes[node]
        for target, pair in self._succ.pop(node, {}).items():
            self._edges -= len(_each(pair))
            if target != node:
                del self._pred[target][node]
        for source, pair in self._pred.pop(node, {}).items():
            if source != node:
                self._edges -= len(_each(pair))
                del self._succ[source][node]

    def _own_id(self, node: str) -> str:
        """The node's own id string (so that edges do not hold copies of it)."""
        attrs = self.nodes.get(node)
        if attrs is None:
            raise KeyError(f"no node {node!r}")
        own = attrs.get("id")
        return own if own == node else node

    # -- edges ---------------------------------------------------------------------
    def _edge_data(self, attrs: Iterable[tuple[str, Any]]) -> EdgeData:
        items = tuple(_canonical(attrs))
        for _, value in items:
            if value is not None and type(value) is not str:
                return EdgeData(items)
        shared = self._shared.get(items)
        if shared is None:
            shared = self._shared[items] = EdgeData(items)
        return shared

    def add_edge(self, start: str, end: str, key: str | None = None, **attrs: Any) -> None:
        """Add an edge (``attrs`` holds its ``type``), or update the one with its key.

        ``key`` may be given (as networkx takes it); it must be :func:`edge_key`'s.
        """
        derived = edge_key(attrs["type"], attrs)
        if key is not None and key != derived:
            raise ValueError(f"edge key {key!r} is not {derived!r}")
        start, end = self._own_id(start), self._own_id(end)
        pair = self._succ.get(start, _NONE).get(end)
        if pair is None:  # the common case: the pair's first edge
            self._set(start, end, (self._edge_data(attrs.items()),))
            self._edges += 1
            return
        edges = _each(pair)
        for i, data in enumerate(edges):
            if _key_of(data) == derived:
                merged = self._edge_data({**data, **attrs}.items())
                self._set(start, end, (*edges[:i], merged, *edges[i + 1 :]))
                return
        self._set(start, end, (*edges, self._edge_data(attrs.items())))
        self._edges += 1

    def _set(self, start: str, end: str, edges: tuple[EdgeData, ...]) -> None:
        """Store the edges of a pair (none: forget the pair)."""
        if not edges:
            del self._succ[start][end]
            del self._pred[end][start]
            return
        pair: Pair = edges[0] if len(edges) == 1 else edges
        self._succ.setdefault(start, {})[end] = pair
        self._pred.setdefault(end, {})[start] = pair

    def remove_edge(self, start: str, end: str, key: str) -> None:
        edges = _each(self._succ.get(start, _NONE)[end])
        kept = tuple(data for data in edges if _key_of(data) != key)
        if len(kept) == len(edges):
            raise KeyError(f"no edge {start!r} -[{key}]-> {end!r}")
        self._set(start, end, kept)
        self._edges -= 1

    def get_edge_data(self, start: str, end: str, key: str) -> Props | None:
        pair = self._succ.get(start, _NONE).get(end)
        if pair is None:
            return None
        if isinstance(pair, tuple):
            return next((data for data in pair if _key_of(data) == key), None)
        return pair if _key_of(pair) == key else None

    def has_edge(self, start: str, end: str, key: str | None = None) -> bool:
        if key is None:
            return end in self._succ.get(start, _NONE)
        return self.get_edge_data(start, end, key) is not None

    # -- walks ---------------------------------------------------------------------
    def targets_of(self, node: str, rel_type: str) -> Iterator[tuple[str, Props]]:
        """(target, properties) of the node's outgoing edges of one type."""
        for target, pair in self._succ.get(node, _NONE).items():
            if isinstance(pair, tuple):
                for data in pair:
                    if data["type"] == rel_type:
                        yield target, data
            elif pair["type"] == rel_type:
                yield target, pair

    def sources_of(self, node: str, rel_type: str) -> Iterator[tuple[str, Props]]:
        """(source, properties) of the node's incoming edges of one type."""
        for source, pair in self._pred.get(node, _NONE).items():
            if isinstance(pair, tuple):
                for data in pair:
                    if data["type"] == rel_type:
                        yield source, data
            elif pair["type"] == rel_type:
                yield source, pair

    def out_edges(self, node: str) -> Iterator[tuple[str, str, Props]]:
        for target, pair in self._succ.get(node, _NONE).items():
            for data in _each(pair):
                yield node, target, data

    def in_edges(self, node: str) -> Iterator[tuple[str, str, Props]]:
        for source, pair in self._pred.get(node, _NONE).items():
            for data in _each(pair):
                yield source, node, data

    def edges(self) -> Iterator[tuple[str, str, Props]]:
        for start in self._succ:
            yield from self.out_edges(start)
