"""``datajourney demo``: the covertype assignment end to end, twice (the second from cache)."""

from __future__ import annotations

from pathlib import Path

import typer
from google.protobuf import json_format
from rich.progress import Progress

from .output import console, emit, errors, settings, table


def demo(
    ctx: typer.Context,
    workdir: Path = typer.Option(None, "--workdir", help="Default ./.datajourney/demo."),
    rows: int = typer.Option(4000, "--rows", min=1, help="Training rows to generate."),
) -> None:
    """Generate data, run ExampleGen -> ... -> ExampleValidator twice, print the anomalies."""
    from datajourney.pipeline.demo import run_demo
    from datajourney.views import anomalies_text

    store = settings(ctx).open_store()  # a store it may not write is refused before it starts

    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("demo", total=12)

        def step(result) -> None:
            progress.update(task, description=f"{result.component_id}: {result.state}")
            progress.advance(task)

        result = run_demo(workdir, store, rows=rows, progress=step)

    def human() -> None:
        for number, (results, seconds) in enumerate(zip(result.passes, result.seconds), 1):
            cached = sum(r.state == "CACHED" for r in results)
            table(
                ["component", "state", "execution", "seconds"],
                [(r.component_id, r.state, r.execution_id, f"{r.seconds:.2f}") for r in results],
                title=f"run {number}: {seconds:.1f} s, {cached}/{len(results)} from cache",
            )
        for name, anomalies in {**result.anomalies, **result.skew_drift}.items():
            console.print(f"\n[bold]Anomalies: {name}[/bold]")
            console.print(anomalies_text(anomalies), markup=False)
        console.print(f"\n[bold]Lineage of ExampleAnomalies #{result.anomalies_artifact.id}[/bold]")
        console.print(result.lineage, markup=False, soft_wrap=True)
        if result.features is not None:
            step = result.features
            console.print(
                f"\n[bold]Feature store: training set {step.training_set.uri} "
                f"({step.rows} rows; {', '.join(step.columns)})[/bold]"
            )
            console.print(step.lineage, markup=False, soft_wrap=True)
            console.print(f"online: {step.online}", markup=False)
        console.print(f"\nreport: {result.report}\nstore: {result.store_url}", markup=False)

    emit(
        ctx,
        {
            "runs": [
                [
                    {"component": r.component_id, "state": r.state, "execution": r.execution_id}
                    for r in results
                ]
                for results in result.passes
            ],
            "anomalies": {
                name: sorted(a.anomaly_info)
                for name, a in {**result.anomalies, **result.skew_drift}.items()
            },
            "anomalies_artifact": result.anomalies_artifact.id,
            "training_set": result.features.training_set.id if result.features else None,
            "report": str(result.report),
            "details": {name: json_format.MessageToDict(a) for name, a in result.anomalies.items()},
        },
        human,
    )


def register(app: typer.Typer) -> None:
    """Add this command to ``app``."""
    app.command("demo")(demo)
