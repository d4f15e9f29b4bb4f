"""Request and response schemas of the JSON API (families by suffix: *Request/*Create in, *Public out)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.api.errors import TITLES

QUESTION_HARD_LIMIT = 20_000  # the configured max_question_chars is checked in the route


class ProblemPublic(BaseModel):
    """An error (RFC 9457 problem details); ``detail`` is Danish and says what to do."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    instance: str = ""


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the problem responses a route can give."""
    ref = {"schema": {"$ref": "#/components/schemas/ProblemPublic"}}
    return {code: {"model": ProblemPublic, "description": TITLES.get(code, "Fejl"),
                   "content": {"application/problem+json": ref}} for code in codes}


class FiltersRequest(BaseModel):
    """Optional metadata filters for search and answers."""

    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(None, max_length=40, description="Dokumenttype, fx lov, vejledning, styringsrapport.")
    org: str | None = Field(None, max_length=200, description="Boligorganisation.")
    municipality: str | None = Field(None, max_length=200, description="Kommune.")
    year: int | None = Field(None, ge=1900, le=2200, description="År.")
    on: str | None = Field(None, max_length=20, description="Kun regler i kraft på denne dato (ÅÅÅÅ-MM-DD).")
    source_id: str | None = Field(None, max_length=200, description="Kun dette dokument.")


class HistoryTurnRequest(BaseModel):
    """One earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str = Field(..., max_length=QUESTION_HARD_LIMIT)


class AskRequest(BaseModel):
    """A question, optionally with the conversation so far and filters."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(..., min_length=1, max_length=QUESTION_HARD_LIMIT, description="Spørgsmålet på dansk.")
    history: list[HistoryTurnRequest] = Field(default_factory=list, max_length=40)
    filters: FiltersRequest | None = None
    generator: Literal["extractive", "llm"] = Field("extractive", description="extractive (standard) eller llm.")


class PublicSourcePublic(BaseModel):
    """A public source a built-in note was written from (its front matter)."""

    title: str
    url: str


class CitationPublic(BaseModel):
    """A numbered source of an answer, with links any client can follow (see service.api.citations)."""

    n: int
    chunk_id: str
    source_id: str
    title: str
    kind: str
    label: str
    legal_label: str = ""
    heading: str = ""
    page_start: int | None = None
    page_end: int | None = None
    quote: str = ""
    url: str = Field("", description="almens egen side med passagen fremhævet i dokumentet (GET /kilde/{chunk_id}).")
    verified: bool = True
    source_url: str = Field("", description="Originaldokumentet på nettet, hvis dokumentet oplyser det.")
    version: str = Field("", description="Lovens eller notens version, fx 'LBK nr. 207 af 25/01/2026'.")
    public_sources: list[PublicSourcePublic] = Field(default_factory=list,
                                                     description="De offentlige kilder, en indbygget note bygger på.")
    origin: str = Field("", description="Udgiverne af de offentlige kilder, fx 'Retsinformation, BL'.")
    chip: str = Field("", description="Kort tekst til kildeknappen: den bestemmelse, svarets sætning henviser til.")
    pages: str = Field("", description="Sidetal, fx 's. 3-4'.")


class VerdictPublic(BaseModel):
    """What the citation check decided about one sentence of the answer."""

    sentence: str
    markers: list[int] = Field(default_factory=list)
    supported: bool
    kind: str = "claim"
    support: float = 0.0
    sources: list[int] = Field(default_factory=list)
    reason: str = ""


class AnswerPublic(BaseModel):
    """A Danish answer with checked citations, or a reasoned abstention."""

    answer_id: str
    question: str
    text: str
    citations: list[CitationPublic]
    grounded: bool
    abstained: bool
    reason: str = ""
    generator: str = "extractive"
    notes: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    resolved_question: str = Field("", description="A follow-up question as it was understood and searched.")
    verdicts: list[VerdictPublic] = Field(default_factory=list, description="The citation check, sentence by sentence.")


class HitPublic(BaseModel):
    """One search hit with the evidence for why it was found."""

    chunk_id: str
    source_id: str
    title: str
    kind: str = ""
    label: str
    text: str
    fused: float
    relevance: float
    dense_rank: int | None = None
    dense_score: float | None = None
    lexical_rank: int | None = None
    lexical_score: float | None = None
    legal_match: bool = False
    filters_matched: list[str] = Field(default_factory=list)


class SearchPublic(BaseModel):
    """Search results and what the search understood of the query."""

    query: str
    query_refs: list[str]
    expanded_terms: list[str]
    relevant: bool
    reason: str = ""
    timings_ms: dict[str, float] = Field(default_factory=dict)
    hits: list[HitPublic]


class DocumentPublic(BaseModel):
    """A document in the knowledge base."""

    source_id: str
    title: str
    kind: str
    chunk_count: int
    name: str = ""
    fmt: str = ""
    org: str = ""
    municipality: str = ""
    year: int = 0
    pages: int = 0
    cpr_redactions: int = 0
    builtin: bool = False
    ingested_at: float = 0.0
    scope: str = Field("", description="Afgrænsningen, dokumentet hører til ('kommune' eller 'kommune/afdeling'); "
                                       "tom = hele installationen.")


class DocumentListPublic(BaseModel):
    """All documents."""

    documents: list[DocumentPublic]
    count: int


class FileReportPublic(BaseModel):
    """What happened to an uploaded file."""

    name: str
    status: Literal["added", "updated", "unchanged", "failed"]
    source_id: str = ""
    title: str = ""
    kind: str = ""
    chunks: int = 0
    pages: int = 0
    cpr_redactions: int = 0
    message: str = ""
    warnings: list[str] = Field(default_factory=list)
    seconds: float = 0.0


class DetectedPublic(BaseModel):
    """Organisation and year read from the document because the upload did not give them."""

    organisation: str | None = None
    year: int | None = None
    fields: list[str] = Field(default_factory=list, description="De felter, der er aflæst i dokumentet: org, year.")


class UploadPublic(BaseModel):
    """The outcome of an upload: the per-file report and the stored document."""

    report: FileReportPublic
    document: DocumentPublic | None = None
    detected: DetectedPublic | None = None


class DeletedPublic(BaseModel):
    """Confirmation of a deletion."""

    source_id: str
    deleted: bool


class ChunkPublic(BaseModel):
    """The text behind a citation, for the preview panel."""

    chunk_id: str
    source_id: str
    title: str
    kind: str = ""
    label: str
    legal_label: str = ""
    heading: str = ""
    page_start: int | None = None
    page_end: int | None = None
    text: str
    url: str = Field("", description="almens side med passagen fremhævet i dokumentet.")
    source_url: str = ""
    version: str = ""
    public_sources: list[PublicSourcePublic] = Field(default_factory=list)
    before: str = Field("", description="Teksten i afsnittet før (til sammenhæng).")
    after: str = Field("", description="Teksten i afsnittet efter (til sammenhæng).")


class FeedbackCreate(BaseModel):
    """Thumbs up or down on an answer, with an optional comment."""

    model_config = ConfigDict(extra="forbid")
    answer_id: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=2000)


class FeedbackPublic(BaseModel):
    """Stored feedback."""

    id: int
    answer_id: str
    rating: Literal["up", "down"]
    stored: bool = True


class HealthPublic(BaseModel):
    """Liveness."""

    status: Literal["ok"]


class ReadyPublic(BaseModel):
    """Readiness: store reachable, lexical index loaded, sizes and model."""

    status: Literal["ready", "read_only", "not_ready"]
    store_reachable: bool
    index_loaded: bool
    chunks: int
    sources: int
    embedding_model: str
    generation: str = ""
    detail: str = ""
    writable: bool = Field(True, description="Der er plads til at gemme (ellers: kun spørgsmål og søgning, 507 ved "
                                             "skrivning).")
    disk_free_mb: float | None = Field(None, description="Fri plads på datamappens disk (MB).")


class AuditEntryPublic(BaseModel):
    """One audited request (question CPR-redacted, key shown only as a hash prefix)."""

    id: int
    ts: float
    key_id: str
    endpoint: str
    question: str
    source_ids: list[str]
    answer_id: str
    latency_ms: float
    status: int


class FeedbackEntryPublic(BaseModel):
    """One stored feedback."""

    id: int
    ts: float
    key_id: str
    answer_id: str
    rating: str
    comment: str


class AuditPublic(BaseModel):
    """The newest audit rows and feedback."""

    entries: list[AuditEntryPublic]
    feedback: list[FeedbackEntryPublic]
