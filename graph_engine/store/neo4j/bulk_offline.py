"""A whole graph into an empty Neo4j, the fast way: ``neo4j-admin database import full``.

Only for a server started on this machine by the development tools
(``graph-engine neo4j start``, the tests, the benchmarks; see
:mod:`.bulk_local_server`): the importer writes
the store files of a stopped database, so the server stops for it and starts
again, on the same port with the same settings. The steps:

1. the records become CSV files (:mod:`.admin_csv`), checked as the online
   import checks them; a value without an exact CSV form stops here, with
   nothing touched, and the caller loads online;
2. the store must still be empty; the server stops and the empty database's
   files are moved aside;
3. the importer writes the new database; the server starts again;
4. ``migrate`` creates the constraints and indexes over the whole graph at
   once (much cheaper than keeping them up to date row by row), and empty
   lists, which the importer cannot write, are set;
5. the counts are checked and the old files deleted.

A failure from step 2 on puts the empty database's files back, so the store is
as before: empty, with its constraints and indexes. Data that breaks a
uniqueness constraint (two users with one address) fails step 4 that way.

Writes that reach the server between the check of step 2 and its stop are
lost with the empty database; and a process that used the server before keeps
its driver's bookmarks of the old database. Load into a server nothing else
uses (``graph-engine restore`` is run before ``serve``).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from neo4j import exceptions as neo

from graph_engine.errors import ConstraintViolation, InvalidInput, StoreUnavailable
from graph_engine.model import NodeRecord, RelRecord
from graph_engine.store.neo4j.bulk import BulkOps
from graph_engine.store.neo4j.bulk_admin_csv import CsvFiles, NotRepresentable
from graph_engine.store.neo4j.bulk_local_server import LocalServerError

if TYPE_CHECKING:
    from graph_engine.store.neo4j.bulk_local_server import LocalServer

# Called with (stage, done, total) as the work goes on; the stages are PREPARING
# (records), IMPORTING (percent), STARTING and INDEXING (0 or 1 each).
Progress = Callable[[str, int, int], None]
PREPARING = "preparing"
IMPORTING = "importing"
STARTING = "starting Neo4j"
INDEXING = "indexing"

_STEP = re.compile(r"^\((\d+)/(\d+)\) ")
_PERCENT = re.compile(r"\s(\d+)% ")


class OfflineOps(BulkOps):
    """The raw import and export of :class:`BulkOps`, and the offline load."""

    QUERIES: ClassVar[tuple[str, ...]] = ("load_offline_empty_lists",)

    async def load_offline(
        self,
        server: LocalServer,
        records: Iterable[NodeRecord | RelRecord],
        *,
        total: int = 0,
        progress: Progress | None = None,
    ) -> bool:
        """Load ``records`` (each node before the relationships that name it) into the
        empty database of ``server``, the local server this store talks to.

        Returns False, with nothing written, when a value has no exact CSV form (load
        online then). Raises :class:`~graph_engine.errors.InvalidInput`, with nothing
        written, for records the online import refuses too, or when the store is not
        empty.
        """
        report = progress or _quiet
        scratch = server.home / "import"
        scratch.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="graph-engine-load-", dir=scratch))
        try:
            files = CsvFiles(folder)
            add_node, add_relationship = files.add_node, files.add_relationship
            try:
                for done, record in enumerate(records, start=1):
                    if type(record) is NodeRecord:
                        add_node(record)
                    else:
                        add_relationship(record)  # type: ignore[arg-type]
                    if done % 10_000 == 0:
                        report(PREPARING, done, total)
            except NotRepresentable:
                return False
            finally:
                files.close()
            report(PREPARING, files.nodes + files.relationships, total)
            held, _ = await self.graph_size()
            if held:
                raise InvalidInput(
                    f"the store holds {held:,} nodes already: a bulk load needs an empty store"
                )
            await self._replace_database(server, files, report)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return True

    async def _replace_database(
        self, server: LocalServer, files: CsvFiles, report: Progress
    ) -> None:
        data = server.home / "data"
        swap = _Swap(
            (data / "databases" / self.database, data / "transactions" / self.database),
            Path(tempfile.mkdtemp(prefix="graph-engine-empty-", dir=server.home)),
        )
        try:
            try:
                await asyncio.to_thread(self._import, server, files, swap, report)
                await self._forget_bookmarks()
                report(INDEXING, 0, 1)
                await self._finish(files)
                report(INDEXING, 1, 1)
            except BaseException:
                if swap.moved:
                    await asyncio.to_thread(swap.put_back, server)
                    await self._forget_bookmarks()
                raise
        except LocalServerError as exc:
            raise StoreUnavailable(
                f"the local Neo4j did not stop or start again: {exc.reason}",
                suggestion="See its logs; `graph-engine neo4j status` tells whether it runs.",
            ) from exc
        finally:
            shutil.rmtree(swap.aside, ignore_errors=True)

    async def _forget_bookmarks(self) -> None:
        """Replace the transactions the driver remembers (the old database's, which the
        new one would be waited on to reach) with the new database's latest."""
        async with self._errors(), self.driver.session(database=self.database) as session:
            await (await session.run(self.queries["ping"])).consume()
            latest = await session.last_bookmarks()
        remembered = self.driver.execute_query_bookmark_manager
        await remembered.update_bookmarks(await remembered.get_bookmarks(), latest.raw_values)

    async def _finish(self, files: CsvFiles) -> None:
        """The constraints and indexes, the empty lists, and a count of what is there."""
        try:
            await self.migrate()
        except neo.Neo4jError as exc:
            # A uniqueness constraint that the data breaks cannot be built over it.
            raise ConstraintViolation(
                f"the data breaks a rule of the store: {exc.message}",
                suggestion="Nothing was loaded; correct the data and load it again.",
            ) from None
        if files.empty_lists:
            # CALL … IN TRANSACTIONS needs an auto-commit transaction: not execute_query.
            async with self._errors(), self.driver.session(database=self.database) as session:
                statement = self.queries["load_offline_empty_lists"]
                await (await session.run(statement)).consume()
        held = await self.graph_size()
        if held != (files.nodes, files.relationships):
            raise StoreUnavailable(
                f"the bulk load wrote {held[0]:,} nodes and {held[1]:,} relationships"
                f" instead of {files.nodes:,} and {files.relationships:,}; nothing was kept"
            )

    def _import(self, server: LocalServer, files: CsvFiles, swap: _Swap, report: Progress) -> None:
        """Stop the server, move the empty database aside, import, start it again."""
        with server.stopped():
            swap.move_aside()
            argv, env = server.admin_argv(
                "database", "import", "full", self.database, *files.arguments()
            )
            try:
                _run_importer(argv, env, report)
            except BaseException:
                swap.restore()  # before the server starts again, not on a broken store
                raise
            report(STARTING, 0, 1)
        report(STARTING, 1, 1)


class _Swap:
    """The empty database's folders, moved aside while the import writes new ones."""

    def __init__(self, folders: tuple[Path, ...], aside: Path) -> None:
        self.folders = folders
        self.aside = aside
        self.moved = False

    def move_aside(self) -> None:
        for number, folder in enumerate(self.folders):
            if folder.exists():
                folder.rename(self.aside / str(number))
        self.moved = True

    def restore(self) -> None:
        for number, folder in enumerate(self.folders):
            shutil.rmtree(folder, ignore_errors=True)
            kept = self.aside / str(number)
            if kept.exists():
                kept.rename(folder)
        self.moved = False

    def put_back(self, server: LocalServer) -> None:
        """Stop the server, put the empty database back, start it again."""
        with server.stopped():
            self.restore()


def _run_importer(argv: list[str], env: dict[str, str], report: Progress) -> None:
    """Run neo4j-admin, turning its step and percent lines into progress."""
    tail: deque[str] = deque(maxlen=30)
    with subprocess.Popen(  # noqa: S603 - the server's own Java and jars, fixed arguments
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as process:
        assert process.stdout is not None  # noqa: S101 - piped above
        step, steps = 1, 1
        report(IMPORTING, 0, 100)
        for line in process.stdout:
            tail.append(line.rstrip())
            if found := _STEP.match(line):
                step, steps = int(found[1]), int(found[2])
            elif found := _PERCENT.search(line):
                report(IMPORTING, (100 * (step - 1) + int(found[1])) // steps, 100)
    if process.returncode != 0:
        raise StoreUnavailable(
            "neo4j-admin could not import the data; nothing was loaded",
            suggestion="Its last lines: " + " | ".join(line for line in tail if line),
        )
    report(IMPORTING, 100, 100)


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None
