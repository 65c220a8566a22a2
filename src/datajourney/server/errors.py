"""Errors as JSON: the store's status errors (MLMD codes) mapped to HTTP statuses.

Every error the server returns has the body ``{"error": {"code": 5, "status": "NOT_FOUND",
"message": "no artifact with id 7"}}`` (an access denial, 403, adds ``principal``, ``action``
and ``resource``: ``{"kind", "name"}``): ``code`` is ML Metadata's (gRPC's) status code, so the
HTTP backend raises the same exception class as a local store. Never a traceback.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from datajourney.metadata import errors as codes
from datajourney.metadata.errors import StatusError

log = logging.getLogger("datajourney.server")

HTTP_STATUS: dict[int, int] = {
    codes.CANCELLED: 499,
    codes.UNKNOWN: 500,
    codes.INVALID_ARGUMENT: 400,
    codes.DEADLINE_EXCEEDED: 504,
    codes.NOT_FOUND: 404,
    codes.ALREADY_EXISTS: 409,
    codes.PERMISSION_DENIED: 403,
    codes.RESOURCE_EXHAUSTED: 429,
    codes.FAILED_PRECONDITION: 412,
    codes.ABORTED: 409,
    codes.OUT_OF_RANGE: 400,
    codes.UNIMPLEMENTED: 501,
    codes.INTERNAL: 500,
    codes.UNAVAILABLE: 503,
    codes.DATA_LOSS: 500,
    codes.UNAUTHENTICATED: 401,
}
# HTTP statuses that the framework raises itself (unknown route, wrong method) as status codes.
_CODE_OF_HTTP = {
    400: codes.INVALID_ARGUMENT,
    401: codes.UNAUTHENTICATED,
    403: codes.PERMISSION_DENIED,
    404: codes.NOT_FOUND,
    405: codes.UNIMPLEMENTED,
    409: codes.ALREADY_EXISTS,
    413: codes.RESOURCE_EXHAUSTED,
    415: codes.INVALID_ARGUMENT,
    422: codes.INVALID_ARGUMENT,
}
_NAMES = {
    value: name
    for name, value in vars(codes).items()
    if name.isupper() and isinstance(value, int) and not name.startswith("_")
}

# The error body as OpenAPI documents it (every route may answer with it).
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "integer"},
                "status": {"type": "string"},
                "message": {"type": "string"},
            },
            "required": ["code", "status", "message"],
        }
    },
    "required": ["error"],
}


def error_body(code: int, message: str) -> dict:
    """The JSON body of an error with status ``code``."""
    return {"error": {"code": code, "status": _NAMES.get(code, "UNKNOWN"), "message": message}}


def error_response(code: int, message: str, http_status: int | None = None) -> JSONResponse:
    """A JSON error response; the HTTP status follows from ``code`` unless given."""
    status = http_status or HTTP_STATUS.get(code, 500)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _denial(error: StatusError) -> dict | None:
    """``principal``, ``action`` and ``resource`` of an access denial, else None."""
    from datajourney.access import AccessDeniedError

    if not isinstance(error, AccessDeniedError):
        return None
    resource = error.resource
    return {
        "principal": error.principal,
        "action": error.action.value,
        "resource": {"kind": resource.kind.value, "name": resource.name},
    }


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a JSON error body."""

    @app.exception_handler(StatusError)
    async def status_error(request: Request, error: StatusError) -> JSONResponse:
        response = error_response(error.error_code, error.message)
        denied = _denial(error)
        if denied is not None:  # an access denial names who, what and on which resource
            body = error_body(error.error_code, error.message)
            body["error"].update(denied)
            response = JSONResponse(body, status_code=response.status_code)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(codes.INVALID_ARGUMENT, _validation_message(error), 400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        code = _CODE_OF_HTTP.get(error.status_code, codes.UNKNOWN)
        message = str(error.detail)
        if error.status_code == 404 and message == "Not Found":
            message = f"no such resource: {request.url.path}"
        elif error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(code, message, error.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(codes.INTERNAL, f"internal error: {type(error).__name__}")
