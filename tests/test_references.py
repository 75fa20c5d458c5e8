"""Every reference the prose makes still names something that exists.

The docs (README.md, docs/*.md) and the docstrings and comments of every .py file under planner/,
models/, tests/, bench/, inputs/ and docs/ name repository paths (``planner/workbook/schema.py``,
``docs/risks.md``, ``tests/verify.py``), modules (``planner.solving.reference``,
``planner.models.sets``) and the functions and classes in them (``planner.solving.plan.Plan``,
``results.tables.chosen_on_base``). After a file moves or a function goes, the prose that still
names it misleads the next reader; this test names each such reference by file and line.

How a reference is resolved:

* a path that starts with one of the repository's folders (planner/, models/, tests/, bench/,
  inputs/, docs/) from the repository's root; a bare file name ending in .md (a link between the
  docs) from the citing file's folder, else from the root. ``tests/builders.tiny`` is a file and
  a name in it.
* a dotted name from ``planner.``. A short form is read from ``planner.`` too: one that starts with
  a stage (``results.tables.chosen_on_base``, ``models.sets``: ``models`` is installed as
  ``planner.models``) as ``planner.<short form>``; one that starts with a module's own name
  (``engine.HighsSession.polish``, ``safety.sheet_data_only``) as that module's, any of them where
  two share the name. Other dotted names (a library's, a variable's attribute) are not the
  planner's and are left alone.
* The longest prefix that is a module is the module; the next part must be a name its source
  binds at top level (a def, a class, an assignment, an import, a name in its ``__all__`` or in a
  star-imported module's), followed through re-exports; a part after a class must be bound in the
  class's body. Parsed with ``ast``, nothing imported.
* A citation of the specification or the style guide the planner was written from (their
  files, or a section of them by the sign §) is stale wherever it stands: those documents are not
  in the repository; cite the repository's own docs (docs/workbook.md, docs/architecture.md, ...)
  instead.
* In a .py file only the prose is read: its comments, and the strings that stand as statements
  (docstrings); a string the code uses is data.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("planner", "models", "tests", "bench", "inputs", "docs")
# the first part of a short dotted form, read as planner.<it>: the stages
STAGES = ("workbook", "instance", "models", "solving", "results", "analyses", "report")
# a dotted name ending in one of these is a file name (report.xlsx, cli.py), not a module path
EXTENSIONS = {"py", "md", "xlsx", "json", "txt", "csv", "png", "toml", "zip", "xml", "lp", "mps"}

PATH = re.compile(rf"(?<![\w./~-])((?:{'|'.join(FOLDERS)})/[\w./*-]*)")
DOC = re.compile(r"(?<![\w./~-])([\w-]+\.md)\b")
DOTTED = re.compile(r"(?<![\w./~-])([A-Za-z_]\w*(?:\.\w+)+)")
# documents outside the repository
OUTSIDE = re.compile(r"\b(?:SPEC|STYLE)(?:\.md\b|\s*§)")


def cited_files() -> list[Path]:
    """The files whose prose is checked."""
    files = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), *sorted((REPO / "docs").glob("*.py"))]
    for folder in ("planner", "models", "tests", "bench", "inputs"):
        files += sorted(p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)
    return files


def prose(path: Path, text: str) -> list[tuple[int, str]]:
    """(line number, line) of the prose in `text`: every line of a doc; a .py file's comments and
    the strings that stand as statements (docstrings)."""
    if path.suffix != ".py":
        return list(enumerate(text.splitlines(), 1))
    out = [
        (node.lineno + i, line)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for i, line in enumerate(ast.get_source_segment(text, node).splitlines())
    ]
    out += [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type == tokenize.COMMENT
    ]
    return sorted(out)


# ---- a dotted name, resolved in the source without importing it ------------------------------


def module_file(module: str) -> Path | None:
    """The source of a module of the planner, given its dotted name, or None."""
    parts = module.split(".")
    if parts[0] != "planner":
        return None
    stem = REPO.joinpath(*parts[1:]) if parts[1:2] == ["models"] else REPO.joinpath(*parts)
    return next((p for p in (stem.with_suffix(".py"), stem / "__init__.py") if p.is_file()), None)


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def _statements(body: list[ast.stmt]):
    """The statements of a body, and those inside its if and try blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.Try):
            handlers = [h.body for h in getattr(node, "handlers", [])]
            for block in (node.body, node.orelse, getattr(node, "finalbody", []), *handlers):
                yield from _statements(block)


def _names(target: ast.expr):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for t in target.elts:
            yield from _names(t)


def _bound(node: ast.stmt) -> set[str]:
    """The names a statement other than an import binds."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {n for t in node.targets for n in _names(t)}
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return set(_names(node.target))
    return set()


def _listed(tree: ast.Module) -> set[str]:
    """The names in a module's __all__ (planner/__init__.py's load on first use)."""
    return {
        e.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and "__all__" in _bound(node)
        and isinstance(node.value, ast.List | ast.Tuple)
        for e in node.value.elts
        if isinstance(e, ast.Constant)
    }


def _source(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an import in `module` imports from."""
    if not node.level:
        return node.module or ""
    package = module if module_file(module).name == "__init__.py" else module.rpartition(".")[0]
    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*parts, node.module] if node.module else parts)


def binding(module: str, name: str) -> ast.stmt | str | None:
    """What `module` binds `name` to at top level: its def or class, the dotted name an import of
    the planner's brings it from, "" for anything else (an assignment, a library's name, a name in
    __all__); None if it binds nothing."""
    tree = _tree(module_file(module))
    for node in _statements(tree.body):
        if name in _bound(node):
            return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else ""
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (alias.asname or alias.name.partition(".")[0]) == name:
                    return alias.name if alias.asname else ""
        if isinstance(node, ast.ImportFrom):
            source = _source(module, node)
            for alias in node.names:
                star = alias.name == "*" and module_file(source) and binding(source, name) is not None
                if star or (alias.asname or alias.name) == name:
                    return f"{source}.{name if star else alias.name}"
    return "" if name in _listed(tree) else None


def resolves(dotted: str) -> bool:
    """Whether a dotted name from planner. is a module, a name in one, or a name in a class in one."""
    parts = dotted.split(".")
    cut = next((i for i in range(len(parts), 0, -1) if module_file(".".join(parts[:i]))), 0)
    if cut == 0:
        return False
    if cut == len(parts):
        return True
    found = binding(".".join(parts[:cut]), parts[cut])
    if isinstance(found, str) and found.startswith("planner."):
        return resolves(".".join([found, *parts[cut + 1 :]]))  # followed to where it is defined
    if isinstance(found, ast.ClassDef) and cut + 1 < len(parts):
        return any(parts[cut + 1] in _bound(node) for node in found.body)
    return found is not None


# ---- the checker -----------------------------------------------------------------------------


@cache
def basenames() -> dict[str, list[str]]:
    """Each module's own name -> the modules of the planner that have it (reader: two)."""
    out: dict[str, list[str]] = {}
    for path in [*(REPO / "planner").rglob("*.py"), *(REPO / "models").glob("*.py")]:
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] != "__init__":
            out.setdefault(parts[-1], []).append(
                ".".join(("planner", *parts) if parts[0] == "models" else parts)
            )
    return out


def readings(ref: str) -> list[str]:
    """The full dotted names `ref` may stand for: itself, from planner.; planner.<ref> for a
    stage's short form; the name in each module of that name for a module's short form; none for a
    dotted name that is not the planner's (a library's, a variable's attribute)."""
    first, _, rest = ref.partition(".")
    if first == "planner":
        return [ref]
    if first in STAGES:
        return ["planner." + ref]
    return [f"{module}.{rest}" for module in basenames().get(first, [])]


def path_exists(ref: str) -> bool:
    """Whether a path from the repository's root exists (a glob: matches something); a .py file's
    path without its suffix counts, and so does one followed by a name it binds (tests/builders.tiny)."""
    ref = ref.rstrip(".,;:")
    if any(c in ref for c in "*?"):
        return any(REPO.glob(ref))
    if (REPO / ref).exists() or (REPO / (ref + ".py")).is_file():
        return True
    stem, dot, rest = ref.partition(".")
    module = REPO / (stem + ".py")
    return (
        bool(dot)
        and module.is_file()
        and any(rest.split(".")[0] in _bound(n) for n in _statements(_tree(module).body))
    )


def stale(text: str, citing: Path) -> list[str]:
    """Every reference in the prose of `text` (the contents of `citing`) to a path, module or name
    that does not exist, and every citation of a document outside the repository: 'file:line:
    reference' each."""
    where = citing.relative_to(REPO) if citing.is_relative_to(REPO) else citing
    out = []
    for lineno, line in prose(citing, text):
        bad = [m.group(0) for m in OUTSIDE.finditer(line)]
        bad += [m.group(1) for m in PATH.finditer(line) if not path_exists(m.group(1))]
        bad += [
            m.group(1)
            for m in DOC.finditer(line)
            if not OUTSIDE.match(m.group(1))
            and not (citing.parent / m.group(1)).exists()
            and not path_exists(m.group(1))
        ]
        bad += [
            m.group(1)
            for m in DOTTED.finditer(line)
            if m.group(1).rsplit(".", 1)[-1] not in EXTENSIONS
            and (full := readings(m.group(1)))
            and not any(map(resolves, full))
        ]
        out += [f"{where}:{lineno}: {ref}" for ref in bad]
    return out


def test_every_reference_in_the_prose_exists():
    found = [line for path in cited_files() for line in stale(path.read_text(), path)]
    assert found == [], "stale references:\n" + "\n".join(found)


def test_the_checker_names_a_stale_path_a_stale_name_and_an_outside_document(tmp_path):
    # planted: the schema before it moved into workbook/, a view before views.py, the brief and the
    # style guide
    schema, weighed = "planner" + "/schema.py", "planner" + ".scenarios.weighed"
    text = (
        f'"""Read the sheets of {schema} (SPEC.md §3)."""\n\n# fans: {weighed} (SPEC §9, STYLE §5)\nx = 1\n'
    )
    where = tmp_path / "stale.py"
    assert stale(text, where) == [
        f"{where}:1: SPEC.md",
        f"{where}:1: {schema}",
        f"{where}:3: SPEC §",
        f"{where}:3: STYLE §",
        f"{where}:3: {weighed}",
    ]


def test_the_checker_reads_code_as_code_and_prose_as_prose(tmp_path):
    # a string in the code is data, not prose; the same reference in a doc is checked, its short
    # form from planner., and a name inside a class
    code = 'LAYER = "planner' + '.report.labels"\n'
    assert stale(code, tmp_path / "code.py") == []
    doc = (
        "`results.tables.chosen_on_base`, `solving.plan.Plan.until`, `planner.load`, models/sets.py,\n"
        "`solving.plan.Plan.nowhere`, `analyses.reference.BaseAlone`, risks.md\n"
    )
    assert stale(doc, REPO / "docs" / "planted.md") == [
        "docs/planted.md:2: solving.plan.Plan.nowhere",
        "docs/planted.md:2: analyses.reference.BaseAlone",
    ]
