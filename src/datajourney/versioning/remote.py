"""Remotes: object stores anywhere fsspec reaches (a folder, ``memory://``, s3://, gs://, ...).

A remote has the local layout (``<root>/ab/cdef...``). Transfers move only the objects the other
side lacks, several at a time, and land each one atomically: an upload goes to
``<root>/tmp/<random>`` and is then moved to its digest; a download is checked against its digest
before it enters the local store. An interrupted transfer leaves only whole objects behind, so
running it again finishes the work. Data objects travel before the snapshots that name them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from .checkout import Link, restore
from .errors import (
    CorruptObjectError,
    NotASnapshotError,
    ObjectNotFoundError,
    RemoteUnavailableError,
    TransferError,
    VersioningError,
)
from .fileio import no_space, remove_quietly
from .hashing import check_digest, hash_bytes
from .manifest import Manifest
from .objects import Batch
from .repository import Repository, RepositoryLike, using

JOBS = 8


@dataclass(frozen=True)
class TransferResult:
    """Objects moved, and objects the other side already had."""

    transferred: int
    skipped: int


class Remote:
    """An object store at an fsspec URL (``storage_options`` go to the file system)."""

    def __init__(self, url: str, **storage_options):
        self.url = url
        self.fs, self.root = _file_system(url, storage_options)
        self.root = self.root.rstrip("/")

    def __repr__(self) -> str:
        return f"Remote({self.url!r})"

    def path_of(self, digest: str) -> str:
        """The object's path on the remote file system."""
        check_digest(digest)
        return f"{self.root}/{digest[:2]}/{digest[2:]}"

    def digests(self) -> set[str]:
        """Every complete object on the remote (temporary uploads excluded)."""
        found = set()
        for path in self.fs.find(self.root):
            parts = path.rsplit("/", 2)
            if len(parts) == 3 and len(parts[1]) == 2 and _is_digest(parts[1] + parts[2]):
                found.add(parts[1] + parts[2])
        return found

    def read_bytes(self, digest: str) -> bytes:
        """A (small) remote object's content, verified."""
        try:
            data = self.fs.cat_file(self.path_of(digest))
        except FileNotFoundError:
            raise ObjectNotFoundError(f"no object {digest} on {self.url}", self.url) from None
        if hash_bytes(data) != digest:
            raise CorruptObjectError(
                f"object {digest} at {self.url} does not match its digest", self.path_of(digest)
            )
        return data

    def upload(self, repo: Repository, digest: str) -> None:
        """Send one local object (verified first), atomically."""
        repo.objects.verify(digest)
        temp = f"{self.root}/tmp/{uuid.uuid4().hex}"
        final = self.path_of(digest)
        self.fs.makedirs(f"{self.root}/tmp", exist_ok=True)
        self.fs.makedirs(final.rsplit("/", 1)[0], exist_ok=True)
        try:
            self.fs.put_file(str(repo.objects.path_of(digest)), temp)
            self.fs.mv(temp, final)
        except BaseException:
            if self.fs.exists(temp):
                self.fs.rm_file(temp)
            raise

    def download(self, batch: Batch, digest: str) -> None:
        """Fetch one remote object into the local store (through ``batch``), verified."""
        temp = batch.store.temp_path()
        try:
            with no_space(temp):
                try:
                    self.fs.get_file(self.path_of(digest), str(temp))
                except FileNotFoundError:
                    raise ObjectNotFoundError(
                        f"no object {digest} on {self.url}", self.url
                    ) from None
            batch.add_verified(temp, digest, source=self.path_of(digest))
        except BaseException:
            remove_quietly(temp)
            raise


def push(
    digests: str | Iterable[str],
    remote: Remote | str,
    *,
    objects: RepositoryLike = None,
    jobs: int = JOBS,
) -> TransferResult:
    """Send snapshots (and every object they hold) the remote lacks."""
    remote = _remote(remote)
    with using(objects) as repo, repo.locked():
        roots = _roots(digests)
        for digest in roots:
            if not repo.objects.has(digest):
                raise ObjectNotFoundError(f"no object {digest} in {repo.objects.root}", digest)
        data = {d for root in roots for d in _held(repo.manifest, root)} - set(roots)
        present = remote.digests()
        moved = 0
        for group in (data, set(roots)):  # snapshots last: never one whose files are missing
            moved += _transfer(lambda d: remote.upload(repo, d), group - present, jobs, remote)
        return TransferResult(moved, len((data | set(roots)) & present))


def fetch(
    digests: str | Iterable[str],
    remote: Remote | str,
    *,
    objects: RepositoryLike = None,
    jobs: int = JOBS,
) -> TransferResult:
    """Bring snapshots (and every object they hold) from the remote into the local store."""
    remote = _remote(remote)
    with using(objects) as repo, repo.locked():
        roots = _roots(digests)
        local = repo.objects
        manifests = {
            r: local.read_bytes(r) if local.has(r) else remote.read_bytes(r) for r in roots
        }
        data = set().union(
            *(_held(lambda r: Manifest.from_bytes(manifests[r], r), r) for r in roots)
        )
        data -= set(roots)
        missing = {d for d in data if not local.has(d)}
        with local.batch() as batch:
            moved = _transfer(lambda d: remote.download(batch, d), missing, jobs, remote)
        with local.batch() as batch:  # snapshots last, once their files are durable
            for root, content in manifests.items():
                if not repo.objects.has(root):
                    batch.add_bytes(root, content)
                    moved += 1
        return TransferResult(moved, len(data) + len(roots) - moved)


def pull(
    digest: str,
    path: str | os.PathLike,
    remote: Remote | str,
    *,
    link: Link = "copy",
    force: bool = False,
    objects: RepositoryLike = None,
    jobs: int = JOBS,
) -> Path:
    """Fetch a snapshot and restore it at ``path`` (``force``: see ``restore``; a refused
    restore keeps the objects fetched, not the files)."""
    with using(objects) as repo:
        fetch(digest, remote, objects=repo, jobs=jobs)
        return restore(digest, path, link=link, force=force, objects=repo)


def _file_system(url: str, storage_options: dict) -> tuple:
    """fsspec's file system and path for ``url``; RemoteUnavailableError, naming what is
    missing, if its protocol is unknown or its package is not installed."""
    import importlib.util

    import fsspec  # loaded on first use: it is slow to import
    from fsspec.registry import known_implementations

    protocols = [fsspec.core.split_protocol(part)[0] or "file" for part in url.split("::")]
    for protocol in protocols:
        if protocol not in fsspec.available_protocols():
            raise RemoteUnavailableError(
                f"remote {url}: unknown protocol {protocol!r} (give a folder or an fsspec URL:"
                " file://, memory://, s3://, gs://, az://, ...)",
                url,
            )
    try:
        return fsspec.core.url_to_fs(url, **storage_options)
    except (ImportError, OSError) as error:
        for protocol in protocols:
            package = known_implementations.get(protocol, {}).get("class", "")
            package = package.partition(".")[0]
            if package and package != "fsspec" and importlib.util.find_spec(package) is None:
                raise RemoteUnavailableError(
                    f"remote {url}: the {protocol} protocol needs the {package} package, which"
                    f" is not installed (pip install {package})",
                    url,
                ) from None
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RemoteUnavailableError(f"remote {url} cannot be used here: {reason}", url) from None


def _remote(remote: Remote | str) -> Remote:
    return remote if isinstance(remote, Remote) else Remote(remote)


def _roots(digests: str | Iterable[str]) -> list[str]:
    return [check_digest(d) for d in ([digests] if isinstance(digests, str) else digests)]


def _held(manifest_of: Callable[[str], Manifest], root: str) -> set[str]:
    try:
        return {entry.digest for entry in manifest_of(root).entries}
    except NotASnapshotError:
        return set()


def _transfer(move: Callable[[str], None], digests: set[str], jobs: int, remote: Remote) -> int:
    """Move objects in parallel; the first failure stops the rest and is raised."""
    if not digests:
        return 0
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        futures = {pool.submit(move, d): d for d in sorted(digests)}
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = next((f for f in done if f.exception() is not None), None)
        if failed is None:
            return len(futures)
        for future in futures:
            future.cancel()
    error = failed.exception()
    if isinstance(error, VersioningError):
        raise error
    digest = futures[failed]
    raise TransferError(
        f"transfer with {remote.url} failed at object {digest}: {error};"
        " the objects already moved are complete, run it again to resume",
        remote.url,
    ) from error


def _is_digest(text: str) -> bool:
    try:
        check_digest(text)
    except VersioningError:
        return False
    return True
