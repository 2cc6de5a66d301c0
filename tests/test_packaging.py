"""The two install routes (pip from the lock, conda from environment.yml) pin the same versions."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    return dict(spec.split("==") for spec in specs)


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return dict(spec.split("==") for spec in pip)


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_environment_yml_pins_the_same_versions_as_pyproject():
    assert environment_pins() == pyproject_pins()


def test_every_direct_dependency_is_locked_at_its_pin():
    lock = lock_pins()
    for name, version in pyproject_pins().items():
        assert lock.get(re.sub(r"[-_.]+", "-", name).lower()) == version, name


def test_every_pin_is_exact():
    assert all(re.fullmatch(r"[\w.]+", v) for v in pyproject_pins().values())
