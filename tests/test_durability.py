"""Nothing acknowledged is lost: the memory store's journal (store/memory/journal.py).

The main proof kills a real ``graph-engine serve --snapshot`` process with SIGKILL
while writers stream mutations at it, starts it again on the same file, and finds
every write that was answered. (The ``memory_store`` fixture adds a proof of its
own: each memory test ends by replaying its journal into a fresh store.)
"""

from __future__ import annotations

import itertools
import os
import pickle
import re
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from serving import start

from graph_engine.errors import InvalidInput
from graph_engine.model import Billing
from graph_engine.store import snapshot
from graph_engine.store.memory import MemoryStore
from graph_engine.store.memory.journal import journal_path

AT = datetime(2026, 1, 1, tzinfo=UTC)
CREATE = (
    "mutation ($e: ID!, $n: String!) { createOrganisation(environmentId: $e, name: $n) { id } }"
)
FIND = "query ($id: ID!) { organisation(id: $id) { id name } }"


async def environment(store: MemoryStore, number: int) -> None:
    await store.create_environment(
        environment_id=f"env_{number}",
        name=f"Environment {number}",
        email_domain=f"e{number}.example",
        billing=Billing.PER_PROCESSED_HOUR,
        seat_limit=None,
        at=AT,
    )


def crash(store: MemoryStore) -> None:
    """Let go of the files as a killed process would: nothing saved, nothing folded."""
    assert store._journal is not None
    store._journal.close()
    store._journal = None


async def test_a_crash_keeps_every_journaled_write(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    store = MemoryStore.durable(path)
    for number in range(5):
        await environment(store, number)
    crash(store)
    back = MemoryStore.durable(path)
    assert (await back.export_graph()) == (await store.export_graph())
    assert len((await back.export_graph()).nodes) == 5
    await back.close()


async def test_a_torn_last_frame_is_a_write_that_was_never_answered(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    store = MemoryStore.durable(path)
    await environment(store, 1)
    await environment(store, 2)
    crash(store)
    journal = journal_path(path)
    whole = journal.read_bytes()
    # The crash came in the middle of appending a third write.
    journal.write_bytes(whole + whole[-40:-10])
    back = MemoryStore.from_snapshot(path)
    assert sorted(n.id for n in (await back.export_graph()).nodes) == ["env_1", "env_2"]


async def test_a_crash_after_folding_never_replays_a_write_twice(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    store = MemoryStore.durable(path)
    await environment(store, 1)
    assert store._journal is not None
    # The snapshot was saved holding the journal, then the process died before the
    # journal started afresh: replaying it would create env_1 a second time.
    snapshot.save((await store.export_graph()), path, journal=store._journal.id)
    crash(store)
    back = MemoryStore.durable(path)
    assert [n.id for n in (await back.export_graph()).nodes] == ["env_1"]
    await environment(back, 2)
    await back.close()
    assert [n.id for n in (await MemoryStore.from_snapshot(path).export_graph()).nodes] == [
        "env_1",
        "env_2",
    ]


def test_a_second_process_on_the_same_snapshot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    first = MemoryStore.durable(path)
    with pytest.raises(InvalidInput, match="in use by another graph-engine process"):
        MemoryStore.durable(path)
    crash(first)


def test_a_journal_naming_code_outside_the_engine_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    store = MemoryStore.durable(path)
    crash(store)
    payload = pickle.dumps(os.system)
    frame = len(payload).to_bytes(4, "big") + (__import__("zlib").crc32(payload)).to_bytes(4, "big")
    journal = journal_path(path)
    journal.write_bytes(journal.read_bytes() + frame + payload)
    with pytest.raises(pickle.UnpicklingError, match=r"names posix\.system"):
        MemoryStore.from_snapshot(path)


def test_kill_9_of_a_real_server_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path, log = tmp_path / "graph.json", tmp_path / "serve.log"
    proc, port = start(log, "--snapshot", str(path))
    key = re.search(r"operator key for this store: (\S+)", log.read_text())
    assert key, log.read_text()
    headers = {"Authorization": f"Bearer {key.group(1)}"}
    url = f"http://127.0.0.1:{port}/graphql"
    acknowledged: list[tuple[str, str]] = []
    numbers = itertools.count()
    stop = threading.Event()

    def writer() -> None:
        with httpx.Client(timeout=5, headers=headers) as http:
            while not stop.is_set():
                name = f"Organisation {next(numbers)}"
                try:
                    reply = http.post(
                        url, json={"query": CREATE, "variables": {"e": "env_bakkerij", "n": name}}
                    )
                except httpx.HTTPError:
                    return  # the server is gone: this write was never answered
                body = reply.json()
                assert "errors" not in body, body
                acknowledged.append((body["data"]["createOrganisation"]["id"], name))

    writers = [threading.Thread(target=writer) for _ in range(4)]
    for thread in writers:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)  # mid-stream: requests are in flight
    proc.wait(timeout=30)
    stop.set()
    for thread in writers:
        thread.join(timeout=30)
    answered = list(acknowledged)
    assert len(answered) >= 150, log.read_text()

    proc, _ = start(log, "--snapshot", str(path), port=port)
    try:
        said = log.read_text()
        assert "an operator key exists in this store" in said
        with httpx.Client(timeout=5, headers=headers) as http:
            for organisation_id, name in answered:
                reply = http.post(url, json={"query": FIND, "variables": {"id": organisation_id}})
                assert reply.json() == {
                    "data": {"organisation": {"id": organisation_id, "name": name}}
                }
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # A clean stop folded the journal into the snapshot.
    kept = snapshot.load(path)
    assert {i for i, _ in answered} <= {n.id for n in kept.nodes}
