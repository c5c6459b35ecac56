"""The mail capability in the store: the outbox (mail without an SMTP server) and where
mail to an address goes (DESIGN §3.3; the offboarding tests walk the Carerix story)."""

from __future__ import annotations

from datetime import timedelta

from builders import T0, env, user

from graph_engine.model import MailOutcome, PageRequest
from graph_engine.store.base import GraphStore


async def test_the_outbox_keeps_mail_in_order_and_lists_it_per_address_in_any_case(
    store: GraphStore,
) -> None:
    for i, to in enumerate(("anna@e1.example", "bas@e1.example", "Anna@E1.example")):
        await store.add_outbox_mail(
            mail_id=f"m{i}", to=to, subject=f"s{i}", body="b", at=T0 + timedelta(seconds=i)
        )
    every = await store.list_outbox(to=None, page=PageRequest(first=10))
    assert [m.id for m in every.items] == ["m0", "m1", "m2"]
    anna = await store.list_outbox(to="ANNA@e1.example", page=PageRequest(first=10))
    assert [m.id for m in anna.items] == ["m0", "m2"]
    assert anna.items[0].subject == "s0"


async def test_mail_reaches_an_active_user_and_no_one_at_an_unknown_address(
    store: GraphStore,
) -> None:
    await env(store, "e1")
    await user(store, "piet", "e1")
    found = await store.route_mail(username="piet", email_domain="e1.example")
    assert found.outcome is MailOutcome.DELIVERED
    assert found.deliver_to is not None
    assert found.deliver_to.id == "piet"
    nobody = await store.route_mail(username="klaas", email_domain="e1.example")
    assert nobody.outcome is MailOutcome.NO_RECIPIENT
    assert nobody.deliver_to is None


async def test_a_message_taken_out_of_the_outbox_is_gone_once(store: GraphStore) -> None:
    await store.add_outbox_mail(mail_id="m1", to="a@e1.example", subject="s", body="b", at=T0)
    found = await store.get_outbox_mail(mail_id="m1")
    assert found is not None
    assert (found.to, found.subject) == ("a@e1.example", "s")
    assert await store.remove_outbox_mail(mail_id="m1") is True
    assert await store.get_outbox_mail(mail_id="m1") is None
    assert await store.remove_outbox_mail(mail_id="m1") is False
    assert (await store.list_outbox(to=None, page=PageRequest(first=10))).items == []
