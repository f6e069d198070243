"""`./run security` (bandit) fails on a high-severity problem, passes one explained in place, and
passes on the project's own code as it stands."""
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNSAFE = "import subprocess\n\n\ndef run(command):\n    return subprocess.call(command, shell=True){note}\n"

pytestmark = pytest.mark.unit


def scan(*paths) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "run"), "security", *map(str, paths)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_a_high_severity_problem_fails_the_scan(tmp_path):
    (tmp_path / "unsafe.py").write_text(UNSAFE.format(note=""))
    result = scan(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "B602" in result.stdout and "unsafe.py" in result.stdout


def test_a_problem_explained_in_place_passes(tmp_path):
    (tmp_path / "explained.py").write_text(UNSAFE.format(note="  # nosec B602  # the command is a constant of ours"))
    result = scan(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_project_passes_the_scan():
    result = scan()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no high-severity finding in core channels chopbar menus state_machines simulators" in result.stdout
