"""ml-metadata's gRPC server: ``MetadataStoreService`` over a datajourney store.

What Kubeflow Pipelines and TFX deploy as ``metadata_store_server``: every client built for it
(ml-metadata's ``MetadataStore(MetadataStoreClientConfig(host, port))``, KFP's backend, ours)
talks to this one. Needs grpcio (``pip install 'datajourney[grpc]'``)::

    server = MetadataStoreServer("sqlite:///mlmd.sqlite", port=8080).start()
    server.wait()   # or server.stop()
"""

from __future__ import annotations

import logging
from concurrent import futures

import grpc

from ..metadata.errors import StatusError
from ..metadata.store import MetadataStore as NativeStore
from .metadata_store.metadata_store import MetadataStore
from .proto import metadata_store_service_pb2 as svc
from .service import MetadataStoreService

SERVICE = svc.DESCRIPTOR.services_by_name["MetadataStoreService"]
_STATUS = {code.value[0]: code for code in grpc.StatusCode}
_log = logging.getLogger(__name__)


def _handler(service: MetadataStoreService, method) -> grpc.RpcMethodHandler:
    name = method.name
    request_class = getattr(svc, method.input_type.name)
    response_class = getattr(svc, method.output_type.name)

    def call(request, context: grpc.ServicerContext):
        try:
            return service.method(name)(request)
        except StatusError as error:
            code = _STATUS.get(error.error_code, grpc.StatusCode.UNKNOWN)
            context.abort(code, error.message)
        except (TypeError, ValueError) as error:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
        except Exception as error:  # a bug of ours: the client gets INTERNAL, the log the trace
            _log.exception("%s failed", name)
            context.abort(grpc.StatusCode.INTERNAL, f"{type(error).__name__}: {error}")

    return grpc.unary_unary_rpc_method_handler(
        call,
        request_deserializer=request_class.FromString,
        response_serializer=response_class.SerializeToString,
    )


class MetadataStoreServer:
    """A gRPC server of ml-metadata's ``MetadataStoreService`` for one store.

    ``store``: a datajourney store URL (``sqlite:///...``, ``postgresql://...``, ...), an open
    ``datajourney.MetadataStore``, or None for the embedded default. ``port`` 0 picks a free
    port (see ``.port`` once started).
    """

    def __init__(
        self,
        store: str | NativeStore | None = None,
        port: int = 8080,
        host: str = "[::]",
        max_workers: int = 16,
    ) -> None:
        self._owns_store = not isinstance(store, NativeStore)
        native = NativeStore(store) if self._owns_store else store
        self.store = native
        self.service = MetadataStoreService(MetadataStore.over(native))
        self._server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="mlmd-grpc"),
            options=[
                ("grpc.max_receive_message_length", -1),
                ("grpc.max_send_message_length", -1),
            ],
        )
        handlers = {m.name: _handler(self.service, m) for m in SERVICE.methods}
        self._server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler(SERVICE.full_name, handlers),)
        )
        self.host = host
        self.port = self._server.add_insecure_port(f"{host}:{port}")
        if not self.port:
            raise OSError(f"cannot listen on {host}:{port}")

    def start(self) -> MetadataStoreServer:
        """Start serving (in background threads); returns the server."""
        self._server.start()
        return self

    def wait(self, timeout: float | None = None) -> None:
        """Block until the server stops (or ``timeout`` seconds pass)."""
        self._server.wait_for_termination(timeout)

    def stop(self, grace: float | None = 1.0) -> None:
        """Stop serving: calls in flight get ``grace`` seconds to finish."""
        self._server.stop(grace).wait()
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> MetadataStoreServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
