"""The notebooks are thin (STYLE.md): a first markdown cell saying purpose, inputs and outputs;
one parameters cell; calls into ``analysis/``; no function or class definitions; outputs
stripped before commit. ``make test`` runs them (``--nbmake``); this file checks their form.
"""

import ast
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED = (
    "01_load_and_check", "02_resolve_people", "03_many_hats", "04_duplicate_projects",
    "05_bridges_and_communities", "06_quarterly_review", "07_forum_pictures",
)
#: Words the first cell must hold: what the notebook is for, what it reads, what it writes.
HEADINGS = ("**Purpose.**", "**Inputs.**", "**Outputs.**")
#: The kernel nbmake starts; ipykernel installs it into every venv as ``python3``.
KERNEL = "python3"


def find_definitions(source: str) -> list[str]:
    """``def NAME`` / ``class NAME`` for every function or class defined in a code cell.

    Examples
    --------
    >>> find_definitions("x = 1\\nclass A:\\n    def f(self): pass")
    ['class A', 'def f']
    >>> find_definitions("print('def f(): in a string is fine')")
    []
    """
    kinds = {ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.ClassDef: "class"}
    return [f"{kinds[type(node)]} {node.name}" for node in ast.walk(ast.parse(source)) if type(node) in kinds]


def find_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Every way ``nb`` breaks the notebook rules, one sentence each; empty when thin."""
    cells = nb.cells
    problems = []
    if not cells or cells[0].cell_type != "markdown":
        problems.append("the first cell is not markdown")
    elif missing := [h for h in HEADINGS if h not in cells[0].source]:
        problems.append(f"the first cell does not say {', '.join(missing)}")
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1 or cells[tagged[0]].cell_type != "code":
        problems.append(f"{len(tagged)} cells tagged 'parameters' (one code cell should be)")
    if nb.metadata.get("kernelspec", {}).get("name") != KERNEL:
        problems.append(f"the kernel is not {KERNEL!r}")
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i} has an execution count")
        for definition in find_definitions(cell.source):
            problems.append(f"cell {i} defines {definition}")
    return problems


def test_every_notebook_is_there():
    assert [path.stem for path in NOTEBOOKS] == list(EXPECTED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_is_thin(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert find_problems(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_parameters_point_at_the_bundled_sample(path):
    nb = nbformat.read(path, as_version=4)
    source = next(c.source for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    assert "SAMPLE_DIR" in source and "REPORTS_DIR" in source


def test_the_rules_can_fail():
    nb = new_notebook(cells=[
        new_code_cell("DATASET = 'x'", metadata={"tags": ["parameters"]}),
        new_code_cell("def load(path):\n    return path", execution_count=3,
                      outputs=[nbformat.v4.new_output("stream", text="hi")]),
        new_markdown_cell("no headings"),
    ])
    assert find_problems(nb) == [
        "the first cell is not markdown",
        "the kernel is not 'python3'",
        "cell 1 has outputs",
        "cell 1 has an execution count",
        "cell 1 defines def load",
    ]


def test_a_first_cell_without_purpose_inputs_and_outputs_fails():
    nb = new_notebook(cells=[new_markdown_cell("# A title"), new_code_cell("x = 1", metadata={"tags": ["parameters"]})],
                      metadata={"kernelspec": {"name": KERNEL, "display_name": "Python 3"}})
    assert find_problems(nb) == ["the first cell does not say **Purpose.**, **Inputs.**, **Outputs.**"]
