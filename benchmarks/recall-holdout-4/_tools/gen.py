"""Resolve anchors to 1-based line numbers and write planted.yaml."""
import importlib, json, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def resolve(service, file, anchor):
    lines = (ROOT / service / file).read_text().splitlines()
    hits = [i + 1 for i, l in enumerate(lines) if anchor in l]
    if len(hits) != 1:
        sys.exit(f"{service}/{file}: anchor {anchor!r} matched {hits}")
    return hits[0]


def q(s):
    return json.dumps(s)  # JSON string is valid YAML double-quoted scalar


for modname in ("spec_warehouse", "spec_subs"):
    m = importlib.import_module(modname)
    out = [f"service: {m.SERVICE}", f"framework: {q(m.FRAMEWORK)}", "defects:"]
    for file, anchor, concern, why in m.DEFECTS:
        out.append(f"  - {{file: {file}, line: {resolve(m.SERVICE, file, anchor)}, concern: {concern}, why: {q(why)}}}")
    out.append("lookalikes:")
    for file, anchor, concern, why in m.LOOKALIKES:
        out.append(f"  - {{file: {file}, line: {resolve(m.SERVICE, file, anchor)}, concern: {concern}, why: {q(why)}}}")
    (ROOT / m.SERVICE / "planted.yaml").write_text("\n".join(out) + "\n")
    print(m.SERVICE, len(m.DEFECTS), len(m.LOOKALIKES))
