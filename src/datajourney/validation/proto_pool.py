"""TFDV's own messages (custom validations, feature skew results), declared at run time in
protobuf's default pool under TFDV's file and message names, so TFDV's files read and write."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def registered_messages(
    file_name: str,
    package: str,
    declare: Callable[[], descriptor_pb2.FileDescriptorProto],
    names: Sequence[str],
) -> dict[str, type]:
    """The message classes ``package.NAME`` of ``names``; ``declare()`` builds the file's
    descriptor the first time (once per process: the default pool refuses a second file)."""
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(file_name)
    except KeyError:
        pool.Add(declare())
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{package}.{name}"))
        for name in names
    }
