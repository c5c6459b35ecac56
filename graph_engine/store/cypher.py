"""Load the Cypher statements in ``queries/`` by name.

The statements live in one folder per capability, named like the capability's
modules in every layer (``queries/partnerships/can_invite.cypher`` beside
``store/neo4j/partnerships_invitations.py``, ``services/partnerships.py``,
``api/partnerships.py``). A statement is known by its file's name alone: each
store operation of :class:`graph_engine.store.neo4j.Neo4jStore` runs the file
named like it (``can_invite`` → ``queries/partnerships/can_invite.cypher``); a
few operations run helper statements too, named ``<operation>_<part>.cypher``.
Names are unique across the folders (a second file of the same name fails at
start-up), so a statement moves between capabilities without its callers
changing. Every file holds exactly one statement, values only as
``$parameters``. ``bulk/migrate.cypher`` is the one exception: schema commands
cannot share a statement, so it holds several, separated by ``;``.

A hot read asked with a session token runs *in the session*
(:meth:`Queries.in_session`): one statement resolves the token
(``resolve_session.cypher``) and answers the read with the session's user as its
viewer, so the request costs one round trip instead of two. Reads in session
asked at the same moment share one statement (:meth:`Queries.batched`,
``store/neo4j/batching.py``): the statement ``UNWIND``s their parameters and
answers each as its own statement would.

An installed wheel carries the folder as ``graph_engine/queries``; a source
checkout reads the top-level ``queries/`` folder. A missing file fails at
start-up (:meth:`Queries.require`), not on the first request that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import LiteralString

_PACKAGE_DIR = Path(__file__).resolve().parent.parent / "queries"
_SOURCE_DIR = Path(__file__).resolve().parent.parent.parent / "queries"

# The column of a batched statement's rows that says whose ask a row answers.
BATCH_INDEX = "batchAsk"
# What a statement may not hold to be batched (Queries.batched): a parameter in a
# LIMIT, SKIP or OFFSET (they take no variable, so no ask's value); a subquery with its
# own imports (it would not see the ask's index); a `$` in a quoted string (the rewrite
# would change the text). Each only keeps a statement from being batched.
_UNBATCHABLE = re.compile(r"\b(?:LIMIT|SKIP|OFFSET)\s+[^\n$]*\$|\bCALL\s*\(", re.IGNORECASE)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _batchable(statement: str) -> bool:
    code = _code(statement)
    return (
        BATCH_INDEX not in code
        and not _UNBATCHABLE.search(code)
        and not any("$" in s.group(0) for s in _STRING.finditer(code))
    )


def queries_dir() -> Path:
    """The folder the statements are read from."""
    return _PACKAGE_DIR if _PACKAGE_DIR.is_dir() else _SOURCE_DIR


class MissingQueryError(RuntimeError):
    """A statement the store needs has no file."""


class DuplicateQueryError(RuntimeError):
    """Two capability folders hold a statement of the same name."""


class Queries:
    """The statements of one folder, read once."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or queries_dir()
        self._path: dict[str, Path] = {}
        for path in sorted(self.folder.glob("*/*.cypher")):
            other = self._path.setdefault(path.stem, path)
            if other != path:
                raise DuplicateQueryError(
                    f"{path.stem}.cypher is in two folders of {self.folder}: "
                    f"{other.parent.name}/ and {path.parent.name}/"
                )
        self._text: dict[str, str] = {
            name: path.read_text(encoding="utf-8") for name, path in self._path.items()
        }
        self._composed: dict[tuple[str, tuple[str, ...]], str] = {}
        self._batched: dict[tuple[str, tuple[str, ...] | None], str | None] = {}

    def names(self) -> frozenset[str]:
        return frozenset(self._text)

    def capability(self, name: str) -> str:
        """The capability folder statement ``name`` lives in."""
        try:
            return self._path[name].parent.name
        except KeyError:
            raise MissingQueryError(f"no statement {name}.cypher in {self.folder}") from None

    def require(self, names: Iterable[str]) -> None:
        missing = sorted(set(names) - set(self._text))
        if missing:
            raise MissingQueryError(
                f"missing Cypher files in {self.folder}/<capability>/: "
                + ", ".join(f"{m}.cypher" for m in missing)
            )

    def __getitem__(self, name: str) -> LiteralString:
        try:
            text = self._text[name]
        except KeyError:
            raise MissingQueryError(f"no statement {name}.cypher in {self.folder}") from None
        # The text is a file shipped with the package, never built from input
        # (mypy treats LiteralString as str, so no cast is needed to say so).
        return text

    def in_session(self, name: str, *, as_user: tuple[str, ...]) -> LiteralString:
        """Statement ``name`` asked by the holder of ``$tokenHash``.

        ``resolve_session`` runs first; ``name`` then runs for the session's user:
        each parameter in ``as_user`` (say ``viewerId``) becomes an expression that
        looks the user up by the token (an expression, not a variable, so that it
        stays in scope through every ``WITH`` of ``name``). The rows carry
        ``resolve_session``'s columns beside ``name``'s; an unknown token gives no
        row. The caller checks the session (expiry, maintenance) before using the
        answer: reading it first reveals nothing.
        """
        composed = self._composed.get((name, as_user))
        if composed is None:
            composed = self._composed[name, as_user] = self._compose(name, as_user, "")
        return composed

    def _compose(self, name: str, as_user: tuple[str, ...], imports: str) -> str:
        """``resolve_session`` and then ``name``, each a subquery importing ``imports``."""
        body = _code(self[name])
        user = (
            "head(COLLECT { MATCH (:Session {tokenHash: $tokenHash})-[:OF]->(su:User)"
            " RETURN su.id })"
        )
        for param in as_user:
            body = re.sub(rf"\${param}\b", user, body)
        session = _code(self["resolve_session"])
        return f"CALL ({imports}) {{\n{session}\n}}\nCALL ({imports}) {{\n{body}\n}}\nRETURN *"

    def batched(self, name: str, *, as_user: tuple[str, ...] | None = None) -> LiteralString | None:
        """Read ``name`` (or, with ``as_user``, :meth:`in_session`'s) for many asks in
        one statement, or None if it cannot be.

        The statement takes ``$asks``, a list of parameter maps, one per ask, and
        answers each in its own subqueries, exactly as the single statement would with
        that ask's parameters (each ``$p`` reads ``$asks[batchAsk].p``). Each row
        carries the ask's position in the list as column ``batchAsk``; an ask the
        single statement gives no row (an unknown token) has none. A statement with
        a parameter in ``LIMIT``, ``SKIP`` or ``OFFSET`` cannot be batched (those take
        no variable), nor one with a ``CALL (…)`` subquery of its own (it would not
        see the ask's index), a ``$`` in a quoted string, or ``batchAsk`` itself. A
        parameter an ask lacks reads as null (alone, the statement would fail).
        Only for statements that return values (maps, lists, scalars), as the hot
        reads do: the rows are taken as they come.
        """
        key = (name, as_user)
        if key in self._batched:
            return self._batched[key]
        sources = [name] if as_user is None else [name, "resolve_session"]
        batched: str | None = None
        if all(_batchable(self[source]) for source in sources):
            composed = (
                f"CALL ({BATCH_INDEX}) {{\n{_code(self[name])}\n}}\nRETURN *"
                if as_user is None
                else self._compose(name, as_user, BATCH_INDEX)
            )
            asked = re.sub(r"\$(\w+)", rf"$asks[{BATCH_INDEX}].\1", composed)
            batched = f"UNWIND range(0, size($asks) - 1) AS {BATCH_INDEX}\n{asked}"
        self._batched[key] = batched
        return batched

    def statements(self, name: str) -> list[LiteralString]:
        """The ``;``-separated statements of a multi-statement file (``migrate``)."""
        return [s.strip() for s in _code(self[name]).split(";") if s.strip()]


def _code(text: str) -> str:
    """A statement without its comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
