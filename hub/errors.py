"""The one error the services raise for a request that cannot be served, with its HTTP status."""

from __future__ import annotations


class ApiError(Exception):
    """A 4xx answer: status, a stable machine-readable code and a message for people.

    Messages never carry personal data: ids, field names and reasons only.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
