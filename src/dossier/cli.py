"""The `dossier` command."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from dossier.config import Settings

app = typer.Typer(help="Dossier: self-hostable research signals (Saber-compatible API).", no_args_is_help=True)
keys_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
webhooks_app = typer.Typer(help="Webhook signing secret and delivery log.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
people_app = typer.Typer(help="The people index (contact search).", no_args_is_help=True)
app.add_typer(people_app, name="people")
console = Console()
T = TypeVar("T")


def _run_with_db(settings: Settings, fn: Callable[[Any], Awaitable[T]]) -> T:
    from dossier.kit.db import Database

    async def runner() -> T:
        db = Database(settings.effective_database_url, prepared_statements=settings.db_prepared_statements)
        try:
            return await fn(db)
        finally:
            await db.aclose()
            db.dispose()

    return asyncio.run(runner())


def _migrate(settings: Settings) -> None:
    from dossier.kit.migrate import upgrade

    upgrade(settings.effective_database_url)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (SQLite file or PostgreSQL)."""
    settings = Settings()
    _migrate(settings)
    console.print("database is at the latest schema version")


def _lock_data_dir(settings: Settings) -> Any:
    """Refuse a second embedded server on the same SQLite database."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    handle = (settings.data_dir / "serve.lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        console.print(f"[red]another `dossier serve` is already using {settings.data_dir}[/red]")
        raise typer.Exit(1) from None
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, with Dossier's own loggers (`dossier.*`: the search warm-up, job failures) written by the
    same handler at the server's level; left alone they reach only Python's last-resort handler, warnings only."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["dossier"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[bool, typer.Option("--workers/--no-workers", help="Run job workers in this process")] = True,
    processes: Annotated[
        int, typer.Option(min=1, help="API processes sharing the port (uvicorn's worker processes)")
    ] = 1,
) -> None:
    """Run the API server (migrates the database and prints a first API key on an empty one).

    With `--processes N` uvicorn starts N processes that accept on the same socket, each with the whole app
    (and, unless --no-workers, its own job workers: jobs are claimed under leases in the database, so any
    number of processes share them)."""
    import uvicorn

    from dossier.accounts.service import bootstrap
    from dossier.app import create_app
    from dossier.kit.httpserver import EnvelopeH11Protocol, head_limit

    settings = Settings()
    lock = _lock_data_dir(settings) if settings.is_sqlite else None
    _migrate(settings)
    created = _run_with_db(settings, lambda db: bootstrap(db, settings))
    if created is not None:
        console.print(
            f"Created organisation [bold]{created.organization}[/bold]. Its API key (shown once, keep it):\n"
            f"[bold green]{created.key}[/bold green]"
        )
    server: dict[str, Any] = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": settings.log_level,
        "log_config": _log_config(settings.log_level),
        "access_log": False,
        # uvicorn's h11 protocol, answering requests it cannot parse in the error envelope (kit/httpserver.py).
        # Named by import string, which every worker process resolves for itself.
        "http": f"{EnvelopeH11Protocol.__module__}:{EnvelopeH11Protocol.__qualname__}",
        "h11_max_incomplete_event_size": head_limit(settings.max_url_bytes),
    }
    if processes == 1:
        uvicorn.run(create_app(settings, workers=workers), **server)
    else:
        # Each process builds its app from the environment, as this one did.
        os.environ["DOSSIER_WORKERS"] = "true" if workers else "false"
        uvicorn.run("dossier.app:create_app", factory=True, workers=processes, **server)
    del lock


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(help="Jobs run at once by this worker")] = None,
) -> None:
    """Run a distributed job worker (PostgreSQL + procrastinate); start as many as you like."""
    from dossier.jobs.distributed import DistributedJobs
    from dossier.kit.db import Database
    from dossier.wiring import build_runtime

    settings = Settings()
    if settings.is_sqlite:
        console.print(
            "[red]`dossier worker` needs PostgreSQL (DOSSIER_DATABASE_URL); with SQLite, "
            "`dossier serve` runs the workers itself[/red]"
        )
        raise typer.Exit(2)
    settings = settings.model_copy(update={"job_backend": "procrastinate"})
    _migrate(settings)

    async def run() -> None:
        db = Database(settings.effective_database_url, prepared_statements=settings.db_prepared_statements)
        runtime = build_runtime(settings, db)
        assert isinstance(runtime.jobs, DistributedJobs)
        try:
            await runtime.jobs.run_worker(concurrency=concurrency)
        finally:
            await runtime.stop()
            db.dispose()

    asyncio.run(run())


@keys_app.command("create")
def keys_create(
    org: Annotated[str, typer.Option("--org", help="Organisation name (created if new)")],
    name: Annotated[str | None, typer.Option(help="A label for the key")] = None,
) -> None:
    """Create an API key; prints it once."""
    from dossier.accounts.service import create_key

    settings = Settings()
    _migrate(settings)
    created = _run_with_db(settings, lambda db: create_key(db, settings, org, name))
    if created.organization_created:
        console.print(f"created organisation {org}")
    typer.echo(created.key)


@keys_app.command("list")
def keys_list() -> None:
    """List API keys (prefix and last four characters only)."""
    from dossier.accounts.service import list_keys

    settings = Settings()
    keys = _run_with_db(settings, list_keys)
    table = Table("organisation", "key", "name", "created", "revoked")
    for k in keys:
        table.add_row(
            k.organization,
            f"{k.prefix}…{k.last_four}",
            k.name or "",
            k.created_at.isoformat(timespec="seconds"),
            k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
        )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's display prefix, e.g. sk_live_AbCdEfGh")],
) -> None:
    """Revoke an API key by its prefix."""
    from dossier.accounts.service import AccountError, revoke_key

    settings = Settings()
    try:
        revoked = _run_with_db(settings, lambda db: revoke_key(db, prefix))
    except AccountError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"revoked {revoked.prefix}…{revoked.last_four} ({revoked.organization})")


@app.command()
def ask(
    domain: Annotated[str, typer.Argument(help="Company domain, e.g. acme.com")],
    question: Annotated[str, typer.Argument(help="The question, e.g. 'Which CRM do they use?'")],
    type_: Annotated[
        str,
        typer.Option(
            "--type", help="Answer type: open_text, number, boolean, list, percentage, currency, url, json_schema"
        ),
    ] = "open_text",
    mode: Annotated[str, typer.Option(help="strict (null without verified evidence) or lenient")] = "strict",
    schema: Annotated[str | None, typer.Option(help="JSON Schema (for --type json_schema), inline or @file")] = None,
    refresh: Annotated[bool, typer.Option(help="Crawl again even if a fresh crawl exists")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Research a company's public web presence and answer one typed question."""
    import json

    from dossier.kit.validation import is_domain
    from dossier.research.engine import SUPPORTED_TYPES, ResearchEngine

    if not is_domain(domain):
        console.print("[red]the domain must be a bare hostname such as acme.com[/red]")
        raise typer.Exit(2)
    if type_ not in SUPPORTED_TYPES:
        console.print(f"[red]--type must be one of {', '.join(sorted(SUPPORTED_TYPES))}[/red]")
        raise typer.Exit(2)
    if mode not in ("strict", "lenient"):
        console.print("[red]--mode must be strict or lenient[/red]")
        raise typer.Exit(2)
    output_schema = None
    if type_ == "json_schema":
        if not schema:
            console.print("[red]--type json_schema needs --schema[/red]")
            raise typer.Exit(2)
        text = Path(schema[1:]).read_text() if schema.startswith("@") else schema
        output_schema = json.loads(text)
    settings = Settings()
    _migrate(settings)

    async def run(db: Any) -> Any:
        engine = ResearchEngine(db, settings)
        try:
            return await engine.ask(
                domain.lower(), question, type_, mode=mode, output_schema=output_schema, force_refresh=refresh
            )
        finally:
            await engine.aclose()

    result = _run_with_db(settings, run)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
        return
    console.print(f"[bold]answer[/bold]      {json.dumps(result.answer)}")
    console.print(f"[bold]confidence[/bold]  {result.confidence}")
    console.print(f"[bold]reasoning[/bold]   {result.reasoning}")
    for source in result.sources:
        console.print(f"[bold]source[/bold]      {source['url']} — {source['snippet'][:120]}")


def _organization_id(settings: Settings, org: str | None) -> str:
    from dossier.accounts import repository

    def pick(conn: Any) -> str:
        if org is not None:
            found = repository.organization_id_by_name(conn, org)
            if found is None:
                raise LookupError(f"no organisation named {org!r}")
            return found
        names = repository.organization_names(conn)
        if len(names) != 1:
            raise LookupError("several organisations exist: choose one with --org")
        return names[0][0]

    try:
        return _run_with_db(settings, lambda db: db.read(pick))
    except LookupError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None


@webhooks_app.command("secret")
def webhooks_secret(org: Annotated[str | None, typer.Option(help="Organisation name")] = None) -> None:
    """Print the organisation's webhook signing secret (whsec_...), for verifying deliveries."""
    from dossier.accounts.service import webhook_secret

    settings = Settings()
    _migrate(settings)
    org_id = _organization_id(settings, org)
    typer.echo(_run_with_db(settings, lambda db: webhook_secret(db, org_id)))


@webhooks_app.command("deliveries")
def webhooks_deliveries(
    org: Annotated[str | None, typer.Option(help="Organisation name")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Recent webhook delivery attempts, newest first."""
    from dossier.webhooks.service import recent

    settings = Settings()
    _migrate(settings)
    org_id = _organization_id(settings, org)
    rows = _run_with_db(settings, lambda db: recent(db, org_id, limit))
    table = Table("time", "event", "object", "url", "attempt", "status", "ms", "result")
    for r in rows:
        table.add_row(
            r["created_at"].isoformat(timespec="seconds"),
            r["event_type"],
            r["object_id"],
            r["url"],
            str(r["attempt"]),
            str(r["status_code"] or "-"),
            str(r["duration_ms"]),
            "ok" if r["success"] else (r["error"] or "failed"),
        )
    console.print(table)


@app.command()
def batch(
    domains: Annotated[Path, typer.Argument(help="CSV with a 'domain' column (or one domain per line)")],
    questions: Annotated[Path, typer.Argument(help="CSV with 'question' and optional 'answerType' columns")],
    url: Annotated[str, typer.Option(envvar="DOSSIER_URL", help="Server base URL")] = "http://127.0.0.1:8000",
    key: Annotated[str, typer.Option(envvar="DOSSIER_API_KEY", help="API key (sk_live_...)")] = "",
    out: Annotated[Path | None, typer.Option(help="Write results to this CSV")] = None,
    wait: Annotated[bool, typer.Option(help="Wait for every signal and show progress")] = True,
) -> None:
    """Ask every question about every domain through the API (Saber's batch endpoint), with a progress bar."""
    from dossier.batch_client import run_batch

    if not key:
        console.print("[red]give an API key with --key or DOSSIER_API_KEY[/red]")
        raise typer.Exit(2)
    try:
        summary = run_batch(url, key, domains, questions, out=out, wait=wait, console=console)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(summary)


@people_app.command("import")
def people_import(
    file: Annotated[
        Path, typer.Argument(help="CSV with CRM export columns (First Name, Last Name, Title, Company, ...)")
    ],
    url: Annotated[str, typer.Option(envvar="DOSSIER_URL", help="Server base URL")] = "http://127.0.0.1:8000",
    key: Annotated[str, typer.Option(envvar="DOSSIER_API_KEY", help="API key (sk_live_...)")] = "",
    chunk: Annotated[int, typer.Option(min=1, max=50_000, help="Rows per request")] = 2_000,
) -> None:
    """Import people through POST /v1/contacts/import, with a progress bar; bad rows are listed by file line."""
    from dossier.contacts.import_client import run_import

    if not key:
        console.print("[red]give an API key with --key or DOSSIER_API_KEY[/red]")
        raise typer.Exit(2)
    try:
        report = run_import(url, key, file, chunk=chunk, console=console)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    for error in report["errors"][:200]:
        console.print(f"line {error['line']}: {error['field'] or 'row'}: {error['message']}")
    console.print(
        f"{report['imported']} of {report['received']} rows imported ({report['created']} new, "
        f"{report['updated']} updated), {report['rejected']} rejected"
    )
    if report["rejected"]:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
