"""Templates a bookkeeper types in the sheet (a reminder's subject and body), rendered in a sandbox.

The sandbox (Jinja2's ``ImmutableSandboxedEnvironment``, ``StrictUndefined``) gives a template only the fields it
is handed (plain strings, numbers, lists and dicts): no attribute that starts with "_", no method that changes
anything, no file, no import, no huge repetition. A template is checked before anything is sent: its syntax, every
field it names (also in a branch the sample does not take) and a render against sample values; every problem is
a ``SettingsError`` naming the sheet cell.

A user template is plain text. Its HTML form is the rendered text escaped as a whole (the typed text and the
fields alike), with line breaks kept: nothing typed in a cell becomes markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.errors import SettingProblem, SettingsError

__all__ = ["check_user_template", "field_names", "render_user_template", "text_to_html"]

MAX_REPEAT = 10_000  # the longest string or list a template may build with "*"


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("'**' er ikke tilladt i en skabelon")
        if operator == "*" and any(isinstance(v, str | list | tuple) for v in (left, right)):
            count = right if isinstance(left, str | list | tuple) else left
            size = len(left if isinstance(left, str | list | tuple) else right)
            if isinstance(count, int) and count * size > MAX_REPEAT:
                raise SecurityError("skabelonen gentager tekst for mange gange")
        return super().call_binop(context, operator, left, right)


@cache
def _env() -> _Sandbox:
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    for name in ("lipsum", "cycler", "joiner", "namespace"):
        env.globals.pop(name, None)
    return env


def field_names(fields: Mapping[str, Any]) -> list[str]:
    """ "kunde.navn", "fakturaer" ... : the names a template may use, for the error messages."""
    names: list[str] = []
    for key, value in fields.items():
        if isinstance(value, Mapping):
            names.extend(f"{key}.{sub}" for sub in value)
        else:
            names.append(key)
    return names


def _problem(cell: str, field: str, message: str) -> SettingsError:
    return SettingsError(SettingProblem(cell=cell, field=field, message=message))


def _unknown(name: str, fields: Mapping[str, Any]) -> str:
    return (f"Feltet '{name}' findes ikke. Ret det til et af felterne: {', '.join(field_names(fields))} "
            "(skrevet som {{ kunde.navn }}).")


def _static_check(tree: nodes.Template, fields: Mapping[str, Any]) -> str | None:
    """The first problem seen without rendering: an unsafe attribute or an unknown field."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            attr = node.attr
        else:
            arg = node.arg if isinstance(node, nodes.Getitem) else None
            attr = arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str) else ""
        if attr.startswith("_"):
            return f"Skabelonen bruger '{attr}', som ikke er tilladt. Brug kun felterne, fx {{{{ kunde.navn }}}}."
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            parent = fields.get(node.node.name)
            if isinstance(parent, Mapping) and attr not in parent:
                return _unknown(f"{node.node.name}.{attr}", fields)
    unknown = sorted(meta.find_undeclared_variables(tree) - set(fields) - set(_env().globals))
    return _unknown(unknown[0], fields) if unknown else None


def _render(text: str, context: Mapping[str, Any], cell: str, field: str) -> str:
    env = _env()
    try:
        tree = env.parse(text)
    except TemplateSyntaxError as e:
        raise _problem(cell, field, f"Skabelonen kan ikke læses (linje {e.lineno}: {e.message}). Ret teksten; "
                                    "felter skrives som {{ kunde.navn }}.") from None
    problem = _static_check(tree, context)
    if problem:
        raise _problem(cell, field, problem)
    try:
        return env.from_string(text).render(dict(context))
    except SecurityError as e:
        raise _problem(cell, field, f"Skabelonen gør noget, der ikke er tilladt ({e}). Brug kun felterne, "
                                    "fx {{ kunde.navn }}.") from None
    except UndefinedError as e:
        found = re.search(r"no attribute '([^']*)'|'([^']*)' is undefined", str(e))
        name = next((g for g in found.groups() if g), "?") if found else "?"
        raise _problem(cell, field, _unknown(name, context)) from None
    except Exception as e:  # noqa: BLE001 - anything a typed template can trip on is the template's fault
        raise _problem(cell, field, f"Skabelonen kan ikke vises ({type(e).__name__}: {e}). Ret teksten.") from None


def check_user_template(text: str, cell: str, field: str, sample: Mapping[str, Any]) -> None:
    """Raise ``SettingsError`` naming ``cell`` when ``text`` cannot be rendered with fields like ``sample``."""
    _render(text, sample, cell, field)


def render_user_template(text: str, fields: Mapping[str, Any], cell: str, field: str) -> str:
    """``text`` rendered with ``fields`` (plain values only), sandboxed; ``SettingsError`` naming ``cell``."""
    return _render(text, fields, cell, field)


def text_to_html(text: str) -> str:
    """Rendered plain text as safe HTML: escaped as a whole, blank lines as paragraphs, line breaks kept."""
    paragraphs = [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n")]
    return "\n".join(f"<p>{html.escape(p).replace(chr(10), '<br>' + chr(10))}</p>" for p in paragraphs if p.strip())
