"""The shape of the code: short functions with few parameters.

No function of the package is longer than about 40 lines of code (blank
lines, comments and its docstring not counted) or takes more than 5
parameters (``self``/``cls`` not counted), apart from the public signatures
the specification pins (the estimators' ``fit`` and the displays'
constructors and ``from_estimator``).
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "skembed"
MAX_LINES = 40
MAX_PARAMETERS = 5
PUBLIC_SIGNATURES = {
    ("_base.py", "fit"),
    ("plotting/_embedding.py", "__init__"),
    ("plotting/_embedding.py", "from_estimator"),
    ("plotting/_loss_curve.py", "__init__"),
}


def functions():
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield path.relative_to(PACKAGE).as_posix(), node, source.splitlines()


def lines_of_code(node, lines):
    body = node.body
    docstring = None
    if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        docstring = range(body[0].lineno, body[0].end_lineno + 1)
    count = 0
    for number in range(node.lineno, node.end_lineno + 1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#") and not (docstring and number in docstring):
            count += 1
    return count


def n_parameters(node):
    args = node.args
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return len([name for name in names if name not in ("self", "cls")])


def test_functions_are_short():
    too_long = [
        f"{path}:{node.lineno} {node.name}: {lines_of_code(node, lines)} lines, "
        f"{n_parameters(node)} parameters"
        for path, node, lines in functions()
        if (path, node.name) not in PUBLIC_SIGNATURES
        and (lines_of_code(node, lines) > MAX_LINES or n_parameters(node) > MAX_PARAMETERS)
    ]
    assert not too_long, "\n".join(too_long)


def test_the_check_sees_every_module():
    modules = {path for path, _, _ in functions()}
    assert {"_base.py", "_training.py", "plotting/_common.py", "_cli/demo.py"} <= modules
