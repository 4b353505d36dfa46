"""Check every planted line exists and is non-blank, every concern id is in taxonomy.md,
and no concern is planted as a defect more than twice per service."""
import collections, pathlib, re, sys
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
TAX = pathlib.Path("/work/shared/taxonomy.md").read_text()
CONCERNS = set(re.findall(r"^\| ([a-z0-9-]+) \|", TAX, re.M)) - {"concern"}
ok = True
for svc in ("warehouse-api", "subscriptions-svc"):
    data = yaml.safe_load((ROOT / svc / "planted.yaml").read_text())
    assert data["service"] == svc
    counts = collections.Counter()
    for kind in ("defects", "lookalikes"):
        for e in data[kind]:
            lines = (ROOT / svc / e["file"]).read_text().splitlines()
            n = e["line"]
            if not (1 <= n <= len(lines)) or not lines[n - 1].strip():
                print("BAD LINE", svc, e); ok = False
            if e["concern"] not in CONCERNS:
                print("BAD CONCERN", svc, e["concern"]); ok = False
            if kind == "defects":
                counts[e["concern"]] += 1
            if "-v" in sys.argv:
                print(f"{svc} {kind[:4]} {e['file']}:{n} [{e['concern']}]  {lines[n-1].strip()[:110]}")
    over = {c: k for c, k in counts.items() if k > 2}
    if over:
        print("TOO MANY", svc, over); ok = False
    print(svc, "defects", len(data["defects"]), "lookalikes", len(data["lookalikes"]), "concerns known:", len(CONCERNS))
print("OK" if ok else "FAILED")
