"""A reproducible, realistically shaped access graph of any size, as raw records.

Shape (per the articles): most environments are customers (a bakery, a staffing
agency) with a handful of organisations; one in ten is an accountancy office that
is partnered with many customers, keeps the books of their organisations
(``HAS_ACCESS`` across environments) and is connected with their users. Every
environment's first user is its ``ADMIN``; about one user in five is an
``ADVANCED_USER``; one per office is a relationship manager. Some users are
inactive or login-blocked, some connections are missing (legacy data).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph_engine.model import GraphData, NodeRecord, RelRecord

CREATED = datetime(2025, 1, 1, tzinfo=UTC)
PAIR_SEPARATOR = "\x1f"


@dataclass
class Generated:
    data: GraphData
    users_of_env: dict[str, list[str]] = field(default_factory=dict)
    orgs_of_env: dict[str, list[str]] = field(default_factory=dict)
    partners_of_env: dict[str, list[str]] = field(default_factory=dict)
    admin_of_env: dict[str, str] = field(default_factory=dict)
    email_of: dict[str, str] = field(default_factory=dict)

    def triples(
        self, count: int, seed: int = 7, environments: int = 100
    ) -> list[tuple[str, str, str]]:
        """(inviter, invitee, organisation) questions an admin would really ask.

        The inviter is the admin of the organisation's environment (one of
        ``environments`` sampled ones, so a benchmark logs in a few); the invitee is,
        in turn, a user of a partner environment (the interesting, path-finding case),
        or a colleague. (Users of unrelated environments are invisible to the inviter:
        asking about them is refused with FORBIDDEN before any path is searched.)
        """
        rng = random.Random(seed)
        envs = [e for e in self.orgs_of_env if self.partners_of_env.get(e)]
        envs = rng.sample(envs, min(environments, len(envs)))
        out: list[tuple[str, str, str]] = []
        for n in range(count):
            env = rng.choice(envs)
            org = rng.choice(self.orgs_of_env[env])
            other = env if n % 4 == 0 else rng.choice(self.partners_of_env[env])
            out.append((self.admin_of_env[env], rng.choice(self.users_of_env[other]), org))
        return out


def generate(  # noqa: C901, PLR0912, PLR0915 - one readable recipe, top to bottom
    users: int = 100_000,
    users_per_env: int = 20,
    seed: int = 1,
    password_hash: str | None = None,
) -> Generated:
    rng = random.Random(seed)
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []
    out = Generated(GraphData((), ()))
    env_count = max(2, users // users_per_env)
    offices = [f"env{i:06d}" for i in range(0, env_count, 10)]
    office_set = set(offices)
    role_of: dict[str, str] = {}

    def node(label: str, node_id: str, **props: Any) -> None:
        nodes.append(NodeRecord(label, node_id, {"createdAt": CREATED, **props}))

    def rel(rel_type: str, start: str, end: str, **props: Any) -> None:
        rels.append(RelRecord(rel_type, start, end, props))

    user_no = 0
    for e in range(env_count):
        env = f"env{e:06d}"
        node(
            "Environment",
            env,
            name=f"Environment {e}",
            emailDomain=f"{env}.example",
            # Billed per processed hour: its users log in without a licence each.
            billing="PER_PROCESSED_HOUR",
            seatLimit=None,
        )
        out.users_of_env[env] = []
        out.orgs_of_env[env] = []
        for k in range(3 if env in office_set else 2):
            org = f"org{e:06d}_{k}"
            node("Organisation", org, name=f"Organisation {e}.{k}", activatedSoftware=[])
            rel("BELONGS_TO", org, env)
            out.orgs_of_env[env].append(org)
        size = users_per_env if e < env_count - 1 else max(1, users - user_no)
        for k in range(size):
            if user_no >= users:
                break
            user = f"usr{user_no:07d}"
            user_no += 1
            role = "ADMIN" if k == 0 else ("ADVANCED_USER" if rng.random() < 0.2 else "USER")  # noqa: PLR2004
            role_of[user] = role
            email = f"{user}@{env}.example"
            out.email_of[user] = email
            props: dict[str, Any] = {
                "email": email,
                "username": user,
                "name": f"User {user_no}",
                "active": k == 0 or rng.random() > 0.05,  # noqa: PLR2004
                "loginBlocked": k != 0 and rng.random() < 0.02,  # noqa: PLR2004
                "relationshipManager": env in office_set and k == 1,
            }
            if password_hash is not None:
                props["passwordHash"] = password_hash
            node("User", user, **props)
            rel("MEMBER_OF", user, env, role=role)
            org = rng.choice(out.orgs_of_env[env])
            rel("HAS_ACCESS", user, org, role="ADMIN" if k == 0 else "USER")
            out.users_of_env[env].append(user)
            if k == 0:
                out.admin_of_env[env] = user
    envs = [e for e in out.users_of_env if out.users_of_env[e]]

    # Each customer is partnered with one office (sometimes two); offices gather many.
    partnership_no = 0
    connected: set[tuple[str, str]] = set()

    def connect(a: str, b: str) -> None:
        pair = (a, b) if a < b else (b, a)
        if pair not in connected:
            connected.add(pair)
            rel("CONNECTED_WITH", pair[0], pair[1], since=CREATED, via="AUTHORIZATION")

    live_offices = [o for o in offices if out.users_of_env.get(o)]
    for env in envs:
        if env in office_set:
            continue
        for office in rng.sample(live_offices, 1 if rng.random() < 0.8 else 2):  # noqa: PLR2004
            partnership = f"prt{partnership_no:07d}"
            partnership_no += 1
            pair_key = PAIR_SEPARATOR.join(sorted((env, office)))
            node("Partnership", partnership, origin="AUTHORIZATION", pairKey=pair_key)
            rel("BETWEEN", partnership, env)
            rel("BETWEEN", partnership, office)
            office_admin = out.admin_of_env[office]
            customer_admin = out.admin_of_env[env]
            rel("REPRESENTS", office_admin, partnership)
            rel("REPRESENTS", customer_admin, partnership)
            out.partners_of_env.setdefault(env, []).append(office)
            out.partners_of_env.setdefault(office, []).append(env)
            # The office keeps the books: its advanced users get access to an organisation.
            customer_org = rng.choice(out.orgs_of_env[env])
            for user in out.users_of_env[office][:3]:
                rel("HAS_ACCESS", user, customer_org, role="ADVANCED_USER")
            # Connections from acceptance; about one in ten is missing (legacy).
            for user in out.users_of_env[env]:
                if role_of[user] == "USER":
                    continue
                for peer in out.users_of_env[office][:2]:
                    if rng.random() > 0.1:  # noqa: PLR2004
                        connect(user, peer)
    out.data = GraphData(nodes=tuple(nodes), relationships=tuple(rels))
    return out
