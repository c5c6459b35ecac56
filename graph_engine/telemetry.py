"""What operators watch: Prometheus metrics, OpenTelemetry traces, one JSON log line a request.

* **Metrics** (prometheus-client), scraped at ``/metrics``: requests and their latency per
  GraphQL operation, errors per code, store calls and their latency per operation,
  decisions per code, logins per outcome (throttled ones too), and two gauges read
  from the store at scrape time (at most every :data:`GAUGE_TTL_S` seconds): sessions
  in use and open maintenance windows. With several workers, set
  ``PROMETHEUS_MULTIPROC_DIR`` (``serve --workers`` does) and every worker's counts add up.
* **Traces** (OpenTelemetry): off unless the standard ``OTEL_*`` variables ask for them
  (``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_TRACES_EXPORTER``); then the ASGI request,
  strawberry's parse/validate/resolve steps and every store call are spans, exported
  with OTLP over HTTP.
* **Access log**: one JSON line per request on the ``graph_engine.access`` logger
  (stdout under ``serve``): time, request id, method, path, status, GraphQL operation,
  principal kind, error code, milliseconds. Never a token, a password or a variable.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from opentelemetry import trace
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

T = TypeVar("T")

# How long the store-read gauges are reused before a scrape reads them again.
GAUGE_TTL_S = 15.0
_LATENCY = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

REQUESTS = Counter(
    "graph_engine_requests_total",
    "GraphQL requests, per operation name and type.",
    ["operation", "type"],
)
REQUEST_SECONDS = Histogram(
    "graph_engine_request_seconds",
    "Time to answer a GraphQL request, per operation name.",
    ["operation"],
    buckets=_LATENCY,
)
ERRORS = Counter("graph_engine_errors_total", "Errors answered, per code.", ["code"])
STORE_CALLS = Counter(
    "graph_engine_store_calls_total",
    "Store calls, per operation and store.",
    ["operation", "store"],
)
STORE_SECONDS = Histogram(
    "graph_engine_store_seconds",
    "Time of a store call (a round trip on Neo4j), per operation and store.",
    ["operation", "store"],
    buckets=_LATENCY,
)
STORE_BATCH_ASKS = Histogram(
    "graph_engine_store_batch_asks",
    "Reads answered by one Neo4j statement (reads in session asked at once share one),"
    " per statement.",
    ["statement"],
    buckets=(1, 2, 4, 8, 16, 32),
)
DECISIONS = Counter("graph_engine_decisions_total", "canInvite decisions, per code.", ["code"])
LOGINS = Counter(
    "graph_engine_logins_total",
    "Logins, per outcome: ok, failed, throttled, refused (inactive, licence, maintenance).",
    ["outcome"],
)
ACTIVE_SESSIONS = Gauge(
    "graph_engine_active_sessions",
    "Sessions open and within their idle and absolute limits (read from the store).",
    multiprocess_mode="max",
)
OPEN_WINDOWS = Gauge(
    "graph_engine_open_maintenance_windows",
    "Maintenance windows scheduled or running (read from the store).",
    multiprocess_mode="max",
)

access = logging.getLogger("graph_engine.access")
tracer = trace.get_tracer("graph_engine")

# An operation's name is the client's to choose: at most this many names get series of
# their own, each of at most OPERATION_NAME_CHARS characters; any other is counted as
# OTHER_OPERATION (a client sending a new name per request must not grow the metrics).
MAX_OPERATION_SERIES = 200
OPERATION_NAME_CHARS = 64
OTHER_OPERATION = "other"
_request_series: dict[tuple[str, str], tuple[Any, Any]] = {}


def count_request(operation: str, operation_type: str, seconds: float) -> None:
    """One GraphQL request answered, in the request counter and latency histogram."""
    key = (operation, operation_type)
    series = _request_series.get(key)
    if series is None:
        if len(_request_series) >= MAX_OPERATION_SERIES or len(operation) > OPERATION_NAME_CHARS:
            key = (OTHER_OPERATION, operation_type)
            series = _request_series.get(key)
        if series is None:
            series = (REQUESTS.labels(*key), REQUEST_SECONDS.labels(key[0]))
            _request_series[key] = series
    series[0].inc()
    series[1].observe(seconds)


def metrics_text() -> tuple[bytes, str]:
    """The Prometheus exposition of this process (or of every worker, in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), "text/plain; version=0.0.4; charset=utf-8"
    return generate_latest(), "text/plain; version=0.0.4; charset=utf-8"


def tracing_requested() -> bool:
    """Whether the standard OpenTelemetry variables ask for traces."""
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "")
    if exporter.strip().lower() == "none":
        return False
    return bool(exporter or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"))


def configure_tracing() -> bool:
    """Install an OTLP exporter when the ``OTEL_*`` variables ask for one; True if so."""
    if not tracing_requested():
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter,
    )
    from opentelemetry.sdk.resources import Resource  # noqa: PLC0415
    from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415
    from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: PLC0415

    resource = Resource.create(
        {"service.name": os.environ.get("OTEL_SERVICE_NAME", "graph-engine")}
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return True


def instrument(cls: type[T], operations: Iterable[str], store: str) -> None:
    """Count and time every store operation of ``cls`` (and make each a span)."""
    for name in operations:
        method = getattr(cls, name, None)
        if method is None or not inspect.iscoroutinefunction(method):
            continue  # not an operation of this store, or a generator (export_pages)
        setattr(cls, name, _timed(method, name, store))


def _timed(
    method: Callable[..., Awaitable[Any]], name: str, store: str
) -> Callable[..., Awaitable[Any]]:
    calls = STORE_CALLS.labels(name, store)
    seconds = STORE_SECONDS.labels(name, store)

    span_name = f"store.{name}"
    attributes = {"db.system": store}

    @functools.wraps(method)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            # A span only within a recorded trace: with tracing off this costs nothing.
            if trace.get_current_span().is_recording():
                with tracer.start_as_current_span(span_name, attributes=attributes):
                    return await method(*args, **kwargs)
            return await method(*args, **kwargs)
        finally:
            calls.inc()
            seconds.observe(time.perf_counter() - start)

    return wrapper


_ACCESS_LINE = json.JSONEncoder(separators=(",", ":"), default=str)


def log_access(**fields: Any) -> None:
    """One JSON line for one request (only the fields given; never a secret).

    The record is made directly (``makeRecord`` and ``handle``, filters and handlers as
    ``info`` would) so that logging does not look up the calling source line, which no
    access line shows and which cost a fifth of the line's time."""
    if access.isEnabledFor(logging.INFO):
        line = _ACCESS_LINE.encode(fields)
        access.handle(access.makeRecord(access.name, logging.INFO, "", 0, line, (), None))
