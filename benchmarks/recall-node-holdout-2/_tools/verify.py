#!/usr/bin/env python3
"""Checks the planted.yaml files of this held-out set.

For every service directory next to _tools/: each listed file exists, each listed
line exists and is not blank, and each concern id appears in the taxonomy's
concern tables. Also prints per-service counts (files, lines, defects,
look-alikes) for the README table and checks them against the brief's ranges.

Usage: python3 _tools/verify.py [--taxonomy /work/shared/taxonomy.md]
Exit status is non-zero when any check fails.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

ENTRY = re.compile(
    r'^\s*-\s*\{file:\s*(?P<file>[^,]+),\s*line:\s*(?P<line>\d+),\s*concern:\s*(?P<concern>[a-z0-9-]+),\s*why:\s*"(?P<why>(?:[^"\\]|\\.)*)"\}\s*$'
)


def taxonomy_ids(path):
    ids = set()
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            m = re.match(r'^\|\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*\|', line)
            if m and m.group(1) != 'concern':
                ids.add(m.group(1))
    return ids


def parse_planted(path):
    """Minimal parser for the fixed planted.yaml layout (no PyYAML needed)."""
    header, sections, errors = {}, {'defects': [], 'lookalikes': []}, []
    current = None
    with open(path, encoding='utf-8') as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip('\n')
            if not line.strip():
                continue
            if line in ('defects:', 'lookalikes:'):
                current = line[:-1]
                continue
            if current is None:
                key, _, value = line.partition(':')
                header[key.strip()] = value.strip()
                continue
            m = ENTRY.match(line)
            if not m:
                errors.append(f'{path}:{n}: unparseable entry: {line}')
                continue
            sections[current].append({**m.groupdict(), 'line': int(m.group('line')), 'at': n})
    return header, sections, errors


def count_service(service_dir):
    files, lines = 0, 0
    for dirpath, dirnames, filenames in os.walk(service_dir):
        dirnames[:] = [d for d in dirnames if d not in ('node_modules', 'dist', '.git')]
        for name in filenames:
            if name == 'planted.yaml':
                continue
            files += 1
            with open(os.path.join(dirpath, name), encoding='utf-8') as fh:
                lines += sum(1 for _ in fh)
    return files, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--taxonomy', default='/work/shared/taxonomy.md')
    args = ap.parse_args()

    ids = taxonomy_ids(args.taxonomy)
    if not ids:
        print(f'no concern ids found in {args.taxonomy}', file=sys.stderr)
        return 2

    failures = []
    services = sorted(
        d for d in os.listdir(ROOT)
        if os.path.isdir(os.path.join(ROOT, d)) and not d.startswith(('_', '.'))
    )
    print(f'{"service":<16} {"files":>5} {"lines":>6} {"defects":>7} {"lookalikes":>10}')
    for svc in services:
        sdir = os.path.join(ROOT, svc)
        planted = os.path.join(sdir, 'planted.yaml')
        if not os.path.exists(planted):
            failures.append(f'{svc}: planted.yaml missing')
            continue
        header, sections, errors = parse_planted(planted)
        failures.extend(errors)
        if header.get('service') != svc:
            failures.append(f'{svc}: service: field is {header.get("service")!r}')
        if not header.get('framework'):
            failures.append(f'{svc}: framework: field missing')
        seen = set()
        for kind, entries in sections.items():
            for e in entries:
                where = f'{svc}/planted.yaml:{e["at"]}'
                if e['concern'] not in ids:
                    failures.append(f'{where}: concern {e["concern"]!r} is not in taxonomy.md')
                path = os.path.join(sdir, e['file'].strip())
                if not os.path.isfile(path):
                    failures.append(f'{where}: file {e["file"]} does not exist')
                    continue
                with open(path, encoding='utf-8') as fh:
                    text = fh.read().split('\n')
                if e['line'] < 1 or e['line'] > len(text):
                    failures.append(f'{where}: line {e["line"]} outside {e["file"]} ({len(text)} lines)')
                elif not text[e['line'] - 1].strip():
                    failures.append(f'{where}: {e["file"]}:{e["line"]} is blank')
                key = (e['file'].strip(), e['line'])
                if key in seen:
                    failures.append(f'{where}: {e["file"]}:{e["line"]} listed twice')
                seen.add(key)
                if not e['why'].strip():
                    failures.append(f'{where}: empty why')
        files, lines = count_service(sdir)
        nd, nl = len(sections['defects']), len(sections['lookalikes'])
        print(f'{svc:<16} {files:>5} {lines:>6} {nd:>7} {nl:>10}')
        for label, value, lo, hi in (('files', files, 15, 30), ('lines', lines, 1200, 2000),
                                     ('defects', nd, 15, 18), ('lookalikes', nl, 25, 35)):
            if not lo <= value <= hi:
                failures.append(f'{svc}: {label}={value} outside {lo}-{hi}')

    if failures:
        print('\nFAILED:')
        for f in failures:
            print('  ' + f)
        return 1
    print('\nOK: every planted line exists and is non-blank; every concern id is in taxonomy.md')
    return 0


if __name__ == '__main__':
    sys.exit(main())
