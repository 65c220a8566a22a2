"""TFDV's own messages (custom validations, feature skew results), declared at run time in
protobuf's default pool under TFDV's file and message names, so TFDV's files read and write."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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


def file_of(
    name: str,
    package: str,
    syntax: str,
    messages: Mapping[str, Sequence[tuple]],
    dependency: Sequence[str] = (),
) -> descriptor_pb2.FileDescriptorProto:
    """A file descriptor declaring ``messages``: each a list of fields
    ``(name, number, type, label)``, plus the message's type name for message and enum fields."""
    file = descriptor_pb2.FileDescriptorProto(
        name=name, package=package, syntax=syntax, dependency=list(dependency)
    )
    for message_name, fields in messages.items():
        message = file.message_type.add(name=message_name)
        for field_name, number, field_type, label, *type_name in fields:
            added = message.field.add(name=field_name, number=number, type=field_type, label=label)
            if type_name:
                added.type_name = type_name[0]
    return file
