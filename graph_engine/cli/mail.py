"""``mail-relay``: mail in for the environments' domains, routed as ``routeMail`` says."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from graph_engine.cli.common import named_store, neo4j_option, run, snapshot_option


@click.command("mail-relay")
@neo4j_option
@snapshot_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65_535),
    default=2525,
    show_default=True,
    help="Port to listen on for SMTP.",
)
@click.option(
    "--maildir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder of the mailboxes: an active user's mail is kept in the Maildir DIR/<user id>/.",
)
@click.option(
    "--smarthost",
    metavar="URL",
    help=(
        "Where forwarded mail leaves: smtp://[user:password@]host[:port] or smtps://..."
        " [env: GRAPH_ENGINE_SMTP_URL]; without one it is kept in the store's outbox."
    ),
)
@click.option(
    "--tls-cert",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Offer STARTTLS with this PEM certificate chain (with --tls-key).",
)
@click.option(
    "--tls-key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The private key of --tls-cert (PEM).",
)
def mail_relay(  # noqa: PLR0917 - click passes one argument per option
    neo4j_uri: str | None,
    snapshot: Path | None,
    host: str,
    port: int,
    maildir: Path,
    smarthost: str | None,
    tls_cert: Path | None,
    tls_key: Path | None,
) -> None:
    """Receive mail for the environments' e-mail domains over SMTP and route it.

    An active user's mail goes to their Maildir; an inactive user's is forwarded to
    the user they report to, with the note "Dit bericht is doorgestuurd vanuit de
    inactieve gebruiker" (and its English) above it, through the smarthost with
    retries (what it never takes is kept in the outbox as a dead letter). A renamed
    or unknown address, and any other domain, is refused with 550. Each message is
    handled once per recipient, however often it is sent again.
    """
    from graph_engine import mailrelay, server  # noqa: PLC0415 - keeps `--help` fast

    server.configure_logging()
    # One line per message and per refusal, as a mail server's log has.
    logging.getLogger("graph_engine.mailrelay").setLevel(logging.INFO)

    settings = named_store(neo4j_uri, snapshot, "read the users from").with_(
        host=host, port=port, smtp_url=smarthost
    )
    if settings.in_memory and settings.smtp_url is None:
        msg = (
            "give --smarthost URL (or GRAPH_ENGINE_SMTP_URL): on the memory store the relay"
            " only reads the server's snapshot, so forwarded mail must leave by SMTP"
        )
        raise click.UsageError(msg)

    if (tls_cert is None) != (tls_key is None):
        msg = "give --tls-cert and --tls-key together"
        raise click.UsageError(msg)
    tls = None
    if tls_cert is not None and tls_key is not None:
        try:
            tls = mailrelay.tls_context(tls_cert, tls_key)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            raise click.ClickException(f"cannot use {tls_cert} with {tls_key}: {exc}") from None

    def ready() -> None:
        offer = " (STARTTLS offered)" if tls else ""
        click.echo(f"mail relay on smtp://{host}:{port}{offer}, mailboxes in {maildir}")

    try:
        run(lambda: mailrelay.serve(settings, maildir, ready=ready, tls=tls))
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from None
