"""ml-metadata's ``errors`` module: the same classes and status codes."""

from ..metadata.errors import *  # noqa: F403
from ..metadata.errors import exception_type_from_error_code, make_exception  # noqa: F401
