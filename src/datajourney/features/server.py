"""The feature server: Feast's HTTP endpoints and JSON shapes over a FeatureStore, so Feast's
HTTP clients work unchanged.

``POST /get-online-features`` ``{"features": [...] | "feature_service": name, "entities":
{key: [values]}, "full_feature_names": bool}`` answers ``{"metadata": {"feature_names":
[...]}, "results": [{"values": [...], "statuses": [...], "event_timestamps": [...]}]}``;
``POST /push``, ``/write-to-online-store``, ``/materialize``, ``/materialize-incremental``;
``GET /health``.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .errors import FeatureStoreError
from .sources import PushMode
from .store import FeatureStore

_ZERO = "1970-01-01T00:00:00Z"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


@functools.lru_cache(maxsize=65536)
def _iso(micros: int | None) -> str:
    if micros is None:
        return _ZERO
    moment = _EPOCH + datetime.timedelta(microseconds=micros)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_PLAIN = (int, str, bool, type(None))


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN or (type(value) is float and value == value):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, float) and value != value:
        return None
    return value


def create_app(store: FeatureStore):
    """The FastAPI application serving ``store``."""
    app = FastAPI(title=f"datajourney feature server: {store.project}")

    def problem(status: int, error: Exception) -> JSONResponse:
        return JSONResponse({"error": type(error).__name__, "detail": str(error)}, status)

    async def body(request: Request) -> dict:
        try:
            data = await request.json()
        except ValueError as error:
            raise FeatureStoreError(f"the request body is not JSON: {error}") from None
        if not isinstance(data, dict):
            raise FeatureStoreError("the request body must be a JSON object")
        return data

    def handled(handler):
        async def endpoint(request: Request):
            try:
                return handler(await body(request))
            except KeyError as error:
                return problem(422, FeatureStoreError(f"the request lacks {error}"))
            except (FeatureStoreError, TypeError) as error:
                return problem(422, error)

        return endpoint

    def online(data: dict) -> JSONResponse:
        if data.get("feature_service"):
            features = store.get_feature_service(data["feature_service"])
        else:
            features = data.get("features")
            if not features:
                raise FeatureStoreError("give 'features' or 'feature_service'")
        entities = data.get("entities")
        if not isinstance(entities, dict) or not entities:
            raise FeatureStoreError("'entities' must map each join key to a list of values")
        response = store.get_online_features(
            features, entities, full_feature_names=bool(data.get("full_feature_names"))
        )
        names, results = [], []
        for name, values in response.to_dict().items():
            events, states = response.statuses(name)
            names.append(name)
            results.append(
                {
                    "values": [_jsonable(v) for v in values],
                    "statuses": states,
                    "event_timestamps": [_iso(e) for e in events],
                }
            )
        return JSONResponse({"metadata": {"feature_names": names}, "results": results})

    def push(data: dict) -> JSONResponse:
        to = str(data.get("to", "online")).upper()
        if to not in PushMode.__members__:
            raise FeatureStoreError(f"'to' is {data.get('to')!r}: online, offline or both")
        store.push(data["push_source_name"], _frame(data), to=PushMode[to])
        return JSONResponse(None)

    def write(data: dict) -> JSONResponse:
        store.write_to_online_store(data["feature_view_name"], _frame(data))
        return JSONResponse(None)

    def materialize(data: dict) -> JSONResponse:
        written = store.materialize(
            _moment(data, "start_ts"), _moment(data, "end_ts"), data.get("feature_views")
        )
        return JSONResponse({"rows": written})

    def incremental(data: dict) -> JSONResponse:
        written = store.materialize_incremental(_moment(data, "end_ts"), data.get("feature_views"))
        return JSONResponse({"rows": written})

    app.add_api_route("/get-online-features", handled(online), methods=["POST"])
    app.add_api_route("/push", handled(push), methods=["POST"])
    app.add_api_route("/write-to-online-store", handled(write), methods=["POST"])
    app.add_api_route("/materialize", handled(materialize), methods=["POST"])
    app.add_api_route("/materialize-incremental", handled(incremental), methods=["POST"])
    app.add_api_route("/health", lambda: JSONResponse(None), methods=["GET"])
    return app


def _frame(data: dict) -> dict[str, list]:
    frame = data.get("df")
    if not isinstance(frame, dict) or not frame:
        raise FeatureStoreError("'df' must map column names to lists of values")
    return frame


def _moment(data: dict, key: str) -> datetime.datetime:
    if key not in data:
        raise FeatureStoreError(f"{key!r} is required")
    try:
        moment = datetime.datetime.fromisoformat(str(data[key]).replace("Z", "+00:00"))
    except ValueError:
        raise FeatureStoreError(f"{key!r} is not an ISO date-time: {data[key]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def serve(store: FeatureStore, host: str = "127.0.0.1", port: int = 6566) -> None:
    """Serve until interrupted (uvicorn)."""
    import uvicorn

    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
