"""Logs that operators can follow, and that hold no personal data.

Every log line carries the request id (also sent back as the `X-Request-ID` header, so a
user's report can be matched to the lines) and the signed-in user's id; in a Celery
task, the task id. Never a name, an email or a phone number: code logs ids, and the
tasks return ids and counts (Celery logs what a task returns).

Outside DEBUG the lines are JSON (one object per line, python-json-logger), for the
log collector; under DEBUG they are plain text for a developer's terminal.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_user_id: ContextVar[int | None] = ContextVar("user_id", default=None)


class RequestContextMiddleware:
    """Give each request an id (the proxy's X-Request-ID when it sent a sane one) and
    note the signed-in user's id, for every log line written while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # Set, never reset at the end: Django logs the response (a 404, a 500) after the
        # middleware has returned, and those lines must carry the ids too. The next
        # request served by this thread sets its own.
        _request_id.set(request_id)
        _user_id.set(None)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Authentication has run by now (this middleware sits after it).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _user_id.set(user.pk)


class ContextFilter(logging.Filter):
    """Adds request_id, user_id and task_id to every record (empty when outside)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.user_id = _user_id.get()
        record.task_id = _current_task_id()
        return True


def _current_task_id() -> str:
    from celery import current_task

    request = getattr(current_task, "request", None)
    return (getattr(request, "id", None) or "") if current_task else ""


def logging_config(*, json_lines: bool, level: str) -> dict:
    """The LOGGING setting: one console handler, JSON lines or plain text."""
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s "
            "%(request_id)s %(user_id)s %(task_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json_lines
        else {"format": "%(levelname)s %(name)s [%(request_id)s u=%(user_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "convention_portal.observability.ContextFilter"}},
        "formatters": {"portal": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "portal",
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }


def init_error_tracker(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Sentry, when SENTRY_DSN is set: errors of the web and the workers, with the
    request id and the user id, and nothing personal. No request bodies (forms hold
    youths' files), no local variables (they hold them too), no IP or cookies."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        before_send=_tag_request,
    )


def _tag_request(event, hint):
    event.setdefault("tags", {})["request_id"] = _request_id.get()
    if _user_id.get() is not None:
        event["user"] = {"id": str(_user_id.get())}
    return event
