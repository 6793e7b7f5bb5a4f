"""The lock file agrees with pyproject.toml: every pinned dependency at the same version."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_pin_of_pyproject_is_in_the_lock_file():
    """A dependency added to pyproject.toml without `make lock` would not be installed by `make install`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"]) + [d for extra in project["optional-dependencies"].values() for d in extra]
    locked = {_name(m.group(1)): m.group(2) for line in (ROOT / "requirements.lock").read_text().splitlines()
              if (m := PIN.match(line))}
    for requirement in wanted:
        pin = PIN.match(requirement)
        assert pin, f"{requirement}: pin every direct dependency with == in pyproject.toml"
        name, version = _name(pin.group(1)), pin.group(2)
        assert locked.get(name) == version, f"{name}=={version} is not in requirements.lock: run `make lock`"
