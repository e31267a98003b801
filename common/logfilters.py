"""Logging filters named in ``settings.LOGGING``."""

from __future__ import annotations

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """A 4xx answer is the client's doing, not ours: Django's request logger attaches
    the exception (PermissionDenied, Http404...) to its "Forbidden" line, which prints
    a whole traceback for each refused page. Keep the one line, drop the traceback;
    5xx records keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
