"""The layers stay layered: core imports no Qt, receivers no widgets."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap

import monitor_app.core
import monitor_app.receivers

BLOCK_PYSIDE = textwrap.dedent(
    """
    import importlib.abc, sys
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "PySide6" or name.startswith("PySide6."):
                raise ImportError(f"{name} is blocked in this test")
            return None
    sys.meta_path.insert(0, Block())
    """
)


def _modules(package: object) -> list[str]:
    return [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]  # type: ignore[attr-defined]


def test_every_core_module_imports_without_pyside6() -> None:
    modules = _modules(monitor_app.core)
    assert "monitor_app.core.layouts.model" in modules and len(modules) > 10
    code = BLOCK_PYSIDE + "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_blocker_really_blocks_pyside6() -> None:
    """Guards the test above: a module that needs PySide6 must fail under the blocker."""
    code = BLOCK_PYSIDE + "import monitor_app.receivers.threads\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "blocked" in result.stderr


def test_receivers_never_import_widgets() -> None:
    modules = _modules(monitor_app.receivers)
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "assert 'PySide6.QtWidgets' not in sys.modules, 'receivers imported QtWidgets'\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
