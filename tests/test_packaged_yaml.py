"""The packaged YAML files parse to the same values with `packaged_yaml` (libyaml when present)
as with `yaml.safe_load`: the faster loader changes no table the tool reads."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from servicelens.packaged_yaml import packaged_yaml

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "servicelens"
FILES = sorted(PACKAGE.rglob("*.yaml"))


def test_there_are_packaged_files() -> None:
    assert len(FILES) > 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_same_value_as_safe_load(path: Path) -> None:
    text = path.read_text("utf-8")
    assert packaged_yaml(text) == yaml.safe_load(text)


def test_rejects_what_safe_load_rejects() -> None:
    with pytest.raises(yaml.YAMLError):
        packaged_yaml("!!python/object/apply:os.system ['true']")
