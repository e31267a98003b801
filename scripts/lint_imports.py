"""Check the import contracts of pyproject.toml ([tool.importlinter]).

import-linter needs every root package to exist; the contracts also name apps that
land later (reports, integrations, publishing, notifications). This runner keeps the
configuration as written but drops, from the root packages and from the forbidden
contracts' module lists, the packages not in this checkout (the layers contract
marks them optional), then runs ``lint-imports`` on the result. Exit status: its.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def exists(package: str) -> bool:
    return (ROOT / package.split(".")[0] / "__init__.py").is_file()


def ini_list(values: list[str]) -> str:
    return "".join(f"\n    {value}" for value in values)


def config() -> str:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]
    roots = [p for p in settings["root_packages"] if exists(p)]
    lines = [
        "[importlinter]",
        f"root_packages ={ini_list(roots)}",
        f"include_external_packages = {settings.get('include_external_packages')}",
    ]
    for number, contract in enumerate(settings["contracts"]):
        lines += [f"\n[importlinter:contract:{number}]", f"name = {contract['name']}"]
        for key, value in contract.items():
            if key == "name":
                continue
            if isinstance(value, list):
                if key != "layers":
                    value = [module for module in value if exists(module)]
                lines.append(f"{key} ={ini_list(value)}")
            else:
                lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as file:
        file.write(config())
    lint = Path(sys.executable).with_name("lint-imports")
    try:
        return subprocess.call([str(lint), "--config", file.name], cwd=ROOT)
    finally:
        Path(file.name).unlink()


if __name__ == "__main__":
    sys.exit(main())
