"""The issue catalogue: every template renders from fields, and every issue(...) call in src uses a
catalogued code, an existing wording and the fields its template needs (read from the source with ast)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, default_returns, make_workspace
from reportgen.issue_codes import CODES, Severity, placeholders
from reportgen.issues import COORDINATES, issue
from reportgen.run.build import validate_draft

SRC = ROOT / "src" / "reportgen"

MAKERS = ("issue", "render_message", "render_advice")  # the functions that render a code's template

# issue(code, …) where `code` is a loop variable the source cannot resolve: the codes it can hold
UNRESOLVED = {("sheets.py", "code"): {"control-characters"}}


def _sample(names: set[str]) -> dict[str, object]:
    return {name: 1234 for name in names}  # a number fits every format spec used ({:,})


@pytest.mark.parametrize("code", list(CODES))
def test_every_template_renders_from_its_fields(code: str) -> None:
    entry = CODES[code]
    for wording in entry.names():
        fields = _sample(entry.fields_for(wording))
        made = issue(code, wording, **fields)
        assert made.code == code and made.severity is entry.severity
        assert made.message and "{" not in made.message and "}" not in made.message, (code, wording)
        # advice is a template too: filled in, or as written where it names no field
        assert made.advice and made.advice == entry.advice_for(wording).format(**fields)
        assert placeholders(entry.advice_for(wording)) or made.advice == entry.advice_text(wording)
        missing = dict(fields)
        if missing:
            missing.pop(sorted(missing)[0])
            with pytest.raises(KeyError):
                issue(code, wording, **missing)


def test_an_issue_takes_no_severity_and_no_field_its_template_does_not_name() -> None:
    with pytest.raises(TypeError):
        issue("hidden-row", row=3, severity="info")  # one severity per code: the catalogue's
    with pytest.raises(TypeError):
        issue("hidden-row", row=3, hint="a field the template does not use")
    with pytest.raises(KeyError):
        issue("hidden-row", "no-such-wording", row=3)
    made = issue("hidden-row", row=3, file="r.xlsx", value="x" * 500)
    assert made.message == "Row 3 is hidden in Excel; it was read." and len(made.value) == 200


def test_severities_are_ranked_errors_first() -> None:
    assert sorted(Severity, key=lambda s: s.rank, reverse=True) == [Severity.INFO, Severity.WARNING, Severity.ERROR]
    assert [s.rank for s in Severity] == [0, 1, 2]


@dataclass(frozen=True)
class Call:
    where: str
    codes: frozenset[str]
    wordings: frozenset[str]  # "" is the code's own template
    keywords: frozenset[str]


def _calls() -> Iterator[Call]:
    for path in sorted(SRC.rglob("*.py")):
        if path.name != "issues.py":  # where they are defined (issue() calls render_message with its own code)
            yield from _calls_in(path, ast.parse(path.read_text(encoding="utf-8")))


def _calls_in(path: Path, function: ast.AST) -> Iterator[Call]:
    """Each call once, read in its innermost function (where its `where` dict and code name are)."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _calls_in(path, node)
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MAKERS:
            yield _read_call(path, function, node)
        stack.extend(ast.iter_child_nodes(node))


def _read_call(path: Path, function: ast.AST, node: ast.Call) -> Call:
    where = f"{path.relative_to(SRC)}:{node.lineno}"
    assert node.args, where
    codes = _strings(node.args[0], function) or UNRESOLVED.get((path.name, ast.unparse(node.args[0])), set())
    assert codes, f"{where}: cannot tell which code {ast.unparse(node.args[0])} holds"
    wordings = _wordings(node.args[1], function) if len(node.args) > 1 else {""}
    assert wordings, f"{where}: the wording must be a literal or a parameter typed Literal[...]"
    keywords: set[str] = set()
    for keyword in node.keywords:
        if keyword.arg is not None:
            keywords.add(keyword.arg)
        else:  # **where: a dict of coordinates, literal in the function when it can be read
            keywords |= _dict_keys(keyword.value, function) or set(COORDINATES)
    return Call(where, frozenset(codes), frozenset(wordings), frozenset(keywords))


def _wordings(node: ast.expr, function: ast.AST) -> set[str]:
    """The wordings a call can pick: a literal, either side of `a if x else b`, or each value of the
    function's parameter it names when that parameter is typed `Literal[...]` (read_kept_paper's `wording`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        either = _wordings(node.body, function), _wordings(node.orelse, function)
        return either[0] | either[1] if all(either) else set()
    if isinstance(node, ast.Name) and isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        for argument in function.args.args + function.args.kwonlyargs:
            if argument.arg == node.id and isinstance(argument.annotation, ast.Subscript):
                return {c.value for c in ast.walk(argument.annotation.slice)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return set()


def _strings(node: ast.expr, function: ast.AST) -> set[str]:
    """The string constants an argument can be: a literal, either side of `a if x else b`, or a name
    assigned one of those in the same function."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, function) | _strings(node.orelse, function)
    if isinstance(node, ast.Name):
        found: set[str] = set()
        for assign in ast.walk(function):
            if isinstance(assign, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id
                                                      for t in assign.targets):
                found |= _strings(assign.value, function)
        return found
    return set()


def _dict_keys(node: ast.expr, function: ast.AST) -> set[str]:
    if isinstance(node, ast.Name):
        for assign in ast.walk(function):
            if (isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Dict)
                    and any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets)):
                return {k.value for k in assign.value.keys if isinstance(k, ast.Constant)}
    return set()


def test_every_issue_call_in_src_uses_a_catalogued_code_with_the_fields_its_template_needs() -> None:
    calls = list(_calls())
    assert len(calls) > 60  # the reader found the calls (a regression in it would make this test empty)
    for call in calls:
        for code in call.codes:
            assert code in CODES, f"{call.where}: {code!r} is not in the catalogue"
            entry = CODES[code]
            for wording in call.wordings:
                assert not wording or wording in entry.wordings, f"{call.where}: no wording {wording!r}"
                needed = entry.fields_for(wording)
                assert needed <= call.keywords, f"{call.where}: {code} needs {sorted(needed - call.keywords)}"
                extra = call.keywords - needed - set(COORDINATES)
                assert not extra, f"{call.where}: {code} does not use {sorted(extra)}"


def test_every_code_and_wording_in_the_catalogue_is_used_in_src() -> None:
    used = {(code, wording) for call in _calls() for code in call.codes for wording in call.wordings}
    unused = [(code, wording) for code, entry in CODES.items() for wording in entry.names()
              if (code, wording) not in used]
    assert unused == []


def test_the_docs_show_each_code_with_its_severity_templates_and_advice() -> None:
    rows = {line.split(" | ")[0].strip("| `"): line
            for line in (ROOT / "docs" / "issues.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")}
    assert list(rows) == list(CODES)
    for code, entry in CODES.items():
        row = rows[code]
        assert f" | {entry.severity.value} | " in row
        for wording in entry.names():
            assert f"`{entry.template_for(wording)}`" in row and entry.advice_text(wording) in row
        assert not entry.partner_advice or f"*to the partner*: {entry.partner_advice}" in row
        assert not entry.partner_message or f"*to the partner*: `{entry.partner_message}`" in row
        for wording, advice in entry.partner_wordings.items():
            assert f"*to the partner, {wording}*: {advice}" in row


def test_a_partners_wording_of_a_message_is_made_from_the_fields_the_issue_keeps() -> None:
    """An acknowledgement words an issue already made, which keeps its coordinates and the fields it was made with:
    a partner's message naming a field that some wording of its code is not made with could not be filled in."""
    worded = {code: entry.partner_message for code, entry in CODES.items() if entry.partner_message}
    assert {"csv-not-checked", "withdrawn-ref", "prefilled-before-correction"} <= set(worded)
    for code, template in worded.items():
        in_every_wording = set.intersection(*(CODES[code].fields_for(name) for name in CODES[code].names()))
        assert placeholders(template) <= set(COORDINATES) | in_every_wording, code
        assert "outputs" not in template and "inputs/" not in template and "reportgen.toml" not in template, code


def test_a_problem_in_the_earlier_returns_read_to_carry_forward_is_a_note(tmp_path: Path) -> None:
    september = default_returns()
    september["opcc.xlsx"][1] = (2, "", "Finished-ish", "", "")
    make_workspace(tmp_path, period="2026-09", returns=september)
    october = default_returns()
    del october["opcc.xlsx"]
    make_workspace(tmp_path, period="2026-10", returns=october)
    checks = validate_draft(tmp_path, "2026-10")
    noted = [i for i in checks.issues if "read to carry statuses forward" in i.message]
    assert [(i.code, i.severity, i.file, i.row, i.ref, i.value) for i in noted] == [
        ("earlier-return-problem", Severity.INFO, "inputs/returns/2026-09/opcc.xlsx", 2, 2, "Finished-ish")]
    assert noted[0].message == ("(2026-09, read to carry statuses forward) Action 2: status 'Finished-ish' is not "
                                "recognised; it is not counted. Did you mean 'Completed'?")
    assert not checks.blocking
