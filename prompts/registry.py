"""Validated registry of prompt templates stored as YAML data files in this folder.

A template file ``<name>.yaml`` holds::

    description: what the template is for
    variables: [question, sources]      # every placeholder, no more, no less
    text: "... {{question}} ..."         # a plain text template, or
    messages:                            # a chat template
      - role: system | user | assistant
        content: "... {{sources}} ..."

Placeholders are ``{{name}}``. Substitution is a single pass, so text inside a value that
looks like a placeholder is never expanded. Unknown keys, undeclared or unused placeholders,
missing and unknown variables are errors.

PromptError
 ├── UnknownTemplateError     no template of that name
 ├── TemplateFormatError      the file is not a valid template
 └── TemplateVariableError    missing or unknown variables at render time
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PROMPTS_DIR = Path(__file__).resolve().parent
ALLOWED_KEYS = frozenset({"description", "variables", "text", "messages"})
ALLOWED_ROLES = frozenset({"system", "user", "assistant"})
_PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class PromptError(Exception):
    """Base class of prompt errors; the message is Danish and says what to do."""


class UnknownTemplateError(PromptError, KeyError):
    """No template with the requested name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class TemplateFormatError(PromptError):
    """A template file is malformed (unknown keys, bad roles, undeclared placeholders)."""


class TemplateVariableError(PromptError):
    """A render call lacks variables or passes unknown ones."""


@dataclass(frozen=True)
class PromptTemplate:
    """One validated template: either plain text or a list of chat messages."""

    name: str
    description: str
    variables: tuple[str, ...]
    text: str | None = None
    messages: tuple[tuple[str, str], ...] = ()

    @property
    def is_chat(self) -> bool:
        return self.text is None

    def render_messages(self, **variables: object) -> list[dict[str, str]]:
        """The template's messages with variables filled in (a text template is one user message)."""
        values = self._check(variables)
        if self.text is not None:
            return [{"role": "user", "content": _substitute(self.text, values)}]
        return [{"role": role, "content": _substitute(content, values)} for role, content in self.messages]

    def render(self, **variables: object) -> str:
        """The filled-in text; for a chat template the message contents joined by blank lines."""
        return "\n\n".join(m["content"] for m in self.render_messages(**variables))

    def _check(self, variables: dict[str, object]) -> dict[str, str]:
        missing = [v for v in self.variables if v not in variables]
        unknown = sorted(set(variables) - set(self.variables))
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"mangler {', '.join(missing)}")
            if unknown:
                parts.append(f"ukendte {', '.join(unknown)}")
            raise TemplateVariableError(
                f"Skabelonen '{self.name}' fik forkerte variable ({'; '.join(parts)}). "
                f"Den forventer netop: {', '.join(self.variables) or '(ingen)'}."
            )
        return {k: "" if v is None else str(v) for k, v in variables.items()}


def _substitute(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], template)


def parse_template(name: str, data: object) -> PromptTemplate:
    """Validate the parsed YAML of a template file and build the template."""
    where = f"Skabelonen '{name}'"
    if not isinstance(data, dict):
        raise TemplateFormatError(f"{where} skal være en YAML-ordbog med nøglerne {', '.join(sorted(ALLOWED_KEYS))}.")
    unknown = sorted(set(map(str, data)) - ALLOWED_KEYS)
    if unknown:
        raise TemplateFormatError(
            f"{where} har ukendte nøgler: {', '.join(unknown)}. Tilladte nøgler: {', '.join(sorted(ALLOWED_KEYS))}."
        )
    has_text, has_messages = "text" in data, "messages" in data
    if has_text == has_messages:
        raise TemplateFormatError(f"{where} skal have netop én af nøglerne 'text' og 'messages'.")
    variables = data.get("variables") or []
    if not isinstance(variables, list) or not all(isinstance(v, str) and _PLACEHOLDER_RE.fullmatch("{{" + v + "}}") for v in variables):
        raise TemplateFormatError(f"{where}: 'variables' skal være en liste af navne (bogstaver, tal og _).")
    if len(set(variables)) != len(variables):
        raise TemplateFormatError(f"{where}: 'variables' nævner samme navn flere gange.")
    bodies: list[str] = []
    messages: list[tuple[str, str]] = []
    text: str | None = None
    if has_text:
        if not isinstance(data["text"], str) or not data["text"].strip():
            raise TemplateFormatError(f"{where}: 'text' skal være en ikke-tom tekst.")
        text = data["text"]
        bodies.append(text)
    else:
        raw = data["messages"]
        if not isinstance(raw, list) or not raw:
            raise TemplateFormatError(f"{where}: 'messages' skal være en ikke-tom liste.")
        for i, msg in enumerate(raw, 1):
            if not isinstance(msg, dict) or set(msg) != {"role", "content"}:
                raise TemplateFormatError(f"{where}: besked {i} skal have netop nøglerne 'role' og 'content'.")
            if msg["role"] not in ALLOWED_ROLES:
                raise TemplateFormatError(
                    f"{where}: besked {i} har rollen '{msg['role']}'; tilladt er {', '.join(sorted(ALLOWED_ROLES))}."
                )
            if not isinstance(msg["content"], str) or not msg["content"].strip():
                raise TemplateFormatError(f"{where}: besked {i} skal have en ikke-tom tekst.")
            messages.append((msg["role"], msg["content"]))
            bodies.append(msg["content"])
    used = {m.group(1) for body in bodies for m in _PLACEHOLDER_RE.finditer(body)}
    undeclared = sorted(used - set(variables))
    unused = sorted(set(variables) - used)
    if undeclared:
        raise TemplateFormatError(f"{where} bruger variable, der ikke står i 'variables': {', '.join(undeclared)}.")
    if unused:
        raise TemplateFormatError(f"{where} erklærer variable, der ikke bruges: {', '.join(unused)}.")
    description = data.get("description") or ""
    return PromptTemplate(name, str(description).strip(), tuple(variables), text, tuple(messages))


class PromptRegistry:
    """Templates in one folder (``*.yaml``), loaded and validated on first use."""

    def __init__(self, directory: Path | str = PROMPTS_DIR) -> None:
        self.directory = Path(directory)
        self._cache: dict[str, PromptTemplate] = {}

    def names(self) -> list[str]:
        """Names of all templates in the folder, sorted."""
        return sorted(p.stem for p in self.directory.glob("*.yaml"))

    def get(self, name: str) -> PromptTemplate:
        """The validated template ``name``; raise UnknownTemplateError or TemplateFormatError."""
        if name in self._cache:
            return self._cache[name]
        path = self.directory / f"{name}.yaml"
        if not _NAME_RE.match(name) or not path.is_file():
            raise UnknownTemplateError(
                f"Der findes ingen promptskabelon ved navn '{name}'. Kendte skabeloner: {', '.join(self.names()) or '(ingen)'}."
            )
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise TemplateFormatError(f"Skabelonen '{name}' er ikke gyldig YAML: {exc}") from exc
        template = parse_template(name, data)
        self._cache[name] = template
        return template

    def render(self, name: str, /, **variables: object) -> str:
        """Render template ``name`` to one text."""
        return self.get(name).render(**variables)

    def render_messages(self, name: str, /, **variables: object) -> list[dict[str, str]]:
        """Render template ``name`` to chat messages (dicts with role and content)."""
        return self.get(name).render_messages(**variables)


@lru_cache(maxsize=1)
def default_registry() -> PromptRegistry:
    """The registry of the templates shipped in this package."""
    return PromptRegistry()


def list_templates() -> list[str]:
    """Names of the shipped templates."""
    return default_registry().names()


def get_template(name: str) -> PromptTemplate:
    """A shipped template by name."""
    return default_registry().get(name)


def render(name: str, /, **variables: object) -> str:
    """Render a shipped template to text."""
    return default_registry().render(name, **variables)


def render_messages(name: str, /, **variables: object) -> list[dict[str, str]]:
    """Render a shipped template to chat messages."""
    return default_registry().render_messages(name, **variables)
