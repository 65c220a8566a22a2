"""Errors raised by the metadata store.

The classes and numeric codes are those of ml-metadata's ``errors`` module (which follows the
canonical gRPC status codes), so code that catches ``errors.NotFoundError`` keeps working.
"""

from __future__ import annotations

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class StatusError(Exception):
    """Base class of every store error; ``error_code`` is the status code."""

    code: int = UNKNOWN

    def __init__(self, message: str, error_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.error_code = self.code if error_code is None else error_code


def _status(name: str, code: int, doc: str) -> type[StatusError]:
    cls = type(name, (StatusError,), {"code": code, "__doc__": doc})
    cls.__module__ = __name__
    return cls


CancelledError = _status("CancelledError", CANCELLED, "The operation was cancelled.")
UnknownError = _status("UnknownError", UNKNOWN, "The operation failed for an unknown reason.")
InvalidArgumentError = _status(
    "InvalidArgumentError", INVALID_ARGUMENT, "The call received an invalid argument."
)
DeadlineExceededError = _status(
    "DeadlineExceededError", DEADLINE_EXCEEDED, "A deadline expired first."
)
NotFoundError = _status("NotFoundError", NOT_FOUND, "A requested entity was not found.")
AlreadyExistsError = _status(
    "AlreadyExistsError", ALREADY_EXISTS, "The entity to create already exists."
)
PermissionDeniedError = _status(
    "PermissionDeniedError", PERMISSION_DENIED, "The caller may not run this operation."
)
UnauthenticatedError = _status(
    "UnauthenticatedError", UNAUTHENTICATED, "The caller has no valid credentials."
)
ResourceExhaustedError = _status(
    "ResourceExhaustedError", RESOURCE_EXHAUSTED, "A resource has been exhausted."
)
FailedPreconditionError = _status(
    "FailedPreconditionError", FAILED_PRECONDITION, "The store is not in a state to run this."
)
AbortedError = _status("AbortedError", ABORTED, "Aborted, typically by a concurrent action.")
OutOfRangeError = _status("OutOfRangeError", OUT_OF_RANGE, "A value is out of its valid range.")
UnimplementedError = _status("UnimplementedError", UNIMPLEMENTED, "Not implemented.")
InternalError = _status("InternalError", INTERNAL, "An internal error of the backend.")
UnavailableError = _status("UnavailableError", UNAVAILABLE, "The backend is unavailable.")
DataLossError = _status("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")

_BY_CODE: dict[int, type[StatusError]] = {
    cls.code: cls
    for cls in (
        CancelledError,
        UnknownError,
        InvalidArgumentError,
        DeadlineExceededError,
        NotFoundError,
        AlreadyExistsError,
        PermissionDeniedError,
        UnauthenticatedError,
        ResourceExhaustedError,
        FailedPreconditionError,
        AbortedError,
        OutOfRangeError,
        UnimplementedError,
        InternalError,
        UnavailableError,
        DataLossError,
    )
}


def exception_type_from_error_code(error_code: int) -> type[StatusError]:
    """Return the error class for a status code (KeyError for an unknown code)."""
    return _BY_CODE[error_code]


def make_exception(message: str, error_code: int) -> StatusError:
    """Build the error matching ``error_code``; an unknown code gives UnknownError."""
    cls = _BY_CODE.get(error_code)
    return cls(message) if cls else UnknownError(message, error_code)
