"""datajourney.mlmd.proto.metadata_store_pb2 against real ml-metadata 1.17.1.

Both modules define the proto package ``ml_metadata``, so they cannot share a process. The same
small script (``_SCRIPT`` below) runs once under the peer's interpreter on
``ml_metadata.proto.metadata_store_pb2`` and once under ours on
``datajourney.mlmd.proto.metadata_store_pb2``; the test compares what the two print.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parents[1]
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))

from peer import REPO_ROOT, mlmd_python  # noqa: E402

PEER_MODULE = "ml_metadata.proto.metadata_store_pb2"
OUR_MODULE = "datajourney.mlmd.proto.metadata_store_pb2"

# Runs under protobuf 4.25 (the peer) and 5.29..7.x (ours): only APIs common to all of them.
# Usage: python script.py MODULE describe|encode|decode [strict]  (decode reads JSON from stdin).
# "strict" turns every warning raised by protobuf, the generated module or this script into an
# error (runtime version warnings, deprecated gencode APIs), ignoring unrelated libraries.
_SCRIPT = r'''
import importlib
import json
import sys
import types
import warnings

if sys.argv[3:] == ["strict"]:
    warnings.filterwarnings("error", module=r"(google\.protobuf|datajourney\.mlmd\.proto|__main__)")

from google.protobuf import descriptor_pb2, text_format

module = importlib.import_module(sys.argv[1])
mode = sys.argv[2]

LABELS = {v: k for k, v in descriptor_pb2.FieldDescriptorProto.Label.items()}
TYPES = {v: k for k, v in descriptor_pb2.FieldDescriptorProto.Type.items()}


def opts(options):
    return text_format.MessageToString(options, as_one_line=True)


def ranges(items):
    return [[r.start, r.end] for r in items]


def describe():
    fdp = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(fdp)
    messages, enums = {}, {}

    def walk_enum(e, prefix):
        enums[prefix + e.name] = {
            "values": [[v.name, v.number, opts(v.options)] for v in e.value],
            "options": opts(e.options),
        }

    def walk_message(d, prefix):
        name = prefix + d.name
        messages[name] = {
            "fields": [
                {
                    "name": f.name,
                    "number": f.number,
                    "label": LABELS[f.label],
                    "type": TYPES[f.type],
                    "type_name": f.type_name,
                    "default": f.default_value if f.HasField("default_value") else None,
                    "oneof": d.oneof_decl[f.oneof_index].name
                    if f.HasField("oneof_index")
                    else None,
                    "options": opts(f.options),
                }
                for f in d.field
            ],
            "oneofs": [o.name for o in d.oneof_decl],
            "options": opts(d.options),
            "reserved_ranges": ranges(d.reserved_range),
            "reserved_names": list(d.reserved_name),
            "extension_ranges": ranges(d.extension_range),
            "extensions": [[x.name, x.number, x.extendee] for x in d.extension],
        }
        for e in d.enum_type:
            walk_enum(e, name + ".")
        for n in d.nested_type:
            walk_message(n, name + ".")

    for e in fdp.enum_type:
        walk_enum(e, fdp.package + ".")
    for d in fdp.message_type:
        walk_message(d, fdp.package + ".")

    # What the runtime makes of it: defaults, enum value extensions, oneof membership.
    runtime_defaults, type_names = {}, {}

    def walk_runtime(md):
        for f in md.fields:
            if f.message_type is None:
                runtime_defaults[f.full_name] = [f.has_default_value, repr(f.default_value)]
            if f.containing_oneof is not None:
                runtime_defaults[f.full_name + "@oneof"] = f.containing_oneof.full_name
        for e in md.enum_types:
            walk_runtime_enum(e)
        for n in md.nested_types:
            walk_runtime(n)

    def walk_runtime_enum(ed):
        for v in ed.values:
            o = v.GetOptions()
            if o.HasExtension(module.system_type_extension):
                type_names[ed.full_name + "." + v.name] = o.Extensions[
                    module.system_type_extension
                ].type_name

    for md in module.DESCRIPTOR.message_types_by_name.values():
        walk_runtime(md)
    for ed in module.DESCRIPTOR.enum_types_by_name.values():
        walk_runtime_enum(ed)

    fdp.ClearField("name")
    return {
        "package": fdp.package,
        "syntax": fdp.syntax or "proto2",
        "dependencies": list(fdp.dependency),
        "file_options": opts(fdp.options),
        "messages": messages,
        "enums": enums,
        "extensions": [
            [x.name, x.number, x.extendee, LABELS[x.label], TYPES[x.type], x.type_name]
            for x in fdp.extension
        ],
        "runtime_defaults": runtime_defaults,
        "system_type_names": type_names,
        "module_names": sorted(
            n
            for n, v in vars(module).items()
            if not n.startswith("_") and not isinstance(v, types.ModuleType)
        ),
        "file_descriptor_without_name": text_format.MessageToString(fdp),
    }


CASES = {
    "lineage_graph": ("LineageGraph", """
        artifact_types { id: 1 name: "DataSet" version: "v1" description: "d" external_id: "e"
          properties { key: "split" value: STRING } properties { key: "n" value: INT }
          base_type: DATASET }
        execution_types { id: 2 name: "Trainer" properties { key: "lr" value: DOUBLE }
          input_type { dict { properties { key: "examples" value { simple { name: "DataSet" } } }
            properties { key: "opt" value { union_type { candidates { none {} }
              candidates { list { element { any {} } } } } } }
            none_type_not_required: true
            extra_properties_type { tuple { elements { intersection {
              constraints { simple { id: 1 } } } } } } } }
          output_type { simple { name: "Model" base_type: MODEL } }
          base_type: TRAIN }
        context_types { id: 3 name: "Experiment" properties { key: "note" value: STRUCT }
          base_type: UNSET }
        artifacts { id: 10 name: "train" type_id: 1 type: "DataSet" uri: "/data/train.csv"
          external_id: "ext-10" state: LIVE create_time_since_epoch: 1700000000000
          last_update_time_since_epoch: 1700000000001
          properties { key: "split" value { string_value: "tr\u00e4in \\"quoted\\"" } }
          properties { key: "n" value { int_value: -9223372036854775808 } }
          custom_properties { key: "ratio" value { double_value: -2.25 } }
          custom_properties { key: "ok" value { bool_value: true } }
          custom_properties { key: "s" value { struct_value { fields { key: "k" value {
            list_value { values { number_value: 0.5 } values { string_value: "a" }
              values { null_value: NULL_VALUE } values { bool_value: false } } } } } } }
          custom_properties { key: "p" value { proto_value {
            [type.googleapis.com/ml_metadata.Artifact] { uri: "nested" state: DELETED } } } }
          system_metadata { [type.googleapis.com/ml_metadata.ArtifactType] { name: "meta" } } }
        artifacts { id: 11 state: REFERENCE }
        executions { id: 20 name: "run" type_id: 2 type: "Trainer" external_id: "x"
          last_known_state: CANCELED properties { key: "lr" value { double_value: 0.125 } }
          create_time_since_epoch: 5 last_update_time_since_epoch: 6 }
        contexts { id: 30 name: "exp" type_id: 3 type: "Experiment" external_id: "c"
          custom_properties { key: "k" value { int_value: 7 } } create_time_since_epoch: 8 }
        contexts { id: 31 name: "child" type_id: 3 }
        events { artifact_id: 10 execution_id: 20 type: INPUT milliseconds_since_epoch: 9
          path { steps { key: "examples" } steps { index: 0 } } }
        events { artifact_id: 11 execution_id: 20 type: PENDING_OUTPUT }
        attributions { artifact_id: 10 context_id: 30 }
        associations { execution_id: 20 context_id: 30 }
        parent_contexts { child_id: 31 parent_id: 30 }
    """),
    "connection_mysql": ("ConnectionConfig", """
        mysql { host: "db" port: 3306 database: "mlmd" user: "u" password: "p" socket: "/s"
          ssl_options { key: "k" cert: "c" ca: "ca" capath: "/ca" cipher: "x"
            verify_server_cert: true }
          skip_db_creation: true }
        retry_options { max_num_retries: 3 }
    """),
    "connection_sqlite": ("ConnectionConfig", """
        sqlite { filename_uri: "file:/tmp/m.db" connection_mode: READWRITE_OPENCREATE }
    """),
    "connection_postgresql": ("ConnectionConfig", """
        postgresql { host: "h" hostaddr: "127.0.0.1" port: "5432" user: "u" password: "p"
          passfile: "/pf" dbname: "d" skip_db_creation: false
          ssloption { sslmode: "require" sslcert: "c" sslkey: "k" sslpassword: "pw"
            sslrootcert: "r" } }
    """),
    "connection_fake": ("ConnectionConfig", "fake_database {}"),
    "client_config": ("MetadataStoreClientConfig", """
        host: "localhost" port: 8080
        ssl_config { client_key: "k" server_cert: "s" custom_ca: "ca" }
        channel_arguments { max_receive_message_length: 1048576 http2_max_ping_strikes: 2 }
        client_timeout_sec: 1.5
    """),
    "server_config": ("MetadataStoreServerConfig", """
        connection_config { sqlite { filename_uri: "m.db" } }
        migration_options { enable_upgrade_migration: true downgrade_to_schema_version: 9 }
        ssl_config { server_key: "k" server_cert: "c" custom_ca: "a" client_verify: true }
    """),
    "list_options": ("ListOperationOptions", """
        max_result_size: 5 order_by_field { field: CREATE_TIME is_asc: false }
        next_page_token: "tok" filter_query: "uri = 'a'"
    """),
    "next_page_token": ("ListOperationNextPageToken", """
        id_offset: 4 field_offset: 1700000000000 set_options { max_result_size: 2 }
        listed_ids: 1 listed_ids: 2 listed_ids: 3
    """),
    "transaction_options": ("TransactionOptions", 'tag: "t"'),
    "lineage_graph_query": ("LineageGraphQueryOptions", """
        artifacts_options { filter_query: "type = 'DataSet'" }
        stop_conditions { max_num_hops: 2 boundary_artifacts: "a" boundary_executions: "e" }
        max_node_size: 50
    """),
    "lineage_subgraph_query": ("LineageSubgraphQueryOptions", """
        starting_executions { filter_query: "id = 1" } max_num_hops: 3 direction: UPSTREAM
        ending_artifacts { filter_query: "uri = 'x'" include_ending_nodes: true }
        ending_executions { filter_query: "" }
    """),
    "value_proto": ("Value", """
        proto_value { [type.googleapis.com/ml_metadata.Event] { type: DECLARED_OUTPUT } }
    """),
}


def message(name):
    return getattr(module, name)()


def to_text(msg):
    return text_format.MessageToString(msg, as_utf8=True, print_unknown_fields=True)


if mode == "describe":
    result = describe()
elif mode == "encode":
    result = {}
    for case, (name, source) in CASES.items():
        msg = text_format.Parse(source, message(name))
        result[case] = {
            "hex": msg.SerializeToString(deterministic=True).hex(),
            "text": to_text(msg),
        }
elif mode == "decode":
    result = {}
    for case, hex_bytes in json.load(sys.stdin).items():
        name, source = CASES[case]
        decoded = message(name)
        decoded.ParseFromString(bytes.fromhex(hex_bytes))
        expected = text_format.Parse(source, message(name))
        result[case] = {"text": to_text(decoded), "equal_to_source": decoded == expected}
else:
    raise SystemExit("unknown mode " + mode)
json.dump(result, sys.stdout, sort_keys=True)
'''


def _run(python: str, module: str, mode: str, script: Path, stdin: str | None = None) -> dict:
    env = dict(os.environ)
    if module == OUR_MODULE:
        # Ours must import and run warning-free; the peer's old runtime is not our concern.
        flags = ["strict"]
        src = str(REPO_ROOT / "src")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    else:
        flags = []
        env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [python, str(script), module, mode, *flags],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{module} {mode} failed:\n{done.stderr}"
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("proto") / "dump_descriptors.py"
    path.write_text(_SCRIPT)
    return path


@pytest.fixture(scope="module")
def peer_python() -> str:
    return mlmd_python()


@pytest.fixture(scope="module")
def descriptions(peer_python: str, script: Path) -> tuple[dict, dict]:
    peer = _run(peer_python, PEER_MODULE, "describe", script)
    ours = _run(sys.executable, OUR_MODULE, "describe", script)
    return peer, ours


def _diff(peer: object, ours: object) -> str:
    a = json.dumps(peer, indent=1, sort_keys=True).splitlines()
    b = json.dumps(ours, indent=1, sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(a, b, "ml_metadata", "datajourney", lineterm=""))


@pytest.mark.parametrize(
    "part",
    [
        "package",
        "syntax",
        "dependencies",
        "file_options",
        "enums",
        "messages",
        "extensions",
        "runtime_defaults",
        "system_type_names",
        "module_names",
    ],
)
def test_descriptor_part_matches_peer(descriptions: tuple[dict, dict], part: str) -> None:
    peer, ours = descriptions
    assert peer[part] == ours[part], _diff(peer[part], ours[part])


def test_whole_file_descriptor_matches_peer_except_file_name(
    descriptions: tuple[dict, dict],
) -> None:
    peer, ours = descriptions
    a = peer["file_descriptor_without_name"]
    b = ours["file_descriptor_without_name"]
    assert a == b, "\n".join(
        difflib.unified_diff(a.splitlines(), b.splitlines(), "ml_metadata", "datajourney")
    )


def test_description_is_not_vacuous(descriptions: tuple[dict, dict]) -> None:
    _, ours = descriptions
    assert len(ours["messages"]) > 40
    assert ours["system_type_names"]["ml_metadata.ArtifactType.SystemDefinedBaseType.DATASET"] == (
        "mlmd.Dataset"
    )
    assert ours["system_type_names"]["ml_metadata.ExecutionType.SystemDefinedBaseType.DEPLOY"] == (
        "mlmd.Deploy"
    )
    assert {"Artifact", "system_type_extension", "PropertyType"} <= set(ours["module_names"])


@pytest.mark.parametrize(
    ("writer", "reader"),
    [("peer", "ours"), ("ours", "peer")],
)
def test_wire_round_trip(peer_python: str, script: Path, writer: str, reader: str) -> None:
    sides = {"peer": (peer_python, PEER_MODULE), "ours": (sys.executable, OUR_MODULE)}
    encoded = _run(*sides[writer], "encode", script)
    stdin = json.dumps({case: e["hex"] for case, e in encoded.items()})
    decoded = _run(*sides[reader], "decode", script, stdin=stdin)
    assert set(decoded) == set(encoded)
    for case, d in decoded.items():
        assert d["equal_to_source"], f"{case}: {reader} read {writer}'s bytes differently"
        assert d["text"] == encoded[case]["text"], "\n".join(
            difflib.unified_diff(
                encoded[case]["text"].splitlines(), d["text"].splitlines(), writer, reader
            )
        )


def test_both_sides_write_identical_bytes(peer_python: str, script: Path) -> None:
    peer = _run(peer_python, PEER_MODULE, "encode", script)
    ours = _run(sys.executable, OUR_MODULE, "encode", script)
    assert {c: e["hex"] for c, e in peer.items()} == {c: e["hex"] for c, e in ours.items()}
