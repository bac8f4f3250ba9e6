"""The built wheel works on its own: data files and prompts are inside it.

Builds the wheel, installs it (without dependencies) into a fresh virtualenv that borrows the
project's installed dependencies, and runs `guidebot index`, `ask` and `review` from a folder
outside the checkout, so nothing can come from the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE, REPO


@pytest.mark.slow
def test_the_wheel_indexes_answers_and_reviews_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    wheel = next(dist.glob("guidebot-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    site = Path(
        subprocess.check_output(
            [
                venv / "bin/python",
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            text=True,
        ).strip()
    )
    # The dependencies come from the project's environment (a path line, so its editable
    # finder for `bot` is not loaded); `bot` itself only from the wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [venv / "bin/python", "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GUIDEBOT_")}
    environ |= {"HF_HUB_OFFLINE": "1", "PYTHONPATH": "",
                "GUIDEBOT_DATABASE_URL": f"sqlite:///{work / 'audit.db'}"}  # fmt: skip
    guidebot = [str(venv / "bin/guidebot")]
    where = ["--knowledge", str(KNOWLEDGE), "--store", str(work / "store")]

    def run(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run([*guidebot, *args, *where], cwd=work, env=environ, input=stdin,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    located = subprocess.check_output(
        [venv / "bin/python", "-c", "import bot; print(bot.__file__)"], cwd=work, env=environ,
        text=True,
    )  # fmt: skip
    assert str(site) in located  # the installed copy, not the checkout
    run("index")
    answer = json.loads(run("ask", "--json", "Darf ich Fotos vom neuen Prototyp posten?"))
    assert answer["answered"] and answer["sources"]
    review = json.loads(run("review", "--json", "-", stdin="Polarstern launches next week!\n"))
    assert review["verdict"] == "do_not_post"
