"""The visibility gate's rule (DESIGN §3.0) on both stores: reach, homes, and the folded rule.

``GraphStore.reach`` is the one definition of what a user sees and
``GraphStore.locate`` says where each entity lives; the services decide with the
two (:mod:`graph_engine.services.visibility`). ``can_invite.cypher`` folds the
rule into its own statement to save a round trip: the property test below
proves that folded rule equal to the gate's, and to a brute-force reach written
from DESIGN (``tests/oracle.py``), on random graphs, and that a decision's path
never leaves the caller's reach. The same decision asked *in session*
(``can_invite_in_session``: the session and the decision in one statement) must
give the same answer, or the same refusal.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import oracle
import pytest
from builders import T0, env, org, partnership, request, user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import graph_and_triple
from test_partnerships_oracle import as_graph_data

from graph_engine.errors import GraphEngineError
from graph_engine.model import GraphData, Location, NodeRecord, PageRequest, Reach, RelRecord, Role
from graph_engine.store.base import GraphStore
from graph_engine.store.pagination import MAX_PAGE


async def three_tenants(store: GraphStore) -> None:
    """e1 partnered with e2, e2 with e3; e1's b has access to e3's organisation o3 by an old
    invitation; each has an ADMIN ``eN_admin`` and an organisation ``oN``."""
    for e in ("e1", "e2", "e3"):
        await env(store, e)
        await user(store, f"{e}_admin", e)
        await org(store, f"o{e[1]}", e)
    await user(store, "b", "e1", Role.ADVANCED_USER)
    await partnership(store, "p12", "e1_admin", "e2_admin")
    await partnership(store, "p23", "e2_admin", "e3_admin")
    await store.import_graph(
        GraphData(relationships=(RelRecord("HAS_ACCESS", "b", "o3", {"role": "USER"}),))
    )


async def test_reach_covers_own_partnered_and_accessed_environments(store: GraphStore) -> None:
    await three_tenants(store)
    assert await store.reach(user_id="e1_admin") == Reach(frozenset({"e1", "e2"}))
    assert (await store.reach(user_id="b")).environments == frozenset({"e1", "e2", "e3"})
    assert (await store.reach(user_id="e2_admin")).environments == frozenset({"e1", "e2", "e3"})
    # Partnerships do not chain: e3 reaches e2, not e1.
    assert (await store.reach(user_id="e3_admin")).environments == frozenset({"e2", "e3"})
    assert await store.reach(user_id="nobody") == Reach(frozenset())


async def test_reach_introduces_whoever_addressed_the_user_and_nothing_under_them(
    store: GraphStore,
) -> None:
    await three_tenants(store)
    await user(store, "e3_clerk", "e3", Role.ADVANCED_USER)
    await user(store, "e1_clerk", "e1")
    await request(store, "r1", "e3_clerk", "e1_clerk", "o1")
    await store.propose_partnership(
        proposal_id="q1", proposer_id="e3_admin", recipient_id="b", at=T0
    )
    clerk = await store.reach(user_id="e1_clerk")
    assert clerk.introduced == {"e3_clerk"}
    assert clerk.environments == frozenset({"e1", "e2"})
    # The ADMIN answers proposals on a colleague's behalf, so sees who proposed.
    assert (await store.reach(user_id="e1_admin")).introduced == {"e3_admin"}
    assert (await store.reach(user_id="b")).introduced == {"e3_admin"}
    # The sender is not introduced to the recipient's side: they see what they typed.
    assert (await store.reach(user_id="e3_clerk")).introduced == frozenset()


async def test_locate_gives_every_entity_its_home_environments(store: GraphStore) -> None:
    await three_tenants(store)
    await store.create_relation(relation_id="rel", environment_id="e2", name="R", at=T0)
    await store.create_task(task_id="task", relation_id="rel", title="T", at=T0)
    await store.create_subscription(subscription_id="sub", relation_id="rel", active=True, at=T0)
    await store.create_dossier(
        dossier_id="dos", name="D", kind="CANDIDATE", responsible_id="e3_admin", at=T0
    )
    await store.grant_access(user_id="e3_admin", organisation_id="o3", role=Role.USER)
    await store.assign_licence(
        licence_id="lic", number="L-1", user_id="e3_admin", work_company_id="o3", at=T0
    )
    await store.schedule_maintenance(
        window_id="win",
        environment_id="e1",
        starts_at=T0 + timedelta(hours=1),
        created_by="x",
        at=T0,
    )
    await store.submit_application(
        application_id="app", environment_id="e2", name="A", email="a@x.example", at=T0
    )
    await request(store, "req", "e1_admin", "e2_admin", "o2")
    await store.create_session(session_id="ses", user_id="b", token_hash="h", at=T0)
    await store.import_graph(GraphData(nodes=(NodeRecord("AuditEvent", "aud", {}),)))
    found = {
        loc.id: loc
        for loc in await store.locate(
            ids=[
                "e1",
                "b",
                "o3",
                "rel",
                "task",
                "sub",
                "dos",
                "lic",
                "win",
                "app",
                "p12",
                "req",
                "ses",
                "aud",
                "missing",
            ]
        )
    }
    homes = {i: (loc.label, loc.homes) for i, loc in found.items()}
    assert homes == {
        "e1": ("Environment", ("e1",)),
        "b": ("User", ("e1",)),
        "o3": ("Organisation", ("e3",)),
        "rel": ("Relation", ("e2",)),
        "task": ("Task", ("e2",)),
        "sub": ("Subscription", ("e2",)),
        "dos": ("Dossier", ("e3",)),
        "lic": ("Licence", ("e3",)),
        "win": ("MaintenanceWindow", ("e1",)),
        "app": ("Application", ("e2",)),
        "p12": ("Partnership", ("e1", "e2")),
        "req": ("AuthorizationRequest", ("e1", "e2")),
        "ses": ("Session", ()),
        "aud": ("AuditEvent", ()),
    }
    # One home names the environment; several (or none) do not.
    assert found["task"].environment_id == "e2"
    assert found["p12"].environment_id is None
    assert found["ses"].environment_id is None


async def test_an_entity_is_seen_only_when_every_home_is_reached(store: GraphStore) -> None:
    await three_tenants(store)
    reach = await store.reach(user_id="e1_admin")
    located = {loc.id: loc for loc in await store.locate(ids=["p12", "p23", "o2", "o3", "e3"])}
    assert {i for i, loc in located.items() if reach.contains(loc)} == {"p12", "o2"}
    # Everything, for an operator's reach; nothing without a home for anyone else.
    everything = Reach(environments=None)
    assert all(everything.contains(loc) for loc in located.values())
    assert not reach.contains(Location(id="ses", label="Session", environment_id=None))


gate_agreement = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)


@gate_agreement
@given(case=graph_and_triple(), pick=st.integers(min_value=0))
async def test_the_folded_can_invite_rule_equals_the_gate(
    store: GraphStore, case: tuple[dict[str, Any], tuple[str, str, str]], pick: int
) -> None:
    raw, (inviter, invitee, organisation) = case
    await store.clear()
    await store.import_graph(as_graph_data(raw))
    users = sorted(oracle.node_ids(raw, "User"))
    viewer = users[pick % len(users)]
    # The gate's rule, as the services apply it (one store reach, locate), must equal
    # a brute-force reach computed from the raw graph.
    reach = await store.reach(user_id=viewer)
    assert reach.environments == frozenset(oracle.reach(raw, viewer))
    located = {loc.id: loc for loc in await store.locate(ids=[invitee, organisation])}
    gate_sees = reach.contains(located[invitee]) and reach.contains(located[organisation])
    ask = store.can_invite(
        inviter_id=viewer, invitee_id=invitee, organisation_id=organisation, viewer_id=viewer
    )
    await store.create_session(session_id="ses_v", user_id=viewer, token_hash="hash_v", at=T0)
    in_session = await store.can_invite_in_session(
        token_hash="hash_v", invitee_id=invitee, organisation_id=organisation
    )
    assert in_session is not None
    assert in_session.principal.id == viewer
    assert in_session.principal.session_id == "ses_v"
    if not gate_sees:
        with pytest.raises(GraphEngineError) as err:
            await ask
        hidden = invitee if not reach.contains(located[invitee]) else organisation
        assert (err.value.code, err.value.details["id"]) == ("NOT_FOUND", hidden)
        assert isinstance(in_session.refusal, GraphEngineError)
        assert in_session.refusal.extensions == err.value.extensions
        return
    decision = await ask
    assert in_session.answer() == decision
    # Every node on the deciding path lies within the viewer's reach.
    path = await store.locate(ids=[n.id for n in decision.nodes])
    assert len(path) == len({n.id for n in decision.nodes})
    assert all(reach.contains(loc) for loc in path), [loc.id for loc in path]
    _ = inviter  # the drawn inviter is not the caller here: the viewer asks for themself


@gate_agreement
@given(case=graph_and_triple())
async def test_invite_candidates_in_session_are_the_allowed_decisions_within_reach(
    store: GraphStore, case: tuple[dict[str, Any], tuple[str, str, str]]
) -> None:
    raw, (inviter, _, organisation) = case
    await store.clear()
    await store.import_graph(as_graph_data(raw))
    await store.create_session(session_id="ses_i", user_id=inviter, token_hash="hash_i", at=T0)
    found = await store.invite_candidates_in_session(
        token_hash="hash_i",
        organisation_id=organisation,
        search=None,
        page=PageRequest(first=MAX_PAGE, after=None),
    )
    assert found is not None
    assert found.principal.id == inviter
    reach = await store.reach(user_id=inviter)
    (home,) = await store.locate(ids=[organisation])
    if not reach.contains(home):
        assert isinstance(found.refusal, GraphEngineError)
        assert (found.refusal.code, found.refusal.details["id"]) == ("NOT_FOUND", organisation)
        return
    allowed = set()
    for invitee in oracle.node_ids(raw, "User"):
        # Out of reach, the invitee is unknown (NOT_FOUND): not a candidate either.
        located = {loc.id: loc for loc in await store.locate(ids=[invitee])}
        if not reach.contains(located[invitee]):
            continue
        decision = await store.can_invite(
            inviter_id=inviter, invitee_id=invitee, organisation_id=organisation, viewer_id=inviter
        )
        if decision.allowed:
            allowed.add(invitee)
    assert {u.id for u in found.answer().items} == allowed
    plain = await store.invite_candidates(
        inviter_id=inviter,
        organisation_id=organisation,
        search=None,
        page=PageRequest(first=MAX_PAGE),
        viewer_id=inviter,
    )
    assert plain == found.answer()


@pytest.mark.parametrize("viewer", ["e1_admin", "b", "e3_admin"])
async def test_out_of_reach_and_unknown_are_one_answer_in_can_invite(
    store: GraphStore, viewer: str
) -> None:
    await three_tenants(store)
    answers = {}
    for invitee, organisation in (("e3_admin", "o1"), ("ghost", "o1"), ("e1_admin", "o3")):
        try:
            await store.can_invite(
                inviter_id=viewer,
                invitee_id=invitee,
                organisation_id=organisation,
                viewer_id=viewer,
            )
        except GraphEngineError as err:
            answers[(invitee, organisation)] = (err.code, err.message)
    reach = oracle_reach = await store.reach(user_id=viewer)
    assert oracle_reach is reach
    if "e3" not in (reach.environments or ()):
        assert answers[("e3_admin", "o1")] == ("NOT_FOUND", "User e3_admin does not exist")
        assert answers[("e1_admin", "o3")] == ("NOT_FOUND", "Organisation o3 does not exist")
    assert answers[("ghost", "o1")] == ("NOT_FOUND", "User ghost does not exist")


async def test_an_unknown_token_asks_nothing_in_session(store: GraphStore) -> None:
    await three_tenants(store)
    await store.create_session(session_id="ses_b", user_id="b", token_hash="hash_b", at=T0)
    assert (
        await store.can_invite_in_session(
            token_hash="hash_nobody", invitee_id="e1_admin", organisation_id="o1"
        )
        is None
    )
    found = await store.can_invite_in_session(
        token_hash="hash_b", invitee_id="e3_admin", organisation_id="o3"
    )
    assert found is not None
    assert found.principal.id == "b"
    # The session's user is the stored user to the microsecond (me answers with it).
    assert found.principal.user == await store.get_user(user_id="b")
    assert found.principal == await store.resolve_session(token_hash="hash_b")
    assert found.answer() == await store.can_invite(
        inviter_id="b", invitee_id="e3_admin", organisation_id="o3", viewer_id="b"
    )
