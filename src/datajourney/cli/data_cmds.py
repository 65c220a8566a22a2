"""Data commands: ``stats``, ``schema infer|show|diff``, ``validate``."""

from __future__ import annotations

from pathlib import Path

import typer
from google.protobuf import json_format
from rich.progress import Progress

from .output import console, emit, errors

schema_app = typer.Typer(help="Infer, show and compare schemas.", no_args_is_help=True)


def _statistics(files: list[Path], client=None):
    """Statistics of each file (on ``client``'s Dask workers if given), with a progress bar."""
    from datajourney.stats import generate_statistics

    results = {}
    with Progress(console=errors, transient=True, disable=not errors.is_terminal) as progress:
        task = progress.add_task("statistics", total=len(files))
        for file in files:
            progress.update(task, description=f"statistics of {file.name}")
            results[file] = generate_statistics(str(file), client=client)
            progress.advance(task)
    for file, statistics in results.items():
        _refuse_empty(file, statistics)
    return results


def _refuse_empty(file: Path, statistics) -> None:
    """A data file without a data row is an input error naming the file (exit code 2), for
    ``stats``, ``schema infer`` and ``validate`` alike."""
    from datajourney.io.errors import DataReadError
    from datajourney.stats import data_problems

    datasets = statistics.datasets
    if datasets and datasets[0].num_examples > 0:
        return
    problems = data_problems(datasets[0]) if datasets else []
    dropped = sum(p.count for p in problems if p.kind == "wrong_field_count")
    if file.is_file() and file.stat().st_size == 0:
        why = "the file is empty"
    elif dropped:
        why = f"{dropped} malformed row(s) dropped"
    else:
        why = "only a header, or no well-formed row"
    raise DataReadError(f"no data rows ({why})", path=file)


def _local_cluster_statistics(files: list[Path], workers: int):
    """Statistics on a Dask LocalCluster of ``workers`` processes (one thread each)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ValueError("--workers needs Dask: pip install datajourney[dask]") from None
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        return _statistics(files, client)


def _with_problems(statistics) -> dict:
    """The statistics as JSON, with the data problems (e.g. malformed rows dropped) listed."""
    from dataclasses import asdict

    from datajourney.stats import data_problems

    problems = data_problems(statistics.datasets[0]) if statistics.datasets else []
    return {**json_format.MessageToDict(statistics), "problems": [asdict(p) for p in problems]}


def stats(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="CSV, Parquet, JSON lines or TFRecord files."),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the statistics of one file: .html the report (of two files: compared), "
        ".pbtxt or .txt a text proto, any other name the binary proto (TFDV's stats.tfrecord "
        "content).",
    ),
    workers: int = typer.Option(
        None,
        "--workers",
        min=1,
        help="Compute on a local Dask cluster of N worker processes (Parquet row groups in "
        "parallel; needs the dask extra).",
    ),
) -> None:
    """Statistics of data files; --output writes them (HTML report, text or binary proto)."""
    from datajourney.views import statistics_text

    if output is not None and len(files) != 1 and not (_is_html(output) and len(files) == 2):
        raise typer.BadParameter(
            "takes the statistics of exactly one file (an .html report: one or two)",
            param_hint="--output",
        )
    computed = _statistics(files) if workers is None else _local_cluster_statistics(files, workers)
    if output is not None:
        unique = len({f.name for f in files}) == len(files)
        _write_statistics([(f.name if unique else str(f), computed[f]) for f in files], output)
    emit(
        ctx,
        {str(f): _with_problems(s) for f, s in computed.items()},
        lambda: [
            console.print(statistics_text(s, lhs_name=f.name), markup=False)
            for f, s in computed.items()
        ],
    )


def _is_html(output: Path) -> bool:
    return output.suffix.lower() in (".html", ".htm")


def _write_statistics(named: list[tuple[str, object]], output: Path) -> None:
    """Write statistics where ``output``'s extension says: an HTML report (two data sets
    compared on shared axes), a text proto (.pbtxt, .txt), else the binary proto."""
    from datajourney.stats import write_stats_binary, write_stats_text

    if _is_html(output):
        from html import escape

        from datajourney.views import statistics_html

        (lhs_name, lhs), *rest = named
        rhs_name, rhs = rest[0] if rest else ("", None)
        title = escape(" vs ".join(name for name, _ in named))
        output.write_text(
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>Statistics of {title}</title></head><body><h1>Statistics of {title}</h1>"
            f"{statistics_html(lhs, rhs, lhs_name, rhs_name)}</body></html>",
            encoding="utf-8",
        )
    elif output.suffix.lower() in (".pbtxt", ".txt"):
        write_stats_text(named[0][1], output)
    else:
        write_stats_binary(named[0][1], output)


def schema_infer(
    ctx: typer.Context,
    data: Path = typer.Argument(..., help="A data file."),
    output: Path = typer.Option(None, "--output", "-o", help="Write schema.pbtxt here."),
) -> None:
    """Infer a schema from a data file."""
    from google.protobuf import text_format

    from datajourney.schema import infer_schema, write_schema_text

    schema = infer_schema(_statistics([data])[data])
    if output is not None:
        write_schema_text(schema, output)
    emit(
        ctx,
        json_format.MessageToDict(schema),
        lambda: console.print(text_format.MessageToString(schema), markup=False),
    )


def schema_show(ctx: typer.Context, schema_file: Path = typer.Argument(...)) -> None:
    """Show a schema's features and domains."""
    from datajourney.schema import load_schema_text
    from datajourney.views import schema_text

    schema = load_schema_text(schema_file)
    emit(
        ctx,
        json_format.MessageToDict(schema),
        lambda: console.print(schema_text(schema), markup=False),
    )


def schema_diff(
    ctx: typer.Context, old: Path = typer.Argument(...), new: Path = typer.Argument(...)
) -> None:
    """What changed between two schemas; exit code 1 when they differ."""
    from datajourney.schema import load_schema_text
    from datajourney.schema import schema_diff as diff_of

    diff = diff_of(load_schema_text(old), load_schema_text(new))
    emit(ctx, diff, lambda: console.print(str(diff), markup=False))
    raise typer.Exit(1 if diff else 0)


def validate(
    ctx: typer.Context,
    data: Path = typer.Argument(..., help="A data file."),
    schema_file: Path = typer.Option(..., "--schema", help="The schema (schema.pbtxt)."),
    environment: str = typer.Option(None, "--environment", help="e.g. TRAINING or SERVING."),
) -> None:
    """Check a data file against a schema; exit code 1 when anomalies are found."""
    from datajourney.schema import load_schema_text
    from datajourney.validation import validate_statistics
    from datajourney.views import anomalies_text

    schema = load_schema_text(schema_file)
    anomalies = validate_statistics(_statistics([data])[data], schema, environment)
    found = bool(
        anomalies.anomaly_info or anomalies.dataset_anomaly_info.reason or anomalies.data_missing
    )
    record = json_format.MessageToDict(anomalies)
    record.pop("baseline", None)
    emit(
        ctx,
        record,
        lambda: console.print(anomalies_text(anomalies) if found else "no anomalies", markup=False),
    )
    raise typer.Exit(1 if found else 0)


def register(app: typer.Typer) -> None:
    """Add these commands to ``app``."""
    app.command("stats")(stats)
    app.command("validate")(validate)
    schema_app.command("infer")(schema_infer)
    schema_app.command("show")(schema_show)
    schema_app.command("diff")(schema_diff)
    app.add_typer(schema_app, name="schema")
