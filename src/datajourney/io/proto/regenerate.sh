#!/usr/bin/env bash
# Regenerate example_pb2.py and example_pb2.pyi from example.proto.
#
#   src/datajourney/io/proto/regenerate.sh        (from any directory)
#
# Same toolchain and pin as src/datajourney/mlmd/proto/regenerate.sh (read its header for why
# grpcio-tools 1.62.3): protoc from grpcio-tools in a throwaway venv outside the repository
# (PROTOC_VENV overrides its place, PYTHON the interpreter that creates it).
set -euo pipefail

GRPCIO_TOOLS_VERSION=1.62.3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src_root="$(cd "$here/../../.." && pwd)"
proto=datajourney/io/proto/example.proto
venv="${PROTOC_VENV:-${TMPDIR:-/tmp}/datajourney-protoc-$GRPCIO_TOOLS_VERSION}"
python="${PYTHON:-python3}"

if ! "$venv/bin/python" -c "import grpc_tools" 2>/dev/null; then
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q "grpcio-tools==$GRPCIO_TOOLS_VERSION"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$src_root" && "$venv/bin/python" -m grpc_tools.protoc -I . \
    --python_out="$out" --pyi_out="$out" "$proto")

protoc_version="$("$venv/bin/python" -m grpc_tools.protoc --version)"
header="# Generated from example.proto by src/datajourney/io/proto/regenerate.sh
# (grpcio-tools $GRPCIO_TOOLS_VERSION, $protoc_version). Do not edit: change the .proto, rerun."

# _pb2.py: protoc's coding line first, then our header; generated code is exempt from lint.
{
    head -n 1 "$out/${proto%.proto}_pb2.py"
    printf '%s\n' "$header" "# ruff: noqa" "# fmt: off"
    tail -n +2 "$out/${proto%.proto}_pb2.py"
} > "$here/example_pb2.py"

{
    printf '%s\n' "$header" "# ruff: noqa" "# fmt: off"
    cat "$out/${proto%.proto}_pb2.pyi"
} > "$here/example_pb2.pyi"

echo "wrote $here/example_pb2.py and .pyi ($protoc_version)"
