import sys, yaml
from pathlib import Path
root = Path(__file__).resolve().parent.parent / "lunchline"
d = yaml.safe_load(open(root / "planted.yaml"))
for kind in ("defects", "lookalikes"):
    print(f"== {kind} ({len(d[kind])})")
    for e in d[kind]:
        line = (root / e["file"]).read_text().splitlines()[e["line"] - 1]
        print(f"{e['file']}:{e['line']} [{e['concern']}] {line.strip()[:110]}")
