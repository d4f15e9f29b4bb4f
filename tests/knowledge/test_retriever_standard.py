"""LangChain's standard retriever integration tests, run against almen's hybrid retriever."""

from __future__ import annotations

import tempfile
from functools import cached_property
from pathlib import Path
from typing import Any

from langchain_tests.integration_tests import RetrieversIntegrationTests

from ingest.pipeline import run_ingest
from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from knowledge.langchain_retriever import AlmenRetriever

_HOME = Path(tempfile.mkdtemp(prefix="almen-std-retriever-"))


def _kb() -> KnowledgeBase:
    kb = KnowledgeBase(Settings(home=_HOME / "home", embedding_backend="fake"))
    if kb.is_empty():
        docs = _HOME / "docs"
        docs.mkdir(exist_ok=True)
        for i in range(6):
            (docs / f"notat{i}.md").write_text(
                f"---\ntitle: Notat {i}\nkind: notat\n---\n# Afsnit {i}\n\n"
                f"Styringsdialogen med boligorganisation nummer {i} handler om tilsyn og dialogmøder.\n",
                encoding="utf-8",
            )
        run_ingest(kb, [docs])
    return kb


class TestAlmenRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[AlmenRetriever]:
        return AlmenRetriever

    @cached_property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"searcher": _kb().searcher}

    @property
    def retriever_query_example(self) -> str:
        return "styringsdialog og tilsyn"
