"""The JSON API: the terminal side (/v1/enrol, feed, applications, heartbeat) and the
operator side (/v1/admin/*). Each route validates, delegates to a service, and answers."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Literal
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import FileResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hub.auth import TerminalIdentity, authenticate_terminal, bearer_token
from hub.errors import ApiError
from hub.exports import download
from hub.feed import CursorError
from hub.ingest import ingest_payload
from hub.limits import uploaded_file
from hub.schemas import (
    TERMINAL_ID,
    ApplicationList,
    ApplicationReceipt,
    ApplicationSubmission,
    ApplicationView,
    EnrolCode,
    EnrolCodeRequest,
    EnrolRequest,
    EnrolResponse,
    Error,
    FeedResponse,
    Heartbeat,
    HeartbeatResponse,
    IngestResult,
    OfferApplicationsList,
    PurgeResult,
    ReferenceLookup,
    SourceName,
    TerminalChange,
    TerminalList,
    TerminalView,
)
from kiosk.formats import FormatError

if TYPE_CHECKING:
    from hub.app import Services
    from hub.offers import IngestReport

log = logging.getLogger("hub.api")

_QUERY_TOKENS = frozenset({"token", "access_token", "api_key", "apikey", "key"})
_RATE_LIMITED = {
    "model": Error,
    "description": "Too many requests: wait as many seconds as `Retry-After` says.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
}
COMMON: dict[int | str, dict[str, Any]] = {
    400: {
        "model": Error,
        "description": "Malformed request (a cursor, a header, a token in the URL).",
    },
    422: {"model": Error, "description": "A field is missing or invalid; `details` names it."},
    429: _RATE_LIMITED,
}
_TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"model": Error, "description": "The body is larger than the hub accepts."}
}
AUTHENTICATED: dict[int | str, dict[str, Any]] = {
    **COMMON,
    401: {"model": Error, "description": "Missing, unknown or revoked token."},
}
ADMIN: dict[int | str, dict[str, Any]] = {
    **AUTHENTICATED,
    403: {"model": Error, "description": "A terminal's token cannot use operator routes."},
}
TerminalPath = Annotated[str, Path(pattern=TERMINAL_ID)]
RELEASE_FILE = r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$"  # one name in one folder: no path
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=64,
        description="The application's UUID (the same as in the path).",
    ),
]
# The shapes `detect_format` recognises (the offers inside are checked one by one).
_JOBPOSTING: dict[str, Any] = {
    "type": "object",
    "required": ["@type"],
    "properties": {
        "@type": {
            "anyOf": [
                {"type": "string", "pattern": "^(.*/)?JobPosting$"},
                {"type": "array", "contains": {"type": "string", "pattern": "^(.*/)?JobPosting$"}},
            ]
        }
    },
}
_FT_OFFER: dict[str, Any] = {"type": "object", "required": ["intitule"]}
INGEST_PAYLOAD: dict[str, Any] = {
    "anyOf": [
        {"type": "object", "required": ["resultats"]},
        {"type": "object", "required": ["@graph"]},
        _JOBPOSTING,
        _FT_OFFER,
        {
            "type": "array",
            "items": {
                "anyOf": [_JOBPOSTING, _FT_OFFER, {"type": "object", "required": ["@graph"]}]
            },
        },
    ]
}
OfferSource = Annotated[SourceName | None, Query()]
OfferId = Annotated[str | None, Query(min_length=1, max_length=512)]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer written by orjson (UTC times with Z)."""
    return Response(
        orjson.dumps(data, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _no_token_in_url(request: Request) -> None:
    if _QUERY_TOKENS & {key.lower() for key in request.query_params}:
        raise ApiError(400, "token_in_url", "tokens go in the Authorization header, never the URL")


_terminal_scheme = HTTPBearer(
    scheme_name="terminalToken",
    description="The token a terminal received at enrolment.",
    auto_error=False,
)
_operator_scheme = HTTPBearer(
    scheme_name="operatorToken",
    description="An operator token (`kiosk-hub operator-token`).",
    auto_error=False,
)
_UNAUTHORISED = {"WWW-Authenticate": 'Bearer realm="kiosk-hub"'}


def terminal_guard(services: "Services") -> Callable[..., TerminalIdentity]:
    """The dependency of terminal routes: the calling terminal, or 401."""

    def require_terminal(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_terminal_scheme)],
    ) -> TerminalIdentity:
        _no_token_in_url(request)
        token = bearer_token(request.headers.get("authorization"))
        terminal = authenticate_terminal(services.db, token) if token else None
        if terminal is None:
            raise ApiError(401, "unauthorised", "a valid terminal token is required", _UNAUTHORISED)
        return terminal

    return require_terminal


def operator_guard(services: "Services") -> Callable[..., int]:
    """The dependency of operator routes: the operator token's id, 403 for a terminal's
    token, 401 otherwise."""

    def require_operator(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_operator_scheme)],
    ) -> int:
        _no_token_in_url(request)
        token = bearer_token(request.headers.get("authorization"))
        if token is not None and authenticate_terminal(services.db, token) is not None:
            raise ApiError(403, "forbidden", "terminal tokens cannot use operator routes")
        operator = services.operators.authenticate(token) if token else None
        if operator is None:
            raise ApiError(401, "unauthorised", "a valid operator token is required", _UNAUTHORISED)
        return operator

    return require_operator


def terminal_router(services: "Services") -> APIRouter:
    """The routes terminals call."""
    router = APIRouter(prefix="/v1", tags=["terminals"])
    settings = services.settings.config
    Terminal = Annotated[TerminalIdentity, Depends(terminal_guard(services))]  # noqa: N806

    @router.post(
        "/enrol",
        status_code=201,
        response_model=EnrolResponse,
        operation_id="enrol",
        responses={
            **COMMON,
            **_TOO_LARGE,
            403: {
                "model": Error,
                "description": "The code is unknown, used, expired or for another terminal id.",
            },
            409: {"model": Error, "description": "The terminal is enrolled already."},
        },
    )
    def enrol(request: Request, body: EnrolRequest) -> Response:
        """Exchange a one-time enrolment code for this terminal's token."""
        _no_token_in_url(request)
        token = services.terminals.enrol(body)
        return json_response(
            {
                "token": token,
                "public_key": services.keys.public_key,
                "terminal_id": body.terminal_id,
                "heartbeat_s": settings.terminals.heartbeat_s,
                "feed_page_max": settings.feed.page_max,
            },
            201,
            {"Cache-Control": "no-store"},
        )

    @router.get(
        "/feed",
        response_model=FeedResponse,
        operation_id="feed",
        responses={
            **AUTHENTICATED,
            200: {
                "headers": {
                    "ETag": {"schema": {"type": "string"}},
                    "Feed-Cursor": {
                        "schema": {"type": "string"},
                        "description": "The page's `cursor`, readable before the body.",
                    },
                    "Feed-More": {
                        "schema": {"type": "string", "enum": ["true", "false"]},
                        "description": "The page's `more`.",
                    },
                }
            },
            304: {"description": "Nothing new since the page whose ETag was sent."},
        },
    )
    def feed(
        terminal: Terminal,
        cursor: Annotated[str | None, Query(max_length=128)] = None,
        limit: Annotated[
            int | None, Query(ge=1, le=5000, description="At most `feed_page_max` (enrolment).")
        ] = None,
        if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
    ) -> Response:
        """The offers within the terminal's radius changed after `cursor`, and the tombstones
        of those withdrawn. Store each page with its cursor in one transaction."""
        if limit is None:
            limit = settings.feed.page_default
        elif limit > settings.feed.page_max:
            raise ApiError(422, "invalid_request", f"limit is at most {settings.feed.page_max}")
        try:
            page = services.feed.page(terminal, cursor, limit, if_none_match)
        except CursorError as exc:
            raise ApiError(400, "invalid_cursor", str(exc)) from exc
        headers = {"ETag": page.etag, "Cache-Control": "private, no-cache"}
        if page.not_modified:
            return Response(status_code=304, headers=headers)
        if page.resync:
            log.info("terminal %s must resync its offers", terminal.terminal_id)
        # The next page can be asked for before this one is decoded (terminals parse pages
        # on other cores while the next one travels).
        headers |= {"Feed-Cursor": page.cursor, "Feed-More": "true" if page.more else "false"}
        return Response(page.body, media_type="application/json", headers=headers)

    def submit(
        application_id: uuid.UUID,
        body: ApplicationSubmission,
        idempotency_key: str | None,
        terminal: TerminalIdentity,
    ) -> Response:
        key = (idempotency_key or "").strip().strip('"').lower()
        if key != str(application_id):
            raise ApiError(
                400,
                "idempotency_key",
                "the Idempotency-Key header is required and must be the application's UUID",
            )
        receipt = services.inbox.receive(terminal, application_id, body)
        return json_response(receipt.body, receipt.status)

    receipt_responses: dict[int | str, dict[str, Any]] = {
        **AUTHENTICATED,
        **_TOO_LARGE,
        200: {"model": ApplicationReceipt, "description": "A replay: the original answer."},
        403: {"model": Error, "description": "terminal_id is not the token's terminal."},
        409: {"model": Error, "description": "This UUID was received with another body."},
    }

    @router.put(
        "/applications/{application_id}",
        status_code=201,
        response_model=ApplicationReceipt,
        operation_id="putApplication",
        responses=receipt_responses,
    )
    def put_application(
        application_id: uuid.UUID,
        body: ApplicationSubmission,
        terminal: Terminal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        """Deliver a sealed application. Safe to repeat: the hub keeps each UUID forever."""
        return submit(application_id, body, idempotency_key, terminal)

    @router.post(
        "/applications/{application_id}",
        status_code=201,
        response_model=ApplicationReceipt,
        operation_id="postApplication",
        responses=receipt_responses,
    )
    def post_application(
        application_id: uuid.UUID,
        body: ApplicationSubmission,
        terminal: Terminal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        """The same as PUT, for clients that only POST."""
        return submit(application_id, body, idempotency_key, terminal)

    @router.post(
        "/heartbeat",
        response_model=HeartbeatResponse,
        operation_id="heartbeat",
        responses={**AUTHENTICATED, **_TOO_LARGE},
    )
    def heartbeat(body: Heartbeat, terminal: Terminal) -> Response:
        """Report health; the answer carries configuration changes, if any."""
        return json_response({"config": services.terminals.heartbeat(terminal, body)})

    @router.get(
        "/releases/{name}",
        operation_id="release",
        response_class=FileResponse,
        responses={
            **COMMON,
            200: {
                "description": "The file (a manifest, its signature, or an archive).",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            },
            404: {"model": Error, "description": "No such release file."},
        },
    )
    def release(name: Annotated[str, Path(pattern=RELEASE_FILE)]) -> Response:
        """A file of the signed terminal releases, without a token: they are public, signed
        artefacts (`kiosk update` and `provision.sh` check every signature; the hub only serves
        them), so a blank machine can be provisioned before it is enrolled."""
        folder = settings.releases.folder
        path = folder / name if folder is not None else None
        if path is None or not path.is_file():
            raise ApiError(404, "not_found", f"no release file {name}")
        return FileResponse(path, headers={"Cache-Control": "no-cache"})

    @router.get("/health", operation_id="health", responses={429: _RATE_LIMITED})
    def health() -> dict[str, str]:
        """Liveness for load balancers (no authentication, no database)."""
        return {"status": "ok"}

    return router


def admin_router(services: "Services") -> APIRouter:
    """The routes operators call (also behind the fleet page)."""
    router = APIRouter(
        prefix="/v1/admin", tags=["operators"], dependencies=[Depends(operator_guard(services))]
    )

    @router.get(
        "/terminals", response_model=TerminalList, operation_id="listTerminals", responses=ADMIN
    )
    def list_terminals() -> Response:
        """Every terminal with its health from its last heartbeat."""
        return json_response({"terminals": services.terminals.list_all()})

    @router.get(
        "/terminals/{terminal_id}",
        response_model=TerminalView,
        operation_id="getTerminal",
        responses={**ADMIN, 404: {"model": Error, "description": "Unknown terminal."}},
    )
    def get_terminal(terminal_id: TerminalPath) -> Response:
        """One terminal."""
        return json_response(services.terminals.get(terminal_id))

    @router.patch(
        "/terminals/{terminal_id}",
        response_model=TerminalView,
        operation_id="changeTerminal",
        responses={
            **ADMIN,
            **_TOO_LARGE,
            404: {"model": Error, "description": "Unknown terminal."},
        },
    )
    def change_terminal(terminal_id: TerminalPath, body: TerminalChange) -> Response:
        """Change a terminal's name, area or settings: pushed in its next heartbeat answer; a
        new area also makes its feed start again."""
        return json_response(services.terminals.change(terminal_id, body))

    @router.post(
        "/terminals/{terminal_id}/revoke",
        status_code=204,
        operation_id="revokeTerminal",
        responses={**ADMIN, 404: {"model": Error, "description": "Unknown terminal."}},
    )
    def revoke_terminal(terminal_id: TerminalPath) -> Response:
        """Revoke the terminal's token now (it must enrol again with a new code)."""
        services.terminals.revoke(terminal_id)
        return Response(status_code=204)

    @router.post(
        "/terminals/{terminal_id}/resync",
        status_code=204,
        operation_id="resyncTerminal",
        responses={**ADMIN, 404: {"model": Error, "description": "Unknown terminal."}},
    )
    def resync_terminal(terminal_id: TerminalPath) -> Response:
        """Make the terminal fetch its offers again from scratch."""
        services.terminals.request_resync(terminal_id)
        return Response(status_code=204)

    @router.post(
        "/enrol-codes",
        status_code=201,
        response_model=EnrolCode,
        operation_id="createEnrolCode",
        responses={**ADMIN, **_TOO_LARGE},
    )
    def create_enrol_code(body: EnrolCodeRequest) -> Response:
        """A one-time code for a terminal to enrol with (shown once)."""
        code, expires = services.terminals.create_code(body.terminal_id, body.hours, body.replace)
        return json_response(
            {"code": code, "terminal_id": body.terminal_id, "expires_at": _utc(expires)},
            201,
            {"Cache-Control": "no-store"},
        )

    @router.get(
        "/applications",
        response_model=ApplicationList,
        operation_id="listApplications",
        responses=ADMIN,
    )
    def list_applications(
        offer_source: OfferSource = None,
        offer_id: OfferId = None,
        terminal_id: Annotated[str | None, Query(pattern=TERMINAL_ID)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Response:
        """Applications, unsealed, newest first."""
        views = list(services.inbox.iter_views(offer_source, offer_id, terminal_id, limit))
        log.info("operator read %d applications", len(views))
        return json_response({"applications": views}, headers={"Cache-Control": "no-store"})

    @router.post(
        "/applications/find-reference",
        response_model=ApplicationList,
        operation_id="findReference",
        responses=ADMIN,
    )
    def find_reference(body: ReferenceLookup) -> Response:
        """The applications given a reference code, unsealed: to answer an applicant who
        quotes it to see or delete their data (the code goes in the body, not in the URL)."""
        views = services.inbox.find_reference(body.reference)
        return json_response({"applications": views}, headers={"Cache-Control": "no-store"})

    @router.delete(
        "/applications/{application_id}",
        response_model=ApplicationView,
        operation_id="eraseApplication",
        responses={**ADMIN, 404: {"model": Error, "description": "No such application."}},
    )
    def erase_application(application_id: uuid.UUID) -> Response:
        """Delete an application's content now, at its applicant's request (the record that
        it was received stays, without it, so that its terminal is answered as before)."""
        view = services.inbox.erase(str(application_id))
        return json_response(view, headers={"Cache-Control": "no-store"})

    @router.get(
        "/applications/export",
        operation_id="exportApplications",
        responses={
            **ADMIN,
            200: {
                "description": "The applications as a file (CSV for spreadsheets, or JSON).",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/json": {"schema": ApplicationList.model_json_schema()},
                },
            },
        },
    )
    def export_applications(
        format: Annotated[Literal["csv", "json"], Query()] = "csv",
        offer_source: OfferSource = None,
        offer_id: OfferId = None,
    ) -> Response:
        """Every application of one offer (or all), unsealed, as CSV or JSON."""
        return export_response(services, format, offer_source, offer_id)

    @router.get(
        "/offers/applications",
        response_model=OfferApplicationsList,
        operation_id="offersWithApplications",
        responses=ADMIN,
    )
    def offers_with_applications() -> Response:
        """The offers that received applications, with how many."""
        return json_response({"offers": services.inbox.per_offer()})

    @router.post(
        "/ingest",
        response_model=IngestResult,
        operation_id="ingest",
        responses={**ADMIN, **_TOO_LARGE},
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "A France Travail v2 payload or schema.org JobPosting JSON-LD.",
                "content": {"application/json": {"schema": INGEST_PAYLOAD}},
            }
        },
    )
    async def ingest(
        request: Request,
        source: Annotated[SourceName | None, Query()] = None,
        full_refresh: Annotated[bool, Query()] = False,
    ) -> Response:
        """Upload offers (the file's offers are upserted; with `full_refresh`, the offers of
        its sources that it does not list are withdrawn)."""
        # The limits middleware checked the operator before reading the body, then wrote
        # the body to a temporary file (capped at [limits] upload_bytes).
        upload = uploaded_file(request.scope)
        payload = upload if upload is not None else await request.body()
        return await ingest_upload(services, payload, source, full_refresh)

    @router.get("/sources", operation_id="sources", responses=ADMIN)
    def sources() -> Response:
        """The offers per source and each source's last ingest."""
        return json_response(
            {"offers": services.offers.counts(), "sources": services.offers.sources()}
        )

    @router.post("/purge", response_model=PurgeResult, operation_id="purge", responses=ADMIN)
    def purge() -> Response:
        """Apply the retention rules now (they also run on a timer)."""
        return json_response(services.purge())

    return router


def _utc(epoch: int) -> str:
    from hub.terminals import iso  # noqa: PLC0415

    stamp = iso(epoch)
    assert stamp is not None
    return stamp.isoformat().replace("+00:00", "Z")


def export_response(
    services: "Services", fmt: str, offer_source: str | None, offer_id: str | None
) -> Response:
    """An export as a download, streamed (also used by the fleet page)."""
    chunks = services.inbox.export(fmt, offer_source, offer_id)
    name = "applications" + (f"-{offer_source}-{offer_id}" if offer_source and offer_id else "")
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return download(
        chunks,
        media,
        {"Content-Disposition": attachment(name, fmt), "Cache-Control": "no-store"},
    )


def attachment(stem: str, extension: str) -> str:
    """A Content-Disposition for a download (RFC 6266): an ASCII `filename` for old clients
    and the UTF-8 name in `filename*` (RFC 5987), since header values are Latin-1 at most."""
    kept = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)[:120]
    fallback = "".join(c if c.isascii() else "_" for c in kept)
    encoded = quote(f"{kept}.{extension}", safe="!#$&+-.^_`|~")
    return f"attachment; filename=\"{fallback}.{extension}\"; filename*=UTF-8''{encoded}"


async def ingest_upload(
    services: "Services",
    payload: "bytes | FilePath | BinaryIO",
    source: str | None,
    full_refresh: bool,
) -> Response:
    """Read, parse and upsert an uploaded payload off the event loop, one upload at a time
    (a large file takes several times its size in memory while it is parsed)."""
    from starlette.concurrency import run_in_threadpool  # noqa: PLC0415

    report = await run_in_threadpool(_ingest_file, services, payload, source, full_refresh)
    services.offers.record_run(source or "upload", "upload", report, None)
    log.info("upload ingested: %s", report.summary())
    return json_response(report.as_json())


_INGESTING = threading.Lock()


def _ingest_file(
    services: "Services",
    payload: "bytes | FilePath | BinaryIO",
    source: str | None,
    full_refresh: bool,
) -> "IngestReport":
    with _INGESTING:
        if isinstance(payload, FilePath):
            body = payload.read_bytes()
        elif isinstance(payload, bytes):
            body = payload
        else:
            payload.seek(0)
            body = payload.read()
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ApiError(422, "invalid_json", f"the upload is not JSON: {exc}") from exc
        del body
        try:
            return ingest_payload(services.offers, data, source, full_refresh)
        except FormatError as exc:
            raise ApiError(422, "unknown_format", str(exc)) from exc
