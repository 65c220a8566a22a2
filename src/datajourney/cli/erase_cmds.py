"""``datajourney erase SUBJECT_KEY``: find a data subject's rows everywhere they went and
remove them (:mod:`datajourney.erasure`); ``--dry-run`` only prints the plan, writing
nothing (the store is opened read-only)."""

from __future__ import annotations

import typer

from .output import console, emit, settings


def erase(
    ctx: typer.Context,
    subject_key: str = typer.Argument(None, help="The subject's key (a user id, an email)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan; change nothing."),
    reason: str = typer.Option("", "--reason", help="Why (kept in the receipt and audit log)."),
    key_column: list[str] = typer.Option(
        [],
        "--key-column",
        help="Set the column(s) holding subject keys in every data set (repeatable; stored).",
    ),
    resume: int = typer.Option(None, "--resume", help="Finish an interrupted erasure by id."),
    list_: bool = typer.Option(False, "--list", help="List the erasures and their status."),
) -> None:
    """Erase a data subject: rows removed from the lake, the warehouse and its history,
    snapshots, training sets and online stores; models and training sets made from them
    marked needs_retraining; a receipt recorded. Prints the plan, then the receipt."""
    from datajourney import erasure

    writes = bool(key_column) or not (list_ or dry_run)  # a dry run writes nothing
    with settings(ctx).open_store(writes=writes) as store:
        if key_column:
            erasure.configure(store, key_columns=list(key_column))
        if list_:
            found = erasure.erasures(store)
            emit(ctx, found, lambda: _print_list(found))
            return
        if resume is not None:
            plan = erasure.resume_erasure(store, resume)
        elif subject_key is None:
            raise ValueError("give SUBJECT_KEY, --resume ID or --list")
        else:
            plan = erasure.erase_subject(store, subject_key, dry_run=dry_run, reason=reason)
        data = plan.to_json()

    def human() -> None:
        console.print(str(plan), markup=False)
        if dry_run:
            console.print("dry run: nothing changed (run without --dry-run to erase)")

    emit(ctx, data, human)


def _print_list(found: list[dict]) -> None:
    if not found:
        console.print("No erasure yet.")
    for item in found:
        receipt = f", receipt #{item['receipt_id']}" if item["receipt_id"] else ""
        console.print(
            f"erasure {item['id']}: {item['status']}{receipt} "
            f"(subject {item['subject_hash'][:16]}..., by {item['requested_by']}: "
            f"{item['reason'] or 'no reason given'})",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    """Add this command to ``app``."""
    app.command("erase")(erase)
