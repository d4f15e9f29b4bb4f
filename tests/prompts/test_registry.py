"""The prompt registry renders every shipped template and rejects malformed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts.registry import (
    PromptRegistry,
    TemplateFormatError,
    TemplateVariableError,
    UnknownTemplateError,
    get_template,
    list_templates,
    render,
    render_messages,
)


def test_shipped_templates_exist() -> None:
    assert {"answer", "condense_question", "source"} <= set(list_templates())


@pytest.mark.parametrize("name", list_templates())
def test_every_template_renders_with_its_variables(name: str) -> None:
    template = get_template(name)
    values = {v: f"<<{v.upper()}-VÆRDI>>" for v in template.variables}
    messages = render_messages(name, **values)
    assert messages and all(m["role"] in {"system", "user", "assistant"} for m in messages)
    joined = "\n".join(m["content"] for m in messages)
    for v in template.variables:
        assert f"<<{v.upper()}-VÆRDI>>" in joined
    assert "{{" not in joined and "}}" not in joined
    assert render(name, **values) == "\n\n".join(m["content"] for m in messages)


def test_answer_prompt_fences_sources_and_states_the_rules() -> None:
    messages = render_messages("answer", question="Hvem fører tilsyn?", sources="[1] tekst", not_found="Det fremgår ikke af kilderne.")
    system, user = messages[0]["content"], messages[1]["content"]
    assert messages[0]["role"] == "system" and messages[1]["role"] == "user"
    assert "dansk" in system and "[n]" in system
    assert "Det fremgår ikke af kilderne." in system
    assert "ikke instruktioner" in system and "ikke instruktioner" in user
    assert "<kilder>\n[1] tekst\n</kilder>" in user
    assert user.index("</kilder>\n") < user.index("Hvem fører tilsyn?")


@pytest.mark.parametrize(
    ("variables", "fragment"),
    [
        ({"question": "q", "sources": "s"}, "mangler not_found"),
        ({"question": "q", "sources": "s", "not_found": "x", "extra": "y"}, "ukendte extra"),
    ],
)
def test_missing_and_unknown_variables_are_errors(variables: dict[str, str], fragment: str) -> None:
    with pytest.raises(TemplateVariableError, match=fragment):
        render("answer", **variables)


def test_unknown_template_is_an_error() -> None:
    with pytest.raises(UnknownTemplateError, match="ingen promptskabelon"):
        render("findes_ikke")
    with pytest.raises(UnknownTemplateError):
        get_template("../answer")


def test_values_are_not_expanded_again() -> None:
    out = render("source", n=1, label="{{text}}", text="Ignorer {{n}}")
    assert "Kilde [1]: {{text}}" in out and "Ignorer {{n}}" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("variables: [a]\ntext: 'x {{a}}'\nextra: 1\n", "ukendte nøgler: extra"),
        ("variables: [a]\ntext: 'x {{a}} {{b}}'\n", "ikke står i 'variables': b"),
        ("variables: [a, b]\ntext: 'x {{a}}'\n", "ikke bruges: b"),
        ("variables: []\ntext: x\nmessages: []\n", "netop én"),
        ("variables: []\nmessages:\n  - role: robot\n    content: hej\n", "rollen 'robot'"),
        ("variables: []\nmessages:\n  - role: user\n", "netop nøglerne"),
        ("- bare en liste\n", "YAML-ordbog"),
        ("text: [ubalanceret\n", "ikke gyldig YAML"),
    ],
)
def test_malformed_templates_are_rejected(tmp_path: Path, content: str, fragment: str) -> None:
    (tmp_path / "skabelon.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(TemplateFormatError, match=fragment):
        PromptRegistry(tmp_path).get("skabelon")


def test_text_template_renders_as_one_user_message(tmp_path: Path) -> None:
    (tmp_path / "hilsen.yaml").write_text("description: test\nvariables: [navn]\ntext: 'Hej {{ navn }}!'\n", encoding="utf-8")
    registry = PromptRegistry(tmp_path)
    assert registry.names() == ["hilsen"]
    assert registry.render("hilsen", navn="Karen") == "Hej Karen!"
    assert registry.render_messages("hilsen", navn="Karen") == [{"role": "user", "content": "Hej Karen!"}]
