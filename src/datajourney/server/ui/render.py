"""How a UI page is served: one data function, two answers (Datasette's rule).

``page(router, "/artifacts/{node_id}", "detail.html")`` registers the data function twice: at
the path it answers the HTML page (the Jinja2 template rendered with the dict as ``d``), at the
path plus ``.json`` the dict itself. A store error on an HTML page is an HTML error page with
the error's HTTP status; on the JSON twin it is the server's JSON error.
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from datajourney import __version__
from datajourney.metadata.errors import StatusError
from datajourney.server.errors import HTTP_STATUS

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# The sections in the top bar: (label, path).
NAV = (
    ("Runs", "/executions"),
    ("Artifacts", "/artifacts"),
    ("Contexts", "/contexts"),
    ("Compare", "/diff"),
    ("Features", "/features"),
    ("Lake", "/lake"),
    ("Warehouse", "/warehouse"),
    ("Snapshots", "/snapshots"),
    ("Audit", "/audit"),
)


def _ms(value: Any) -> str:
    """Milliseconds since the epoch as a UTC time, to the second."""
    if not isinstance(value, int | float) or value <= 0:
        return ""
    moment = _dt.datetime.fromtimestamp(value / 1000, tz=_dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _node_url(node: dict | None) -> str:
    if not node:
        return ""
    return f"/{node['kind']}s/{node['id']}"


def _label(node: dict | None) -> str:
    """``Schema #7`` or ``train.csv`` (a node's name when it has one)."""
    if not node:
        return "(deleted)"
    name = node.get("name")
    return f"{node.get('type') or node['kind']} #{node['id']}" + (f" · {name}" if name else "")


def _value(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if value is None:
        return ""
    return str(value)


def _short_uri(uri: Any, steps: int = 3) -> str:
    """The last ``steps`` path steps of a URI, led by an ellipsis when cut."""
    if not uri:
        return ""
    parts = str(uri).rstrip("/").split("/")
    return str(uri) if len(parts) <= steps + 1 else "…/" + "/".join(parts[-steps:])


def _compact(value: Any) -> str:
    """A JSON list or object held in a string property, shown without its brackets."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return _value(value)


def _with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def _json_twin(request: Request) -> str:
    query = request.url.query
    return request.url.path.rstrip("/") + ".json" + (f"?{query}" if query else "")


@functools.lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment of the UI's templates (autoescaped)."""
    try:
        import jinja2
    except ImportError as error:  # the server extra brings it
        raise RuntimeError("the web UI needs jinja2: pip install 'datajourney[server]'") from error
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        extensions=["jinja2.ext.do"],
        lstrip_blocks=True,
    )
    env.filters.update(
        ms=_ms,
        node_url=_node_url,
        label=_label,
        value=_value,
        short_uri=_short_uri,
        compact=_compact,
    )
    env.globals.update(nav=NAV, version=__version__, with_params=_with, json_twin=_json_twin)
    from .pages_files import file_view, statistics_chart

    env.globals.update(statistics_chart=statistics_chart, file_view=file_view)
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered as an HTML response."""
    html = environment().get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, error: StatusError) -> HTMLResponse:
    """A store error as an HTML page with the error's HTTP status."""
    status = HTTP_STATUS.get(error.error_code, 500)
    return render(
        request,
        "error.html",
        status=status,
        title=f"{status} {type(error).__name__}",
        message=error.message,
    )


def page(
    router: APIRouter,
    path: str,
    template: str,
    title: Callable[[dict], str] | str = "",
) -> Callable[[Callable[..., dict]], Callable[..., dict]]:
    """Register a data function as the page at ``path`` (HTML) and ``path + .json`` (JSON).

    The function takes FastAPI parameters (it must take ``request: Request``) and returns a
    JSON-able dict; the template sees it as ``d`` and the page title as ``title``.
    """

    def register(fn: Callable[..., dict]) -> Callable[..., dict]:
        signature = inspect.signature(fn)
        if "request" not in signature.parameters:
            raise TypeError(f"page {path}: the data function must take request: Request")

        @functools.wraps(fn)
        def as_json(**kwargs: Any) -> JSONResponse:
            return JSONResponse(fn(**kwargs))

        @functools.wraps(fn)
        def as_html(**kwargs: Any) -> HTMLResponse:
            request: Request = kwargs["request"]
            try:
                data = fn(**kwargs)
            except StatusError as error:
                return error_page(request, error)
            name = title(data) if callable(title) else title
            return render(request, template, d=data, title=name)

        twin = "/.json" if path == "/" else path + ".json"
        # The .json route first: "/artifacts/{id}" would otherwise take "12.json" as the id.
        router.add_api_route(twin, as_json, methods=["GET"], include_in_schema=False)
        router.add_api_route(
            path, as_html, methods=["GET"], include_in_schema=False, response_class=HTMLResponse
        )
        return fn

    return register
