"""The FastAPI application factory."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from dossier import __version__
from dossier.accounts.dependencies import KeyCache
from dossier.accounts.endpoints import router as accounts_router
from dossier.accounts.routing import KeyFirstRoute
from dossier.config import Settings
from dossier.contacts.endpoints import router as contacts_router
from dossier.kit.bodylimit import BodyLimit
from dossier.kit.db import CurrentDatabase, Database
from dossier.kit.errors import ApiError, install_error_handlers
from dossier.kit.openapi import bound_request_json, parameter_schema
from dossier.kit.querystring import BracketArrays
from dossier.kit.ratelimit import RateLimiter
from dossier.kit.requestid import RequestContextMiddleware
from dossier.kit.responses import JSONBody
from dossier.kit.urllimit import UrlLimit
from dossier.signals.endpoints import router as signals_router
from dossier.templates.endpoints import router as templates_router
from dossier.wiring import build_runtime

# Query parameters the contract marks required but whose absence gets a bespoke 400 message, so they are
# declared optional in code: (operationId, parameter names).
_DOCUMENTED_REQUIRED = {"getContactResearchByExternalID": {"externalId", "externalSource"}}
# Body fields Saber's registry marks required that Dossier may also take from a template.
_DOCUMENTED_REQUIRED_BODY = {"CreateCompanySignal": "question", "CreateContactSignal": "question"}


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    *,
    workers: bool | None = None,
    outbound_env: Mapping[str, str] | None = None,
) -> FastAPI:
    """The API. `workers` runs the embedded job workers in this process (default: settings.workers);
    `outbound_env` replaces os.environ for outbound proxy/TLS variables (tests point it at fixtures)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_db = database is None
        app.state.db = database or Database(
            settings.effective_database_url, prepared_statements=settings.db_prepared_statements
        )
        runtime = build_runtime(settings, app.state.db, outbound_env=outbound_env)
        app.state.runtime = runtime
        await runtime.start(workers=settings.workers if workers is None else workers)
        try:
            yield
        finally:
            await runtime.stop()
            await app.state.db.aclose()
            if owns_db:
                app.state.db.dispose()

    app = FastAPI(
        title="Dossier",
        version=__version__,
        description="Self-hostable research signals, compatible with Saber's Signals API.",
        openapi_url="/v1/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
        # A path with a trailing slash is not a route: a 404 in the error envelope, not a bare 307 whose
        # Location names http:// even behind TLS.
        redirect_slashes=False,
        telemetry=None if settings.telemetry else {"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.rate_limiter = RateLimiter(
        write_per_minute=settings.rate_limit_write_per_minute,
        write_burst=settings.rate_limit_write_burst,
        read_per_minute=settings.rate_limit_read_per_minute,
        read_burst=settings.rate_limit_read_burst,
        storage=settings.rate_limit_storage,
        window_seconds=settings.rate_limit_window_seconds,
    )
    app.state.key_cache = KeyCache(settings.auth_cache_seconds)
    if database is not None:
        app.state.db = database
    app.add_middleware(BracketArrays)
    # Inside the request-context middleware, so a 413 carries the request id; outside everything that reads.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(UrlLimit, max_bytes=settings.max_url_bytes)
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)
    # Before the signals router: /v1/companies/signals/templates must not be taken for a signal id.
    app.include_router(templates_router)
    app.include_router(signals_router)
    app.include_router(contacts_router)
    app.include_router(accounts_router)

    app.router.route_class = KeyFirstRoute

    @app.get("/healthz", tags=["health"], operation_id="healthz", include_in_schema=True)
    async def healthz(db: CurrentDatabase) -> JSONBody:
        try:
            await db.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())
        except Exception as exc:
            raise ApiError(503, "Database unavailable") from exc
        return JSONBody({"status": "ok", "version": __version__})

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        with warnings.catch_warnings():
            # Every GET route also serves HEAD under the same operation id; the HEAD operations are dropped
            # below, so FastAPI's warning about the repeated id says nothing about the document served.
            warnings.filterwarnings("ignore", message="Duplicate Operation ID", category=UserWarning)
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema["components"].setdefault("securitySchemes", {})["bearerAuth"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "API key authentication using Bearer token. Format: sk_live_ followed by a secure random string.",
        }
        schema["servers"] = [{"url": "/"}]
        for path_item in schema["paths"].values():
            path_item.pop("head", None)  # HEAD mirrors GET on every route; the contract lists GET only
            for op in path_item.values():
                if op.get("operationId") != "healthz":
                    op["security"] = [{"bearerAuth": []}]
                # Bad parameters and bodies are answered 400 in the error envelope (kit.errors), never with
                # FastAPI's 422 and its {"detail": [...]}; a 422 a route declares itself stays.
                if "HTTPValidationError" in str(op.get("responses", {}).get("422")):
                    op["responses"].pop("422")
                    op["responses"].setdefault(
                        "400",
                        {
                            "description": "Bad Request",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}},
                        },
                    )
                required = _DOCUMENTED_REQUIRED.get(op.get("operationId", ""), set())
                for param in op.get("parameters", []):
                    param["schema"] = parameter_schema(param["schema"])
                    if param["name"] in required:
                        param["required"] = True
        components = schema["components"]["schemas"]
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        for name, field in _DOCUMENTED_REQUIRED_BODY.items():
            component = schema["components"]["schemas"].get(name)
            if component is not None and field not in component.setdefault("required", []):
                component["required"].append(field)
        bound_request_json(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
