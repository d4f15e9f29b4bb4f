"""GET /api/agreements: the agreement overview with the same filters as `almen aftaler` (reader role).

Contract with the app factory: it includes ``router`` (paths are absolute: /api/agreements).
Bad filter values give a 422 problem body with a Danish detail; an empty register is not an error
(``count`` 0 and a ``reason`` saying why).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from knowledge.kb import KnowledgeBase
from service.api.deps import KBDep, ReaderDep
from service.api.errors import ApiProblem
from service.api.schemas import problem_responses
from service.api.scopes import visible_sources
from service.api.security import Principal, Role

router = APIRouter(prefix="/api", tags=["aftaler"])


class AgreementSourcePublic(BaseModel):
    """A document passage an agreement (or a statement about its status) is read from."""

    source_id: str
    title: str
    kind: str = ""
    page: int | None = None
    section: str = ""
    chunk_id: str = Field("", description="Teksten hentes med GET /api/chunks/{chunk_id}.")
    label: str = ""
    role: str = Field("aftale", description="'aftale' (selve aftalen) eller 'status' (senere opfølgning).")
    date: str | None = None
    quote: str = ""
    citation: str = ""


class AgreementPublic(BaseModel):
    """One agreement in the overview."""

    id: str
    text: str
    type: str
    type_label: str
    category: str = Field(description="'aftale' eller 'oenske' (organisationens ønske i en styringsrapport).")
    category_label: str
    number: int | None = None
    organisation: str | None = None
    afdeling: str | None = None
    afdeling_nr: int | None = None
    department: str | None = Field(None, description="Kommunens afdeling/forvaltning, når den er nævnt.")
    responsible: str | None = None
    agreed_date: str | None = None
    deadline: str | None = None
    deadline_text: str = ""
    deadline_uncertain: bool = False
    deadline_display: str = ""
    ongoing: bool = False
    valid_from: str | None = None
    valid_to: str | None = None
    duration_text: str = ""
    status: str
    status_label: str
    status_text: str = ""
    overskredet: bool = False
    sources: list[AgreementSourcePublic]
    status_sources: list[AgreementSourcePublic] = []


class AgreementListPublic(BaseModel):
    """The agreement overview (filtered), with why it is empty when it is."""

    count: int
    today: str
    documents: int = Field(description="Antal dokumenter, oversigten er bygget af.")
    organisations: list[str]
    reason: str = ""
    agreements: list[AgreementPublic]


def _day(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiProblem(422, f"Ugyldig dato '{value}'. Skriv den som ÅÅÅÅ-MM-DD.") from None


def _list(kb: KnowledgeBase, who: Principal, org: str | None, type_: str | None, status: str | None,
          day: dt.date) -> dict[str, Any]:
    from service.agreements.register import AgreementFilters, scoped_register

    register = scoped_register(kb, visible_sources(kb, who))
    filters = AgreementFilters(org=org, type=type_, status=status)
    entries = register.entries(filters, today=day)  # an unknown type or status: AgreementFilterError, 422
    return {
        "count": len(entries), "today": day.isoformat(), "documents": register.document_count(),
        "organisations": register.organisations(),
        "reason": "" if entries else register.empty_reason(filters, can_upload=who.role >= Role.editor),
        "agreements": [e.to_dict(today=day) for e in entries],
    }


@router.get("/agreements", response_model=AgreementListPublic, responses=problem_responses(401, 403, 422, 429, 503))
async def list_agreements(
    kb: KBDep, who: ReaderDep,
    org: Annotated[str | None, Query(max_length=200, description="Kun aftaler med denne boligorganisation.")] = None,
    type: Annotated[str | None, Query(max_length=60, description="Aftaletype, fx fleksibel_udlejning.")] = None,
    status: Annotated[str | None, Query(max_length=40, description="aftalt, i_gang, opfyldt, ikke_opfyldt, ukendt, "
                                                                   "overskredet eller oenske.")] = None,
    dato: Annotated[str | None, Query(max_length=20, description="Beregn overskredne frister pr. denne dato "
                                                                 "(ÅÅÅÅ-MM-DD); standard er i dag.")] = None,
) -> dict[str, Any]:
    """Oversigt over aftaler med boligorganisationerne, fundet i referater, aftaler, notater og styringsrapporter."""
    day = _day(dato)
    return await run_in_threadpool(_list, kb, who, org, type, status, day)
