"""A store with a million artifacts: lineage and filtered listing latency, and memory.

Builds (once, cached under /tmp unless --path) a SQLite store of ``--artifacts`` artifacts with
three properties, written by executions in chains of ``--chain`` steps, then times with the
native API: the whole upstream lineage of a chain's last artifact, a filtered listing by
property (first page of 100), an exact-uri lookup, and a context listing. Writes
``benchmarks/results/store_scale.md``. The goal (issue 3): each under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import datajourney as dj

HERE = Path(__file__).resolve().parent


def build(path: Path, artifacts: int, chain: int) -> None:
    """Chains of put_execution steps (one input, one output) plus bulk artifacts to fill up."""
    store = dj.MetadataStore(f"sqlite:///{path}")
    data = store.put_type(
        dj.ArtifactType(
            name="DataSet",
            properties={
                "split": dj.PropertyType.STRING,
                "rows": dj.PropertyType.INT,
                "score": dj.PropertyType.DOUBLE,
            },
        )
    )
    step = store.put_type(dj.ExecutionType(name="Step"))
    run = store.put_type(dj.ContextType(name="Run"))
    [context_id] = store.put([dj.Context(type_id=run, name="chain")])
    context = store.get_contexts(ids=[context_id])[0]

    def artifact(i: int) -> dj.Artifact:
        split = ("train", "eval", "test")[i % 3]
        props = {"split": split, "rows": i, "score": (i % 1000) / 1000}
        return dj.Artifact(type_id=data, uri=f"/data/{i}", properties=props)

    [first] = store.put([artifact(0)])
    previous = store.get_artifacts(ids=[first])[0]
    for i in range(1, chain + 1):
        out = artifact(i)
        _, ids, _ = store.put_execution(
            dj.Execution(type_id=step),
            [
                (previous, dj.Event(type=dj.EventType.INPUT)),
                (out, dj.Event(type=dj.EventType.OUTPUT)),
            ],
            [context],
        )
        out.id = ids[1]
        previous = out
    batch = 50_000
    for start in range(chain + 1, artifacts, batch):
        store.put([artifact(i) for i in range(start, min(start + batch, artifacts))])
    store.close()


def timed(fn, repeats: int = 5) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", type=int, default=1_000_000)
    parser.add_argument("--chain", type=int, default=2_000)
    parser.add_argument("--path", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "store_scale.md")
    args = parser.parse_args()
    path = args.path or Path(f"/tmp/datajourney-scale-{args.artifacts}-{args.chain}.sqlite")
    if not path.exists():
        print(f"building {path} ({args.artifacts:,} artifacts) ...", file=sys.stderr)
        started = time.perf_counter()
        build(path, args.artifacts, args.chain)
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    store = dj.MetadataStore(f"sqlite:///{path}")
    last = args.chain
    rows = []
    for label, fn in [
        (
            f"lineage upstream of a {args.chain:,}-step chain",
            lambda: store.lineage(last + 1, "upstream"),
        ),
        (
            "filtered listing, first 100 (properties.split = 'eval' AND score > 0.5)",
            lambda: store.artifacts(
                "DataSet", where="properties.split = 'eval' AND properties.score > 0.5", limit=100
            ),
        ),
        ("lookup by uri", lambda: store.get_artifacts(uris=[f"/data/{args.artifacts // 2}"])),
        ("artifacts of the chain's context", lambda: store.artifacts(context=("Run", "chain"))),
    ]:
        seconds, result = timed(fn)
        size = len(result.artifacts) if hasattr(result, "artifacts") else len(result)
        rows.append((label, seconds, size))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"# Store at scale: {args.artifacts:,} artifacts (SQLite, {path.stat().st_size >> 20} MiB)",
        "",
        f"datajourney native API, best of 5; peak RSS {rss:.0f} MiB. Goal: < 100 ms each.",
        "",
        "| query | time | results |",
        "|---|--:|--:|",
        *(f"| {label} | {seconds * 1000:.1f} ms | {size:,} |" for label, seconds, size in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.pop("DATAJOURNEY_STORE", None)
    raise SystemExit(main())
