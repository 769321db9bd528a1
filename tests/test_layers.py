"""The layers stay apart: the import contracts in pyproject.toml ([tool.importlinter]) hold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is missing (pip install -e '.[test]' brings it)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def _graph():
    import grimp

    sys.path.insert(0, str(ROOT / "src"))
    return grimp.build_graph("voicemail_coach", cache_dir=None)


def test_no_module_imports_one_that_imports_it_back():
    graph = _graph()
    cycles = sorted((a, b) for a in graph.modules for b in graph.find_modules_directly_imported_by(a)
                    if b != a and graph.chain_exists(importer=b, imported=a))
    assert cycles == []


def test_no_module_imports_another_module_s_private_names():
    import ast

    borrowed = []
    for path in sorted((ROOT / "src" / "voicemail_coach").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("voicemail_coach"):
                borrowed += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
    assert borrowed == []
