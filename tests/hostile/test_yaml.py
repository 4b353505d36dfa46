"""Hostile YAML: alias/merge-key bombs and self-referencing nodes in every YAML the tool
reads. Each must become a `yaml-budget` diagnostic in seconds while the rest of the
review (a vulnerable Python file, a bad Dockerfile, sibling documents) is still reported."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from servicelens.cli.main import main
from servicelens.infra.yamldoc import load_documents
from servicelens.sources.yaml_budget import YamlBudget, YamlBudgetError, compose_checked, load_yaml, measure
from servicelens.taint.models import ModelError, load_models
from tests.hostile.conftest import VULNERABLE_PY

LEVELS = 9  # 10 uses per level: 10^9 expansions if anything walked it
DEADLINE_S = 20.0  # generous: a walk of the expansion would take hours

BAD_DOCKERFILE = "FROM python:latest\nRUN pip install flask\n"


def merge_bomb(indent: str = "", levels: int = LEVELS) -> list[str]:
    """`x-lN: &aN {<<: [*aN-1 x10], kN: v}`: merge keys nested level by level. Before the
    budget, one lookup of a missing key in a node merging `*a7` took over a minute."""
    lines = [f"{indent}x-l0: &a0 {{k: v, z: 1}}"]
    for level in range(1, levels + 1):
        sources = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"{indent}x-l{level}: &a{level} {{<<: [{sources}], k{level}: v}}")
    return lines


def list_bomb(indent: str = "", levels: int = LEVELS) -> list[str]:
    """`bN: &bN [*bN-1 x10]`: aliases of lists, no merge key at all."""
    lines = [f"{indent}x-b0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{indent}x-b{n}: &b{n} [{', '.join([f'*b{n - 1}'] * 10)}]" for n in range(1, levels + 1)]
    return lines


def compose_bomb() -> str:
    return "\n".join([*merge_bomb(), "services:", "  web:", "    image: nginx:1.25", f"    <<: *a{LEVELS}",
                      "    command: *a9", ""])


def k8s_bomb() -> str:
    return "\n".join([
        "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", *merge_bomb(), "spec:",
        "  template:", "    spec:", "      containers:", "        - name: web", "          image: nginx:1.25",
        f"          <<: *a{LEVELS}", "          env: *a9", ""])


def openapi_bomb() -> str:
    return "\n".join([
        "openapi: 3.0.0", "info: {title: t, version: '1'}", *list_bomb(), *merge_bomb(), "paths:",
        "  /users:", "    get:", f"      <<: *a{LEVELS}", "      parameters: *b9",
        "      responses: {'200': {description: ok}}", ""])


def review_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict, float]:
    out = tmp_path.parent / f"{tmp_path.name}-report.json"
    started = time.monotonic()
    # extended: these tests are about what still gets reviewed, whatever the default profile keeps
    code = main(["review", str(tmp_path), "--format", "json", "--no-cache", "--quiet", "--profile", "extended",
                 "--output", str(out), *extra])
    elapsed = time.monotonic() - started
    capsys.readouterr()
    return code, json.loads(out.read_text("utf-8")), elapsed


def with_neighbours(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(VULNERABLE_PY)
    (tmp_path / "Dockerfile").write_text(BAD_DOCKERFILE)


def concerns(report: dict) -> set[str]:
    return {f["concern"] for f in report["findings"]}


def budget_diagnostics(report: dict, path: str) -> list[dict]:
    return [d for d in report["diagnostics"] if d["kind"] == "yaml-budget" and d["path"] == path]


@pytest.mark.parametrize(("name", "text"), [
    ("docker-compose.yml", compose_bomb()),
    ("k8s/deployment.yaml", k8s_bomb()),
    ("openapi.yaml", openapi_bomb()),
])
def test_bomb_is_refused_quickly_and_the_rest_is_reviewed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          name: str, text: str) -> None:
    with_neighbours(tmp_path)
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    code, report, elapsed = review_json(tmp_path, capsys)
    assert code == 0
    assert elapsed < DEADLINE_S
    [diagnostic] = budget_diagnostics(report, name)
    assert diagnostic["line"] > 1
    assert "expand" in diagnostic["message"] or "refers to itself" in diagnostic["message"]
    assert {"command-injection", "container-runs-as-root"} <= concerns(report)


@pytest.mark.parametrize("text", [
    "services:\n  web: &w\n    image: nginx\n    <<: *w\n",
    "services:\n  web:\n    image: nginx\n    command: &s [run, *s]\n",
    "x-a: &a {b: *a}\nservices:\n  web: {image: nginx, <<: *a}\n",
])
def test_self_reference_is_a_diagnostic_and_the_report_is_made(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               text: str) -> None:
    with_neighbours(tmp_path)
    (tmp_path / "docker-compose.yml").write_text(text)
    code, report, elapsed = review_json(tmp_path, capsys)
    assert code == 0  # exit 1 means only "a finding reached --fail-on"
    [diagnostic] = budget_diagnostics(report, "docker-compose.yml")
    assert "refers to itself" in diagnostic["message"]
    assert diagnostic["line"] >= 1
    assert {"command-injection", "container-runs-as-root"} <= concerns(report)


def test_self_reference_with_fail_on_still_exits_on_findings_only(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docker-compose.yml").write_text("services:\n  web: &w\n    <<: *w\n")
    code, report, _ = review_json(tmp_path, capsys, "--fail-on", "low")
    assert code == 0 and not report["findings"]
    assert budget_diagnostics(report, "docker-compose.yml")


def test_only_the_bad_document_of_a_stream_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: api\n          image: example/api:latest\n")
    (tmp_path / "all.yaml").write_text(k8s_bomb() + "---\n" + good)
    code, report, elapsed = review_json(tmp_path, capsys)
    assert code == 0 and elapsed < DEADLINE_S
    assert budget_diagnostics(report, "all.yaml")
    later = [f for f in report["findings"] if f["location"]["path"] == "all.yaml"
             and f["location"]["start_line"] > k8s_bomb().count("\n")]
    assert later, "the valid document after the bomb must still be reviewed"


def test_ref_target_bomb_is_reported_on_the_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /users:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n"
        "          content: {application/json: {schema: {$ref: 'schemas.yaml#/User'}}}\n")
    (tmp_path / "schemas.yaml").write_text("\n".join([*list_bomb(), "User: {type: object, properties: *b9}", ""]))
    code, report, elapsed = review_json(tmp_path, capsys)
    assert code == 0 and elapsed < DEADLINE_S
    assert budget_diagnostics(report, "schemas.yaml")
    assert any("could not be read" in d["message"] for d in report["diagnostics"] if d["path"] == "openapi.yaml")


def test_user_model_files_go_through_the_budget(tmp_path: Path) -> None:
    text = "\n".join([*list_bomb(), "framework: evil", "sources: *b9", ""])
    with pytest.raises(YamlBudgetError):
        load_yaml(text)
    with pytest.raises(yaml.YAMLError):  # existing handlers of invalid YAML catch it too
        load_yaml("a: &a [*a]\n")
    (tmp_path / "evil.yaml").write_text(text)
    with pytest.raises(ModelError, match=r"evil\.yaml: line \d+: aliases and merge keys expand"):
        load_models("python", (str(tmp_path),))


def test_design_spec_bomb_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("\n".join(["version: 1", "requirement: a payments API", *[f"# {n}" for n in range(2)],
                               "domains: &d [payments, *d]", ""]))
    started = time.monotonic()
    code = main(["design", str(spec)])
    err = capsys.readouterr().err
    assert time.monotonic() - started < DEADLINE_S
    assert code == 2
    assert err.startswith("servicelens") and "line 5" in err and "refers to itself" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_measure_is_linear_and_finds_the_blow_up_line() -> None:
    node = yaml.compose("\n".join(merge_bomb(levels=40)), Loader=yaml.CSafeLoader)
    started = time.monotonic()
    shape = measure(node)
    assert time.monotonic() - started < 1.0
    assert shape.expanded > 10 ** 40 or shape.expanded == 1 << 62
    with pytest.raises(YamlBudgetError) as caught:
        compose_checked("\n".join(merge_bomb(levels=40)))
    # levels 0..4 stay within the 200,000 floor (11^5 * 5 > 200,000): level 5 is where it blows up
    assert caught.value.line == 6


def test_real_anchor_use_stays_well_within_budget() -> None:
    common = "x-common: &common\n  restart: always\n  environment: &env\n" + "".join(
        f"    VAR_{i}: v{i}\n" for i in range(30)) + "  logging: {driver: json-file}\n"
    services = "services:\n" + "".join(f"  s{i}:\n    <<: *common\n    image: app:{i}\n" for i in range(50))
    docs, problems = load_documents(common + services)
    assert len(docs) == 1 and not problems


def test_deep_nesting_through_aliases_is_refused() -> None:
    chain = "\n".join(["x0: &x0 [leaf]", *[f"x{n}: &x{n} [*x{n - 1}]" for n in range(1, 400)], ""])
    _, problems = load_documents(chain)
    assert [p.kind for p in problems] == ["yaml-budget"]
    assert "levels deep" in problems[0].message


def test_budget_is_per_file_so_many_small_bombs_add_up() -> None:
    small = "\n".join([*list_bomb(levels=3), ""])  # 10^4 leaves: fine alone
    budget = YamlBudget(floor=50_000, ratio=10)
    docs, problems = load_documents("---\n".join([small] * 20), budget)
    assert problems and all(p.kind == "yaml-budget" for p in problems)
    assert 1 <= len(docs) < 20


def test_aliasing_a_long_string_is_counted_by_its_length() -> None:
    text = 's: &s "' + "x" * 100_000 + '"\nb: [' + ", ".join(["*s"] * 2000) + "]\n"
    _, problems = load_documents(text)
    assert [p.kind for p in problems] == ["yaml-budget"]
