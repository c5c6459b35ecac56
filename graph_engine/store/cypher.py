"""Load the Cypher statements in ``queries/`` by name.

Each store operation of :class:`graph_engine.store.neo4j.Neo4jStore` runs the
file named like it (``can_invite`` → ``queries/can_invite.cypher``); a few
operations run helper statements too, named ``<operation>_<part>.cypher``.
Every file holds exactly one statement, values only as ``$parameters``.
``migrate.cypher`` is the one exception: schema commands cannot share a
statement, so it holds several, separated by ``;``.

An installed wheel carries the folder as ``graph_engine/queries``; a source
checkout reads the top-level ``queries/`` folder. A missing file fails at
start-up (:meth:`Queries.require`), not on the first request that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import LiteralString

_PACKAGE_DIR = Path(__file__).resolve().parent.parent / "queries"
_SOURCE_DIR = Path(__file__).resolve().parent.parent.parent / "queries"


def queries_dir() -> Path:
    """The folder the statements are read from."""
    return _PACKAGE_DIR if _PACKAGE_DIR.is_dir() else _SOURCE_DIR


class MissingQueryError(RuntimeError):
    """A statement the store needs has no file."""


class Queries:
    """The statements of one folder, read once."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or queries_dir()
        self._text: dict[str, str] = {
            path.stem: path.read_text(encoding="utf-8")
            for path in sorted(self.folder.glob("*.cypher"))
        }

    def names(self) -> frozenset[str]:
        return frozenset(self._text)

    def require(self, names: Iterable[str]) -> None:
        missing = sorted(set(names) - set(self._text))
        if missing:
            raise MissingQueryError(
                f"missing Cypher files in {self.folder}: "
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

    def statements(self, name: str) -> list[LiteralString]:
        """The ``;``-separated statements of a multi-statement file (``migrate``)."""
        code = "\n".join(
            line for line in self[name].splitlines() if not line.lstrip().startswith("//")
        )
        return [s.strip() for s in code.split(";") if s.strip()]
