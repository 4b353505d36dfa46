"""Structural check of the design corpus: YAML parses, required keys exist,
every number written in a requirement's text is covered by a `stated` phrase,
and every stated phrase occurs verbatim in the text.

Usage: python3 benchmarks/design/corpus/check_corpus.py
"""
import glob
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
NUM = re.compile(r"\d[\d,.]*")
SYSTEM_KEYS = ("id", "kind", "describes_a_system", "text", "stated", "figures",
               "operations", "components", "invariants", "constraints")


def check(path):
    errs = []
    try:
        doc = yaml.safe_load(open(path, encoding="utf-8"))
    except yaml.YAMLError as e:
        return [f"YAML error: {e}"]
    name = os.path.basename(path)[: -len(".yaml")]
    if doc.get("id") != name:
        errs.append(f"id {doc.get('id')!r} != file name {name!r}")
    text = doc.get("text") or ""
    if not text.strip():
        errs.append("empty text")
    if not doc.get("describes_a_system"):
        return errs
    for key in SYSTEM_KEYS:
        if key not in doc:
            errs.append(f"missing key {key}")
    stated = doc.get("stated") or []
    flat = " ".join(text.split())
    phrases = []
    for s in stated:
        p = " ".join(str(s.get("phrase", "")).split())
        phrases.append(p)
        if p not in flat:
            errs.append(f"stated phrase not in text: {p!r}")
        for k in ("quantity", "value"):
            if k not in s:
                errs.append(f"stated {p!r} lacks {k}")
    for m in NUM.finditer(flat):
        tok = m.group().rstrip(".,")
        start = m.start()
        end = start + len(tok)
        if start > 0 and flat[start - 1].isalpha() and end < len(flat) and flat[end].isalpha():
            continue  # a digit inside a word (B2B, H3) is a name, not a quantity
        covered = any(
            start >= i and start < i + len(p)
            for p in phrases
            for i in [j.start() for j in re.finditer(re.escape(p), flat)]
        ) if phrases else False
        if not covered:
            errs.append(f"number {tok!r} not covered by a stated phrase")
    figs = doc.get("figures") or []
    if not (3 <= len(figs) <= 6):
        errs.append(f"{len(figs)} figures (want 3-6)")
    for f in figs:
        for k in ("name", "value", "unit", "tolerance", "derivation"):
            if k not in f:
                errs.append(f"figure {f.get('name')!r} lacks {k}")
    for f in figs:
        if not isinstance(f.get("value"), (int, float)) or not isinstance(f.get("tolerance"), (int, float)):
            errs.append(f"figure {f.get('name')!r}: value and tolerance must be numbers")
    listed = list(doc.get("constraints") or []) + list(doc.get("must_not") or [])
    for inv in doc.get("invariants") or []:
        if not inv.get("mechanisms"):
            errs.append(f"invariant without mechanisms: {inv.get('text')!r}")
        listed += list(inv.get("mechanisms") or [])
    for item in listed:
        # an unquoted flow-sequence item with a comma inside parentheses is split by YAML
        if not isinstance(item, str) or item.count("(") != item.count(")"):
            errs.append(f"list item looks split by YAML: {item!r}")
    return errs


def main():
    bad = 0
    kinds = {}
    for half in ("dev", "test"):
        files = sorted(glob.glob(os.path.join(HERE, half, "*.yaml")))
        sys_n = non = 0
        for f in files:
            errs = check(f)
            try:
                doc = yaml.safe_load(open(f, encoding="utf-8"))
            except yaml.YAMLError:
                doc = {}
            if doc.get("describes_a_system"):
                sys_n += 1
                kinds.setdefault(doc.get("kind"), set()).add(half)
            else:
                non += 1
            for e in errs:
                bad += 1
                print(f"{half}/{os.path.basename(f)}: {e}")
        hk = sorted(k for k, h in kinds.items() if half in h)
        print(f"{half}: {sys_n} requirements, {len(hk)} kinds, {non} non-system texts")
    for k, h in kinds.items():
        if len(h) > 1:
            bad += 1
            print(f"kind {k!r} appears in both halves")
    print("OK" if not bad else f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
