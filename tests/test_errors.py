"""One error tree: every error almen reports is an AlmenError with a Danish message and an HTTP status.

The CLI turns an AlmenError into a red line and exit code 1 and lets a programming error (a bare
ValueError) keep its traceback; the API answers an AlmenError with its status in one handler.
"""

from __future__ import annotations

import pytest
import typer
from fastapi import APIRouter
from fastapi.testclient import TestClient

from eval.errors import DatasetError, EvalError
from ingest.errors import FileTooLargeError, IngestError, LoadError, UnsupportedFormatError
from knowledge.config import Settings
from knowledge.errors import (
    AlmenError,
    EmbeddingError,
    InvalidQuestionError,
    KnowledgeError,
    QueryError,
    StoreError,
    UnknownKindError,
)
from service.agreements.errors import AgreementError, AgreementFilterError
from service.answering.errors import AnsweringError, GeneratorError
from service.answering.llm import LLMUnavailableError
from service.api.app import create_app
from service.api.auth_oidc import OidcConfigError, OidcError
from service.api.auth_proxy import ProxyConfigError
from service.api.scopes import ScopeError
from service.api.security import KeyConfigError
from service.cli.common import handle_errors
from service.review.errors import NotAReportError, ReviewError, ReviewNotFoundError


@pytest.mark.parametrize(("error", "status"), [
    (KnowledgeError, 422), (StoreError, 503), (EmbeddingError, 503), (QueryError, 422), (InvalidQuestionError, 422),
    (UnknownKindError, 422), (IngestError, 422), (LoadError, 422), (UnsupportedFormatError, 415),
    (FileTooLargeError, 413), (EvalError, 422), (DatasetError, 422), (AnsweringError, 422), (GeneratorError, 422),
    (LLMUnavailableError, 422), (AgreementError, 422), (AgreementFilterError, 422), (ReviewError, 422),
    (NotAReportError, 422), (ReviewNotFoundError, 404), (KeyConfigError, 500), (OidcConfigError, 500),
    (ProxyConfigError, 500), (ScopeError, 422),
])
def test_every_package_error_hangs_under_almen_error_with_its_status(error: type[AlmenError], status: int) -> None:
    exc = error("Noget gik galt. Gør sådan her.")
    assert isinstance(exc, AlmenError) and exc.status == status
    assert exc.message == str(exc) == "Noget gik galt. Gør sådan her."


def test_a_refused_login_carries_its_own_status() -> None:
    exc = OidcError(401, "Log ind igen.")
    assert isinstance(exc, AlmenError) and exc.status == 401 and exc.message == str(exc) == "Log ind igen."


def test_the_cli_prints_almen_errors_and_keeps_bugs_visible(capsys: pytest.CaptureFixture[str]) -> None:
    @handle_errors
    def refused() -> None:
        raise AgreementFilterError("Ukendt status 'x'.")

    @handle_errors
    def buggy() -> None:
        raise ValueError("a programming error")

    with pytest.raises(typer.Exit) as info:
        refused()
    assert info.value.exit_code == 1 and "Ukendt status 'x'." in capsys.readouterr().err
    with pytest.raises(ValueError, match="a programming error"):  # not hidden behind a red line
        buggy()


def test_the_api_answers_any_almen_error_with_its_status(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(home=tmp_path / "home", embedding_backend="fake", allow_anonymous=True),
                     ingest_builtin=False)
    router = APIRouter()

    @router.get("/test/not-found")
    def not_found() -> None:
        raise ReviewNotFoundError("Gennemgangen findes ikke.")

    @router.get("/test/store")
    def store_down() -> None:
        raise StoreError("Vidensbasen kan ikke nås.")

    @router.get("/test/bug")
    def bug() -> None:
        raise ValueError("internal detail that must not leak")

    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as client:
        missing, down, broken = client.get("/test/not-found"), client.get("/test/store"), client.get("/test/bug")
    assert (missing.status_code, missing.json()["detail"]) == (404, "Gennemgangen findes ikke.")
    assert (down.status_code, down.json()["detail"]) == (503, "Vidensbasen kan ikke nås.")
    assert broken.status_code == 500 and "internal detail" not in broken.text
