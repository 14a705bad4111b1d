"""The import contract holds (tests/import_contract.py): no cycles inside a package, tasks and
services never import views or the API. CI also runs it before the suite."""

from __future__ import annotations

from pathlib import Path

from tests import import_contract


def test_the_code_keeps_the_import_contract():
    assert import_contract.problems() == []


def test_the_contract_catches_a_cycle_hidden_in_a_function(tmp_path, monkeypatch):
    package = tmp_path / "demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "services.py").write_text("from . import models\n")
    (package / "models.py").write_text("def f():\n    from .services import x\n")
    (package / "tasks.py").write_text("from .views import page\n")
    (package / "views.py").write_text("")
    monkeypatch.setattr(import_contract, "ROOT", tmp_path)
    monkeypatch.setattr(import_contract, "PACKAGES", [Path(package)])
    found = import_contract.problems()
    assert any("import cycle" in p and "demo.models -> demo.services" in p for p in found)
    assert any("demo.tasks imports demo.views" in p for p in found)
