"""The seed articles' stories, kept as data (``*.json``) and played through the HTTP API.

A step either logs a user in (``login``), writes raw legacy data straight into
the store (``raw``), or runs a GraphQL ``query`` as someone (``as``: a user
logged in earlier, or ``operator``) and checks the answer: ``expect`` maps a
dotted path into ``data`` to its value (a path through a list maps over it;
lists compare in any order), ``expectError`` names the error code. ``save``
keeps values for later steps, which refer to them as ``$name``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from apiclient import Api

from graph_engine.model import GraphData

STORIES = sorted(Path(__file__).parent.glob("*.json"))


def substitute(value: Any, saved: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$") and value[1:] in saved:
        return saved[value[1:]]
    if isinstance(value, list):
        return [substitute(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, saved) for k, v in value.items()}
    return value


def dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = [item[part] for item in data] if isinstance(data, list) else data[part]
    return data


def canonical(value: Any) -> Any:
    """Lists compare in any order (ids are random, so id order is too)."""
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("story", STORIES, ids=lambda p: p.stem)
async def test_seed_story(api: Api, story: Path) -> None:
    script = json.loads(story.read_text(encoding="utf-8"))  # noqa: ASYNC240 - a small fixture file
    saved: dict[str, Any] = {"password": script["password"]}
    tokens = {"operator": api.operator}
    for number, step in enumerate(script["steps"], start=1):
        where = f"{story.stem} step {number}: {step.get('say', '')}"
        if "login" in step:
            tokens[step["login"]] = await api.login(step["email"], script["password"])
            continue
        if "raw" in step:
            await api.engine.store.import_graph(GraphData.from_dict(substitute(step["raw"], saved)))
            continue
        reply = await api.call(
            step["query"], tokens[step["as"]], **substitute(step.get("variables", {}), saved)
        )
        if "expectError" in step:
            assert reply.code == step["expectError"], f"{where}\n{reply.body}"
            continue
        assert not reply.errors, f"{where}\n{reply.errors}"
        for path, expected in step.get("expect", {}).items():
            got = dig(reply.data, path)
            assert canonical(got) == canonical(substitute(expected, saved)), f"{where}: {path}"
        for name, path in step.get("save", {}).items():
            saved[name] = dig(reply.data, path)
