#!/usr/bin/env bash
# Regenerate the Python modules of the drop-in's .proto files: metadata_store_pb2.py / .pyi
# from metadata_store.proto, metadata_store_service_pb2.py / .pyi and the gRPC stubs
# metadata_store_service_pb2_grpc.py from metadata_store_service.proto.
#
#   src/datajourney/mlmd/proto/regenerate.sh        (from any directory)
#
# protoc comes from grpcio-tools, installed into a throwaway venv outside the repository
# (override its place with PROTOC_VENV, the interpreter with PYTHON; grpcio-tools 1.62.3 has
# wheels up to CPython 3.12, so on a newer default python3 use e.g. PYTHON=python3.11).
#
# Why grpcio-tools 1.62.3 (libprotoc 25.1): its gencode calls no runtime version check,
# so it imports warning-free on every protobuf runtime from 5.29 to 7.x. Gencode from
# libprotoc 29 (grpcio-tools 1.71) warns "exactly one major version older" on runtimes
# 6.30.x-6.31.x; gencode from libprotoc >= 30 refuses to load on runtime 5.29.
# Keep this pin unless the supported runtime range changes; protoc output is deterministic,
# so rerunning on an unchanged .proto gives byte-identical files.
set -euo pipefail

GRPCIO_TOOLS_VERSION=1.62.3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${PROTOC_VENV:-${TMPDIR:-/tmp}/datajourney-protoc-$GRPCIO_TOOLS_VERSION}"
python="${PYTHON:-python3}"

if ! "$venv/bin/python" -c "import grpc_tools" 2>/dev/null; then
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q "grpcio-tools==$GRPCIO_TOOLS_VERSION"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
include="$("$venv/bin/python" -c \
    'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')"

# The descriptors are registered under ml-metadata's own file names
# ("ml_metadata/proto/<name>.proto"), so .proto files that import them by that path resolve
# against ours; the classes then name our modules (datajourney.mlmd.proto.<name>_pb2).
staging="$out/staging"
mkdir -p "$staging/ml_metadata/proto"
cp "$here"/metadata_store.proto "$here"/metadata_store_service.proto "$staging/ml_metadata/proto/"
(cd "$staging" && "$venv/bin/python" -m grpc_tools.protoc -I . -I "$include" \
    --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
    ml_metadata/proto/metadata_store.proto ml_metadata/proto/metadata_store_service.proto)
generated="$out/ml_metadata/proto"
sed -i -e "s/'ml_metadata\.proto\.\(metadata_store[a-z_]*_pb2\)'/'datajourney.mlmd.proto.\1'/" \
    -e "s/^from ml_metadata\.proto import/from datajourney.mlmd.proto import/" \
    "$generated"/*.py

protoc_version="$("$venv/bin/python" -m grpc_tools.protoc --version)"
for name in metadata_store metadata_store_service; do
    header="# Generated from $name.proto by src/datajourney/mlmd/proto/regenerate.sh
# (grpcio-tools $GRPCIO_TOOLS_VERSION, $protoc_version). Do not edit: change the .proto, rerun."

    # _pb2.py: keep protoc's coding line first, then our header.
    {
        head -n 1 "$generated/${name}_pb2.py"
        printf '%s\n' "$header"
        tail -n +2 "$generated/${name}_pb2.py"
    } > "$here/${name}_pb2.py"

    # _pb2.pyi: generated stubs are not held to the project's lint and format rules.
    {
        printf '%s\n' "$header" "# ruff: noqa" "# fmt: off"
        cat "$generated/${name}_pb2.pyi"
    } > "$here/${name}_pb2.pyi"
done

# The gRPC stubs (they import grpc: only the server and the gRPC client load them).
{
    printf '%s\n' "# Generated from metadata_store_service.proto by src/datajourney/mlmd/proto/regenerate.sh
# (grpcio-tools $GRPCIO_TOOLS_VERSION, $protoc_version). Do not edit: change the .proto, rerun." \
        "# ruff: noqa" "# fmt: off"
    cat "$generated/metadata_store_service_pb2_grpc.py"
} > "$here/metadata_store_service_pb2_grpc.py"

echo "wrote the _pb2 modules and stubs under $here ($protoc_version)"
