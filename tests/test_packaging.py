"""The wheel carries the schemas: install it into a fresh venv and check a canon there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_in_fresh_venv_checks_the_canon(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("jobframe_lint-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    # Nothing but the venv: a PYTHONPATH (.ci/run points it at its clone) would make pip
    # take the project as installed already and Python import it from there.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        timeout=300,
        env=env,
    )
    # Run away from the checkout so nothing but the installed wheel can be imported.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [str(bin_dir / "jobframe-lint"), "check", str(ROOT / "canon")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert (done.returncode, done.stdout) == (0, "All checks passed (2 files).\n"), done.stderr
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import jobframe_lint; print(jobframe_lint.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert Path(where.stdout.strip()).is_relative_to(env_dir)
