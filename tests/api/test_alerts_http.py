"""Saved filters and alerts over HTTP (HelloFlex: "Filters- en alerts worden gedurende de
down time gewoon verzonden. Het opvolgen van de link in de e-mail zal echter even moeten
wachten tot HelloFlex weer beschikbaar is.") on both stores."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import smtp_sink
from apiclient import Api
from smtp_sink import Mailbox
from test_maintenance_http import helloflex

from graph_engine.clock import ManualClock

SAVE = """mutation($name: String!, $kind: DossierKind, $text: String) {
  saveFilter(input: {name: $name, kind: $kind, nameContains: $text}) {
    id name kind nameContains createdAt lastAlertAt } }"""
FILTERS = "{ savedFilters { nodes { id name lastAlertAt } } }"
DELETE = "mutation($id: ID!) { deleteFilter(id: $id) { id } }"
RUN = "mutation($e: ID) { runAlerts(environmentId: $e) { filters matches mails } }"
DOSSIER = """mutation($name: String!, $kind: DossierKind!, $r: ID!) {
  createDossier(name: $name, kind: $kind, responsibleId: $r) { id } }"""
OUTBOX = "query($to: String) { outbox(to: $to) { nodes { to subject body } } }"
SCHEDULE = """mutation($e: ID!, $at: DateTime!, $end: DateTime) {
  scheduleMaintenance(environmentId: $e, startsAt: $at, expectedEndAt: $end) { id } }"""
END = "mutation($e: ID!) { endMaintenance(environmentId: $e) { id } }"


async def backoffice(api: Api, environment_id: str) -> str:
    made = await api.ok(
        """mutation($e: ID!) { createApiKey(kind: BACKOFFICE, name: "FlexService",
                                            environmentId: $e) { key } }""",
        api.operator,
        e=environment_id,
    )
    return str(made["createApiKey"]["key"])


async def vacancies(api: Api, ids: dict[str, Any], admin: str, *names: str) -> list[str]:
    return [
        (await api.ok(DOSSIER, admin, name=n, kind="VACANCY", r=ids["admin"]))["createDossier"][
            "id"
        ]
        for n in names
    ]


def link(body: str) -> str:
    """The query the mail names to open the matches."""
    return body.split("Open them (logged in, on /graphql):\n")[1].split("\n", maxsplit=1)[0].strip()


async def test_alerts_go_out_during_maintenance_and_their_link_waits_for_its_end(
    api: Api, clock: ManualClock
) -> None:
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    user = await api.login("user@hf.example")
    key = await backoffice(api, ids["env"])
    saved = (await api.ok(SAVE, user, name="Developers", kind="VACANCY", text="developer"))[
        "saveFilter"
    ]
    assert (saved["kind"], saved["nameContains"], saved["lastAlertAt"]) == (
        "VACANCY",
        "developer",
        None,
    )
    [java, _] = await vacancies(api, ids, admin, "Java Developer", "Payroll clerk")

    # the window opens; the user is locked out, the BACKOFFICE key is not
    start = clock.now() + timedelta(minutes=10)
    end = start + timedelta(hours=2)
    await api.ok(SCHEDULE, admin, e=ids["env"], at=start.isoformat(), end=end.isoformat())
    clock.set(start + timedelta(minutes=5))
    assert (await api.fails(FILTERS, user)).code == "MAINTENANCE"
    run = (await api.ok(RUN, key))["runAlerts"]
    assert run == {"filters": 1, "matches": 1, "mails": 1}
    assert (await api.ok(RUN, key))["runAlerts"] == {"filters": 0, "matches": 0, "mails": 0}

    [mail] = (await api.ok(OUTBOX, api.operator, to="user@hf.example"))["outbox"]["nodes"]
    assert mail["subject"] == "1 new for your filter Developers"
    assert f"Java Developer (VACANCY, {java})" in mail["body"]
    assert "Payroll clerk" not in mail["body"]
    # following the link waits for the end of the window
    refused = await api.fails(link(mail["body"]), user)
    assert refused.code == "MAINTENANCE"
    assert refused.errors[0]["extensions"]["expectedEndAt"] == end.isoformat()
    await api.ok(END, admin, e=ids["env"])
    opened = (await api.ok(link(mail["body"]), user))["dossiers"]["nodes"]
    assert java in [d["id"] for d in opened]
    [listed] = (await api.ok(FILTERS, user))["savedFilters"]["nodes"]
    assert listed["lastAlertAt"] == (start + timedelta(minutes=5)).isoformat()

    # a later match is news once more; the old one is not mailed again
    [go] = await vacancies(api, ids, admin, "Go developer")
    assert (await api.ok(RUN, api.operator, e=ids["env"]))["runAlerts"]["matches"] == 1
    mails = (await api.ok(OUTBOX, api.operator, to="user@hf.example"))["outbox"]["nodes"]
    [later] = [m for m in mails if m != mail]  # the outbox is in id order
    assert go in later["body"]
    assert java not in later["body"]


async def test_a_filter_is_its_owners_alone_and_runs_are_for_backoffice_and_operators(
    api: Api,
) -> None:
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    user = await api.login("user@hf.example")
    mine = (await api.ok(SAVE, user, name="All"))["saveFilter"]["id"]
    assert (await api.ok(FILTERS, admin))["savedFilters"]["nodes"] == []
    assert (await api.fails(DELETE, admin, id=mine)).code == "NOT_FOUND"
    for caller in (user, admin, ids["integration"]):
        assert (await api.fails(RUN, caller, e=ids["env"])).code == "FORBIDDEN"
    other = await api.ok(
        'mutation { createEnvironment(input: {name: "Other", emailDomain: "other.example"})'
        " { id } }",
        api.operator,
    )
    key = await backoffice(api, ids["env"])
    refused = await api.fails(RUN, key, e=other["createEnvironment"]["id"])
    assert refused.code == "NOT_FOUND"
    assert (await api.fails(SAVE, user, name="  ")).code == "INVALID_INPUT"
    assert (await api.fails(SAVE, key, name="Keys have no filters")).code == "FORBIDDEN"
    # nor does the explorer draw it, to the owner's ADMIN or to an operator
    neighbourhood = """query($id: ID!) { neighbourhood(id: $id, depth: 2) {
      nodes { id label } relationships { type } } }"""
    for caller in (admin, api.operator, user):
        drawn = (await api.ok(neighbourhood, caller, id=ids["user"]))["neighbourhood"]
        assert mine not in [n["id"] for n in drawn["nodes"]]
        assert "OWNED_BY" not in [r["type"] for r in drawn["relationships"]]
    assert (await api.ok(DELETE, user, id=mine))["deleteFilter"]["id"] == mine
    assert (await api.ok(FILTERS, user))["savedFilters"]["nodes"] == []


async def test_an_alert_leaves_through_the_smtp_server(
    mail_api: Api, mailbox: Mailbox, clock: ManualClock
) -> None:
    api = mail_api
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    user = await api.login("user@hf.example")
    await api.ok(SAVE, user, name="Everything")
    clock.advance(timedelta(seconds=1))
    [dossier] = await vacancies(api, ids, admin, "Warehouse lead")
    assert (await api.ok(RUN, api.operator))["runAlerts"]["mails"] == 1
    [message] = mailbox.to("user@hf.example")
    assert message["Subject"] == "1 new for your filter Everything"
    assert f"Warehouse lead (VACANCY, {dossier})" in smtp_sink.body(message)


async def test_a_candidate_sees_no_dossiers_saves_no_filter_and_gets_no_alert(
    api: Api,
) -> None:
    """Dossiers are the agency's records about its candidates and clients: a CANDIDATE
    (an outside party with an account) neither lists them nor follows them by alert."""
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    candidate = await api.login("candidate@hf.example")
    await vacancies(api, ids, admin, "Java Developer")
    listed = await api.fails("{ dossiers { nodes { name } } }", candidate)
    assert listed.code == "FORBIDDEN"
    assert "Java Developer" not in str(listed.body)
    saved = await api.fails(SAVE, candidate, name="All", kind=None, text=None)
    assert saved.code == "FORBIDDEN"
    made = await api.fails(DOSSIER, candidate, name="x", kind="VACANCY", r=ids["admin"])
    assert made.code == "FORBIDDEN"
