"""Schemas of /api/laws: official statute texts, their versions and what an import did."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class LawVersionPublic(BaseModel):
    """One stored version of an act (an imported official text)."""

    version: str = Field(description="Betegnelsen, fx 'LBK nr. 207 af 25/01/2026'.")
    title: str
    act_type: str = Field(description="LBK, BEK eller LOV.")
    act_number: str
    act_date: str = Field(description="Datoen (ÅÅÅÅ-MM-DD).")
    status: Literal["gældende", "afløst"]
    authority: str = Field(description="statute_current eller statute_superseded.")
    valid_from: str = ""
    valid_to: str = Field("", description="Sidste dag, versionen gjaldt (tom for den gældende).")
    source_id: str


class LawPublic(BaseModel):
    """An act and the version of it that is current."""

    act: str = Field(description="Lovens nøgle, fx 'almenboligloven'.")
    act_name: str
    current_version: str = Field(description="Den gældende version.")
    official: bool = Field(description="true: en officiel tekst er importeret; false: versionen kendes kun fra de "
                                       "indbyggede notater.")
    title: str = ""
    note_versions: list[str] = Field(default_factory=list, description="De versioner, de indbyggede notater beskriver.")
    versions: list[LawVersionPublic] = Field(default_factory=list)


class LawListPublic(BaseModel):
    """The acts the knowledge base knows a version of."""

    laws: list[LawPublic]
    count: int


class LawImportPublic(BaseModel):
    """What importing one official text did."""

    status: Literal["added", "updated", "unchanged"]
    source_id: str
    name: str
    act: str
    act_name: str
    title: str
    act_type: str
    act_number: str
    act_date: str
    version: str
    current: bool = Field(description="true: den importerede version er den gældende.")
    chunks: int = 0
    pages: int = 0
    superseded: list[str] = Field(default_factory=list, description="Versioner, importen markerede som afløst.")
    current_version: str = ""
    warnings: list[str] = Field(default_factory=list)
    url: str = ""
