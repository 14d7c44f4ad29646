"""Log records as JSON lines, each carrying the id of the request it belongs to.

The request id is the one `ChangeContextMiddleware` gives every request: the same id names the request's
batch in the audit trail and is sent back as `X-Request-ID`, so a log line, a change and a user's error
report can be matched. Outside a request (commands, workers starting) it is "-".
"""

import contextvars
import datetime
import json
import logging

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("current_request_id", default="-")

# Attributes every LogRecord has; anything else was passed with `extra=` and goes into the JSON object.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id` attribute (also for the plain-text format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
