"""ml-metadata's own store behind its gRPC service, for our client to talk to.

Runs under the peer interpreter (ml-metadata 1.17.1). Google's ``metadata_store_server`` binary
is not in the Python wheel; this serves the same ``MetadataStoreService`` over the same C++
store the binary wraps: each RPC's request bytes go to ml-metadata's C++ method of that name
and its response bytes (or status code and message) come back as they are.

Usage::

    python mlmd_server.py COUNT

starts COUNT servers, each over an empty SQLite store of its own, prints their ports on one line
(comma-separated) and serves until its standard input closes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from concurrent import futures

import grpc
from ml_metadata.metadata_store.pywrap.metadata_store_extension import (
    metadata_store as serialized,
)
from ml_metadata.proto import metadata_store_pb2, metadata_store_service_pb2

SERVICE = metadata_store_service_pb2.DESCRIPTOR.services_by_name["MetadataStoreService"]
CODES = {code.value[0]: code for code in grpc.StatusCode}


def _handler(store, name: str) -> grpc.RpcMethodHandler:
    method = getattr(serialized, name)

    def call(request: bytes, context: grpc.ServicerContext) -> bytes:
        response, message, code = method(store, request)
        if code != 0:
            context.abort(CODES.get(code, grpc.StatusCode.UNKNOWN), message.decode("utf-8"))
        return response

    return grpc.unary_unary_rpc_method_handler(call)


def serve(path: str) -> tuple[grpc.Server, int]:
    config = metadata_store_pb2.ConnectionConfig()
    config.sqlite.filename_uri = path
    config.sqlite.connection_mode = (
        metadata_store_pb2.SqliteMetadataSourceConfig.READWRITE_OPENCREATE
    )
    store = serialized.CreateMetadataStore(
        config.SerializeToString(), metadata_store_pb2.MigrationOptions().SerializeToString()
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    handlers = {
        m.name: _handler(store, m.name) for m in SERVICE.methods if hasattr(serialized, m.name)
    }
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(SERVICE.full_name, handlers),)
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def main(count: int) -> None:
    workdir = tempfile.mkdtemp(prefix="mlmd_server_")
    servers = [serve(os.path.join(workdir, f"store_{i}.sqlite")) for i in range(count)]
    print(",".join(str(port) for _, port in servers), flush=True)
    sys.stdin.read()
    for server, _ in servers:
        server.stop(None)


if __name__ == "__main__":
    main(int(sys.argv[1]))
