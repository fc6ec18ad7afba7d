"""Settings: one object, read from `DOSSIER_*` environment variables."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOSSIER_", extra="ignore")

    data_dir: Path = Field(default=Path.home() / ".dossier")
    # Empty means the embedded default: a SQLite file inside data_dir.
    database_url: str = ""
    # Empty means: read or create `secret.key` in data_dir.
    secret_key: str = ""

    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"

    # Rate limits per API key (requests per minute, and the largest burst within one second).
    rate_limit_write_per_minute: int = 2000
    rate_limit_write_burst: int = 400
    rate_limit_read_per_minute: int = 100_000
    rate_limit_read_burst: int = 10_000
    # A `limits` storage URI. In-process memory suits one server; several API processes share limits
    # through e.g. "async+redis://redis-host:6379".
    rate_limit_storage: str = "async+memory://"
    # The span the *_per_minute budgets are counted over: 60 seconds (tests shrink it to watch windows pass).
    rate_limit_window_seconds: int = 60

    # How long a verified API key is trusted without asking the database again. A key revoked by another
    # process stops working within this many seconds; 0 checks the database on every request.
    auth_cache_seconds: float = 5.0

    # PostgreSQL: let psycopg prepare statements a connection runs often (server-side, at the protocol level).
    # Behind PgBouncer in transaction mode that needs PgBouncer >= 1.21 with max_prepared_statements set (and
    # libpq >= 17, which psycopg's binary wheel brings); otherwise turn it off.
    db_prepared_statements: bool = True
    # PostgreSQL: a URL that reaches the server itself, not through a transaction-mode pooler, for the
    # connections that need a session of their own: LISTEN (procrastinate's job wake-ups and the sync
    # endpoints' completion wake-ups; a pooler hands the listening server connection to other clients and
    # the notifications are lost) and so procrastinate's connector as a whole. Empty: the database's own URL.
    direct_database_url: str = ""

    # The largest request body accepted (413 above it); checked before the body is read.
    max_body_bytes: int = 4 * 1024 * 1024
    # The longest URL (path and query as sent) accepted (414 above it): room for the longest filter the API
    # takes, a 2,048-character contactProfileUrl percent-encoded from 4-byte UTF-8 (24,576 bytes). The HTTP
    # server refuses a request head over this plus 32 KiB of headers while it arrives (kit.httpserver).
    max_url_bytes: int = 32 * 1024

    # FastAPI's native OpenTelemetry instrumentation (traces, metrics and logs through the globally
    # configured providers). Off by default: checking for providers costs every request a few microseconds.
    telemetry: bool = False

    # Research engine: outbound fetching and crawl budgets.
    allow_private_networks: str = ""  # e.g. "127.0.0.1/32,10.0.0.0/8": private targets operators allow
    dns_nameservers: str = ""  # e.g. "127.0.0.1:5353"; empty = the system resolver
    outbound_ports: str = "80,443"
    fetch_timeout_seconds: float = 15.0
    fetch_max_bytes: int = 5_000_000
    crawl_ttl_seconds: float = 6 * 3600
    crawl_max_pages: int = 200
    crawl_max_bytes: int = 20_000_000
    crawl_max_seconds: float = 120.0
    crawl_max_delay_seconds: float = 2.0
    # Strict mode answers only when the calibrated probability of being right reaches this; lenient mode
    # returns the best reading with its confidence whatever it is.
    strict_min_confidence: float = 0.5

    # Bring-your-own language model (any OpenAI-compatible chat-completions server). Off unless a base URL
    # and a model are set; the offline reader answers alone then.
    llm_base_url: str = ""  # e.g. "https://api.openai.com/v1", "http://127.0.0.1:11434/v1" (Ollama)
    llm_api_key: str = ""  # empty for local servers that take none
    llm_model: str = ""
    llm_timeout_seconds: float = 60.0  # per model call
    llm_max_retries: int = 2  # the client's own retries (429s and 5xx back off, honouring Retry-After)
    # How to ask for JSON: "auto" tries structured outputs, then JSON mode, then plain JSON, and remembers what
    # the server accepted; or one of "json_schema", "json_object", "plain".
    llm_response_format: str = "auto"
    llm_max_tokens: int = 800  # completion tokens per call
    # A call's prompt is held at its token count: "auto" asks the server's tokenizer where it has one (llama.cpp's
    # /tokenize, llama-cpp-python's /extras/tokenize/count), else estimates 4 characters a token; "off" estimates.
    llm_tokenizer: str = "auto"
    llm_sections: int = 10  # numbered sections shown to the model (plus the offline reader's evidence)
    llm_max_rounds: int = 2  # model rounds per question, each after a round of fetching what it asked for
    # USD per million tokens, per model: {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}. A model not listed
    # costs 0 (a local model), and its tokens are still counted.
    llm_prices: str = ""
    llm_signal_budget_usd: float = 0.0  # the most one signal may spend on the model; 0 = no cap
    llm_org_daily_budget_usd: float = 0.0  # the most one organisation may spend per UTC day; 0 = no cap
    # A calibration map fitted for the configured model (bench/accuracy.py --llm --fit-llm-calibration PATH);
    # empty: the model's confidences are its answerer's prior score, capped at 0.75.
    llm_calibration: str = ""
    llm_report_budget_usd: float = 0.0  # the most one contact research report may spend on the model; 0 = no cap

    # Search providers for the research loop (each on when its URL or key is set); results are fetched and
    # stored like any page before they may be cited.
    search_searxng_url: str = ""  # a SearXNG instance with the JSON format enabled, e.g. "http://127.0.0.1:8888"
    search_brave_api_key: str = ""
    search_brave_url: str = "https://api.search.brave.com/res/v1/web/search"
    search_tavily_api_key: str = ""
    search_tavily_url: str = "https://api.tavily.com/search"
    search_exa_api_key: str = ""
    search_exa_url: str = "https://api.exa.ai/search"
    search_timeout_seconds: float = 10.0  # per provider call
    search_max_retries: int = 2  # a 429 is retried after Retry-After (or a short backoff) this many times
    search_results: int = 5  # result pages fetched per query

    # Signal lifecycle.
    workers: bool = True  # run job workers inside `dossier serve`
    # "auto": embedded workers on SQLite, procrastinate on PostgreSQL; or "embedded" / "procrastinate".
    job_backend: str = "auto"
    worker_concurrency: int = 4
    job_lease_seconds: float = 60.0
    signal_deadline_seconds: float = 300.0  # a signal still running after this is failed
    sync_timeout_seconds: int = 120  # default X-Sbr-Timeout-Sec
    cache_ttl_seconds: float = 12 * 3600
    webhook_retry_scale: float = 1.0  # multiplies the ~3-day retry schedule (tests shrink it)

    # Contact search: when the server starts (and after bulk imports), a background thread reads the people
    # index's search structures (the indexes and tables a search reads) once, so that the first searches find
    # them in memory instead of reading the disk page by page. It reads them in order of use while their total
    # stays within this share of the machine's physical memory (with PostgreSQL on another machine, the share of
    # this one's memory is the bound); 0 turns the warm-up off.
    contact_search_warmup_share: float = 0.5
    # An import's rows are followed by a warm-up once this many seconds pass with no further import.
    contact_search_warmup_import_delay_seconds: float = 30.0

    # Dossier has no billing; /v1/credits reports this for new organisations.
    default_credits: int = 1_000_000

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'dossier.db'}"

    @property
    def llm_hold_seconds(self) -> float:
        """How long a model call's hold on its organisation's day counts if it is never settled (its worker died
        in the call): past the longest the call can take, which is every attempt the client makes timing out
        plus the waits between them (the `openai` client honours a Retry-After of at most 120 s, and does not
        retry after a longer one), with a minute to spare."""
        attempts = self.llm_max_retries + 1
        return self.llm_timeout_seconds * attempts + 120.0 * self.llm_max_retries + 60.0

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def distributed(self) -> bool:
        if self.job_backend == "auto":
            return not self.is_sqlite
        return self.job_backend == "procrastinate"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @cached_property
    def hmac_key(self) -> bytes:
        """The server secret API keys are hashed with; generated into the data directory once."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting together must not write two different secrets.
            try:
                with path.open("x") as fh:
                    fh.write(secrets.token_urlsafe(48))
                path.chmod(0o600)
            except FileExistsError:
                pass
        return path.read_text().strip().encode()
