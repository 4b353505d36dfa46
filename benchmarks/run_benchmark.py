#!/usr/bin/env python3
"""Speed benchmark: servicelens vs Bandit vs Semgrep on one large Python backend.

Every tool gets exactly the same .py files: the Python files servicelens itself discovers
under the corpus (its own walker, .gitignore and default excludes honoured), passed to
Bandit and Semgrep as explicit file arguments. For each run the script records wall time,
physical lines per second, peak memory and the number of findings, then prints a Markdown
table (and writes it to --output).

    python3 benchmarks/run_benchmark.py                          # corpus at benchmarks/.work/corpus
    python3 benchmarks/run_benchmark.py --corpus /path/to/saleor \
        --semgrep-rules /path/to/semgrep-rules/python --output benchmarks/.work/results.md

Bandit, Semgrep and psutil are installed from PyPI into benchmarks/.work/venv (never into
the project venv). Semgrep runs offline: local rules only, --metrics=off,
--disable-version-check, SEMGREP_ENABLE_VERSION_CHECK=0, and, where the machine allows
it, inside a network namespace with no network at all (`unshare -n`).

Standard library only in this process; after setting up its venv the script re-runs
itself with that venv's Python so it can use psutil for process-tree memory.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
DEFAULT_BENCH_VENV = WORK / "venv"
DEFAULT_CORPUS = WORK / "corpus"
DEFAULT_PROJECT_VENV = REPO / ".venv"
REEXEC_MARK = "SERVICELENS_BENCH_IN_VENV"
ALL_TOOLS = ("servicelens", "bandit", "semgrep")
BENCH_PACKAGES = ("bandit", "semgrep", "psutil")
POLL_SECONDS = 0.1

CORPUS_HINT = (
    "no corpus found at {path}.\n"
    "Get a large Python backend there, for example:\n"
    "    git clone --depth 1 https://github.com/saleor/saleor benchmarks/.work/corpus\n"
    "or point at an existing checkout with --corpus DIR (a symlink at benchmarks/.work/corpus works too)."
)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- arguments

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=None,
                   help="Python backend to review (default: benchmarks/.work/corpus)")
    p.add_argument("--semgrep-rules", type=Path, default=None,
                   help="local copy of semgrep-rules' python/ directory; without it Semgrep is skipped")
    p.add_argument("--tools", default=",".join(ALL_TOOLS),
                   help="comma-separated subset of: servicelens,bandit,semgrep (default: all)")
    p.add_argument("--output", type=Path, default=None,
                   help="write the Markdown results here (they are printed too)")
    p.add_argument("--repeat", type=int, default=1,
                   help="time each run N times and report the median (default 1)")
    p.add_argument("--project-venv", type=Path, default=DEFAULT_PROJECT_VENV,
                   help="venv with servicelens installed (default: the repo's .venv)")
    p.add_argument("--semgrep-jobs", type=int, default=0,
                   help="semgrep --jobs (default: number of CPUs, semgrep's own default)")
    p.add_argument("--semgrep-timeout", type=int, default=None,
                   help="semgrep --timeout per rule and file in seconds (default: semgrep's)")
    p.add_argument("--no-netns", action="store_true",
                   help="do not wrap Semgrep in `unshare -n` (it still runs with metrics and version check off)")
    p.add_argument("--bench-venv", type=Path, default=None,
                   help="venv for Bandit/Semgrep/psutil (default benchmarks/.work/venv); never the project venv")
    p.add_argument("--name", default="",
                   help="corpus name used in the report and in the names of its outputs (default: the directory name)")
    p.add_argument("--tests", choices=("excluded", "included", "both"), default="both",
                   help="which file sets to time: tests excluded for every tool, tests included for every tool, or both")
    p.add_argument("--single-process", action="store_true",
                   help="also time servicelens with --jobs 1 (tests excluded)")
    p.add_argument("--diff-files", type=int, default=3,
                   help="diff review: edit this many files of a git copy of the corpus and time `--diff HEAD~1` "
                        "on a warm cache (0 = skip)")
    p.add_argument("--reinstall", action="store_true", help="re-run pip install in the benchmark venv")
    p.add_argument("--skip-install", action="store_true",
                   help="use the benchmark venv as it is (no pip)")
    args = p.parse_args(argv)
    tools = [t.strip().lower() for t in args.tools.split(",") if t.strip()]
    bad = [t for t in tools if t not in ALL_TOOLS]
    if bad or not tools:
        p.error(f"--tools: unknown {', '.join(bad) or '(empty)'}; choose from {','.join(ALL_TOOLS)}")
    args.tools = tools
    args.scopes = ("excluded", "included") if args.tests == "both" else (args.tests,)
    args.bench_venv = (args.bench_venv or DEFAULT_BENCH_VENV).resolve()
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


# --------------------------------------------------------------------------- venv

def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_bench_venv(args: argparse.Namespace) -> None:
    """Create benchmarks/.work/venv and pip install bandit, semgrep, psutil into it."""
    py = venv_python(args.bench_venv)
    if not py.exists():
        log(f"creating benchmark venv at {args.bench_venv}")
        subprocess.run([sys.executable, "-m", "venv", str(args.bench_venv)], check=True)
    if args.skip_install:
        return
    missing = [pkg for pkg in BENCH_PACKAGES
               if subprocess.run([str(py), "-m", "pip", "show", "-q", pkg],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0]
    wanted = list(BENCH_PACKAGES) if args.reinstall else missing
    if not wanted:
        return
    log(f"pip install {' '.join(wanted)} into {args.bench_venv} (this can take a minute)")
    for pkg in wanted:  # one by one: a failing semgrep wheel must not cost us bandit
        cmd = [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        if args.reinstall:
            cmd.append("--upgrade")
        r = subprocess.run(cmd + [pkg], capture_output=True, text=True)
        if r.returncode != 0:
            log(f"pip install {pkg} failed (exit {r.returncode}):\n{(r.stderr or r.stdout)[-2000:]}")


def reexec_in_bench_venv(args: argparse.Namespace) -> None:
    py = venv_python(args.bench_venv)
    if os.environ.get(REEXEC_MARK) or not py.exists():
        return
    if Path(sys.prefix).resolve() == args.bench_venv.resolve():  # already the venv's interpreter
        return
    env = dict(os.environ, **{REEXEC_MARK: "1"})
    argv = [str(py), str(Path(__file__).resolve()), *sys.argv[1:], "--skip-install"]
    os.execve(str(py), argv, env)


# --------------------------------------------------------------------------- corpus

@dataclass
class FileSet:
    """The exact .py files every tool gets in one scope, and how many lines they hold."""
    scope: str                   # "excluded": tests excluded for every tool; "included": tests included
    files: list[str]             # relative to the corpus root
    physical_lines: int = 0
    nonempty_lines: int = 0


@dataclass
class Corpus:
    root: Path
    name: str
    sets: dict[str, FileSet]     # by scope
    other_files: int             # non-Python files servicelens also reads (manifests, YAML, ...)
    source: str                  # how the list was made
    commit: str = ""

    @property
    def py_files(self) -> list[str]:
        return self.sets["included"].files


DISCOVER_SNIPPET = r"""
import json, sys
from pathlib import Path
from servicelens.sources.discovery import discover
from servicelens.config.settings import Settings
from servicelens.analysis.postprocess import is_test_path
root = Path(sys.argv[1])
try:
    from servicelens.config.loader import load_settings
    settings = load_settings(root)
    how = "servicelens discover() with the corpus's own servicelens config (load_settings)"
except Exception:
    settings = Settings()
    how = "servicelens discover() with Settings()"
found = discover(root, settings)
print(json.dumps({
    "python": [f.rel for f in found.files if f.kind == "python"],
    "tests": [f.rel for f in found.files if f.kind == "python" and is_test_path(f.rel)],
    "other": sum(1 for f in found.files if f.kind != "python"),
    "diagnostics": [[d.path, d.kind, d.message] for d in found.diagnostics][:50],
    "how": how,
}))
"""

FALLBACK_EXCLUDES = {".git", ".hg", ".svn", "node_modules", "vendor", "third_party", ".venv", "venv", "env",
                     ".tox", ".nox", "__pycache__", "site-packages", "dist", "build", ".mypy_cache",
                     ".pytest_cache", ".ruff_cache", "bower_components", ".eggs"}


def discover_files(root: Path, project_venv: Path) -> tuple[list[str], set[str], int, str]:
    """(every .py file, those servicelens treats as test code, other files, how the list was made)."""
    py = venv_python(project_venv)
    if py.exists():
        r = subprocess.run([str(py), "-c", DISCOVER_SNIPPET, str(root)], capture_output=True, text=True)
        if r.returncode == 0:
            data = json.loads(r.stdout)
            for d in data["diagnostics"]:
                log(f"discovery diagnostic: {d}")
            return sorted(data["python"]), set(data["tests"]), data["other"], data["how"]
        log(f"servicelens discovery failed, walking the tree instead:\n{r.stderr[-1500:]}")
    files = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in FALLBACK_EXCLUDES and not d.endswith(".egg-info"))
        for name in filenames:
            if name.endswith(".py"):
                files.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    tests = {f for f in files if re.search(r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|conftest)\.py$|_test\.py$", f)}
    return sorted(files), tests, 0, "fallback walk of *.py (no .gitignore handling)"


def count_lines(root: Path, files: list[str]) -> tuple[int, int]:
    physical = nonempty = 0
    for rel in files:
        data = (root / rel).read_bytes()
        physical += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)  # like wc -l
        nonempty += sum(1 for line in data.split(b"\n") if line.strip())
    return physical, nonempty


def load_corpus(args: argparse.Namespace) -> Corpus:
    path = args.corpus if args.corpus is not None else DEFAULT_CORPUS
    if not path.is_dir():
        sys.exit("error: " + CORPUS_HINT.format(path=path))
    root = path.resolve()
    files, tests, other, how = discover_files(root, args.project_venv)
    if not files:
        sys.exit(f"error: no Python files found under {root}")
    sets = {}
    for scope, chosen in (("included", files), ("excluded", [f for f in files if f not in tests])):
        physical, nonempty = count_lines(root, chosen)
        sets[scope] = FileSet(scope, chosen, physical, nonempty)
    commit = ""
    if (root / ".git").exists() and shutil.which("git"):
        r = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %cs"], capture_output=True, text=True)
        commit = r.stdout.strip() if r.returncode == 0 else ""
    return Corpus(root, args.name or root.name, sets, other, how + "; test code = servicelens's is_test_path", commit)


# --------------------------------------------------------------------------- measuring

@dataclass
class Measurement:
    label: str
    tool: str
    scope: str = "excluded"             # which FileSet the run covers
    corpus: str = ""
    wall: float = 0.0
    walls: list[float] = field(default_factory=list)
    max_rss_kb: int | None = None       # /usr/bin/time -v: largest single process of the tree
    tree_rss_kb: int | None = None      # psutil: peak of the summed RSS of the whole tree
    cpu_s: float | None = None          # user + system CPU seconds of the tree (/usr/bin/time)
    load: list[tuple[float, float]] = field(default_factory=list)  # 1-min load average before/after each run
    findings: int | None = None
    errors: list[str] = field(default_factory=list)
    exit_code: int | None = None
    files_scanned: int | None = None
    jobs: str = ""
    note: str = ""
    failed: bool = False


def _tree_rss_kb(proc, skip_pid: int | None) -> int:
    import psutil
    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        if p.pid == skip_pid:
            continue
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total // 1024


def run_measured(cmd: list[str], *, cwd: Path, env: dict[str, str], log_prefix: Path) -> dict:
    """Run cmd; return wall time, exit code, /usr/bin/time max RSS and psutil tree-peak RSS."""
    time_bin = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    time_out = Path(str(log_prefix) + ".time")
    full = [time_bin, "-v", "-o", str(time_out), *cmd] if time_bin else list(cmd)
    try:
        import psutil
    except ImportError:
        psutil = None
    with open(str(log_prefix) + ".stdout", "wb") as out, open(str(log_prefix) + ".stderr", "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=err)
        peak = 0
        if psutil is not None:
            ps = psutil.Process(proc.pid)
            skip = proc.pid if time_bin else None  # /usr/bin/time itself is not the tool
            while proc.poll() is None:
                peak = max(peak, _tree_rss_kb(ps, skip))
                time.sleep(POLL_SECONDS)
        rc = proc.wait()
        wall = time.perf_counter() - start
    max_rss = cpu = None
    if time_bin and time_out.exists():
        text = time_out.read_text(errors="replace")
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        max_rss = int(m.group(1)) if m else None
        user = re.search(r"User time \(seconds\): ([\d.]+)", text)
        system = re.search(r"System time \(seconds\): ([\d.]+)", text)
        if user and system:
            cpu = float(user.group(1)) + float(system.group(1))
        m = re.search(r"Exit status: (\d+)", text)
        if m:
            rc = int(m.group(1))
        elif "Command terminated by signal" in text:
            rc = -1
    return {"wall": wall, "rc": rc, "max_rss_kb": max_rss, "tree_rss_kb": peak if psutil else None, "cpu": cpu}


def measure(m: Measurement, cmd: list[str], *, cwd: Path, env: dict[str, str], repeat: int,
            before_each=None, file_args: list[str] | None = None) -> dict:
    logs = WORK / "logs" / m.corpus
    logs.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", f"{m.scope} {m.label}".lower()).strip("-")
    results = []
    for i in range(repeat):
        if before_each is not None:
            before_each()
        shown = cmd[:-len(file_args)] if file_args else cmd
        more = f" + {len(file_args):,} file arguments" if file_args else ""
        log(f"run {m.label} ({i + 1}/{repeat}): {' '.join(shown)}{more}")
        load_before = os.getloadavg()[0]
        if load_before > 0.5:
            log(f"  note: 1-min load average is {load_before:.2f} before this run; other work on the machine "
                "inflates wall times (CPU seconds are less affected)")
        r = run_measured(cmd, cwd=cwd, env=env, log_prefix=logs / slug)
        r["load"] = (load_before, os.getloadavg()[0])
        log(f"  -> {r['wall']:.1f} s wall, {r['cpu']} CPU s, exit {r['rc']}, max RSS {r['max_rss_kb']} kB, "
            f"tree RSS {r['tree_rss_kb']} kB, load {r['load'][0]:.2f} -> {r['load'][1]:.2f}")
        results.append(r)
    m.walls = [r["wall"] for r in results]
    m.wall = statistics.median(m.walls)
    rss = [r["max_rss_kb"] for r in results if r["max_rss_kb"] is not None]
    m.max_rss_kb = max(rss) if rss else None
    tree = [r["tree_rss_kb"] for r in results if r["tree_rss_kb"] is not None]
    m.tree_rss_kb = max(tree) if tree else None
    m.exit_code = results[-1]["rc"]
    cpus = [r["cpu"] for r in results if r["cpu"] is not None]
    m.cpu_s = statistics.median(cpus) if cpus else None
    m.load = [r["load"] for r in results]
    return {"stdout": logs / f"{slug}.stdout", "stderr": logs / f"{slug}.stderr"}


def tail(path: Path, n: int = 2500) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


# --------------------------------------------------------------------------- servicelens

def servicelens_runs(args, corpus: Corpus, scope: str) -> list[Measurement]:
    """Tests excluded: servicelens's default (test files are named and counted, neither parsed
    nor analysed); cold, optionally single-process, then a cache-filling and a warm run.
    Tests included: `--include-tests`, cold."""
    exe = args.project_venv / "bin" / "servicelens"
    if not exe.exists():
        m = Measurement("servicelens", "servicelens", scope, corpus.name, failed=True)
        m.note = f"not run: {exe} not found (run `make setup` first)"
        return [m]
    out_dir = WORK / "out" / corpus.name
    out_dir.mkdir(parents=True, exist_ok=True)
    base_env = dict(os.environ)
    base_env.pop(REEXEC_MARK, None)
    runs: list[Measurement] = []
    flags = ["--include-tests"] if scope == "included" else []

    def one(label: str, extra: list[str], cache_home: Path, *, fresh: bool, jobs: str, root: Path = corpus.root,
            note: str = "", repeat: int = 0) -> Measurement:
        m = Measurement(label, "servicelens", scope, corpus.name, jobs=jobs, note=note)
        report = out_dir / (re.sub(r"[^a-z0-9]+", "-", f"{scope} {label}".lower()).strip("-") + ".json")
        cmd = [str(exe), "review", str(root), "--format", "json", "--output", str(report),
               "--quiet", "--fail-on", "never", *flags, *extra]
        env = dict(base_env, XDG_CACHE_HOME=str(cache_home))

        def reset():
            if report.exists():
                report.unlink()
            if fresh and cache_home.exists():
                shutil.rmtree(cache_home)
            cache_home.mkdir(parents=True, exist_ok=True)

        logs = measure(m, cmd, cwd=root, env=env, repeat=repeat or args.repeat, before_each=reset)
        parse_servicelens(m, report, logs)
        runs.append(m)
        return m

    cache_root = WORK / "cache" / corpus.name
    precompile_servicelens(args.project_venv)
    start_fp = servicelens_fingerprint(args.project_venv)
    one("servicelens cold (--no-cache)", ["--no-cache"], cache_root / "nocache", fresh=True, jobs="default (CPU count)")
    if scope == "included":
        return runs
    if args.single_process:
        one("servicelens cold (--no-cache --jobs 1)", ["--no-cache", "--jobs", "1"], cache_root / "nocache",
            fresh=True, jobs="1")
    # Warm: a fresh cache dir, one run to fill it (timed too), then the timed re-review on that cache.
    # servicelens keys its cache on a hash of its own source, so an edit to servicelens between the two
    # runs (a developer working in the same checkout) turns the warm run into a cold one: detect and retry.
    warm_home = cache_root / "warm"
    for attempt in range(1, 4):
        before = servicelens_fingerprint(args.project_venv)
        fill = one("servicelens cache fill (empty cache)", [], warm_home, fresh=True, jobs="default (CPU count)",
                   note="first run with a fresh, empty XDG_CACHE_HOME; fills the cache")
        if fill.failed:
            break
        entries = count_cache_entries(warm_home)
        warm = one("servicelens warm re-review (cache hit)", [], warm_home, fresh=False, jobs="default (CPU count)",
                   note="second run, same XDG_CACHE_HOME, unchanged files")
        written = count_cache_entries(warm_home) - entries
        after = servicelens_fingerprint(args.project_venv)
        warm.note += (f"; cache entries written during the warm run: {written:,} of {entries:,} "
                      "(0 means every per-file result came from the cache)")
        if before == after or attempt == 3:
            if before != after:
                warm.note += "; WARNING: servicelens's source changed during these runs, so the cache missed"
                warm.failed = True
            break
        log("servicelens's own source changed between the cache-fill and warm runs (its cache keys include "
            "a hash of its code); repeating both")
        runs.remove(fill)
        runs.remove(warm)
    if args.diff_files > 0:
        diff_review_run(args, corpus, one, cache_root / "diff")
    if start_fp and servicelens_fingerprint(args.project_venv) != start_fp:
        for m in runs:
            m.note = (m.note + "; " if m.note else "") + ("servicelens's source changed while the servicelens "
                                                          "runs were going on: rows may time different code")
    return runs


GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@localhost", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
DIFF_EDIT = "\n\ndef _benchmark_added_{n}(request):\n    import os\n    return os.system(request.GET['cmd'])\n"


def diff_review_run(args, corpus: Corpus, one, cache_home: Path) -> None:
    """What CI does on a pull request: a git copy of the corpus is reviewed once (filling the
    cache), then N non-test files get a new function and `--diff HEAD~1` is timed on that cache.
    The copy lives under benchmarks/.work/diff/, never in the corpus itself."""
    if not shutil.which("git"):
        log("git not found: diff review skipped")
        return
    tree = WORK / "diff" / corpus.name
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(corpus.root, tree, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    env = dict(os.environ, **GIT_ENV)

    def git(*argv: str) -> None:
        subprocess.run(["git", "-C", str(tree), *argv], check=True, env=env, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "corpus")
    fill = one("servicelens diff: cache fill on the git copy", [], cache_home, root=tree, fresh=True,
               jobs="default (CPU count)", note="reviews the untouched git copy once, filling the cache")
    if fill.failed:
        return
    edited = sorted(corpus.sets["excluded"].files, key=lambda rel: -len(rel))[:args.diff_files]
    for n, rel in enumerate(edited):
        with open(tree / rel, "a", encoding="utf-8") as handle:
            handle.write(DIFF_EDIT.format(n=n))
    git("commit", "-q", "-a", "-m", "edit")
    # once: a second run would find the whole report cached (nothing changed since the first)
    one(f"servicelens diff review (--diff HEAD~1, {len(edited)} files edited, warm cache)", ["--diff", "HEAD~1"],
        cache_home, root=tree, fresh=False, jobs="default (CPU count)", repeat=1,
        note="timed once (a repeat would hit the cached report); edited: " + ", ".join(edited))


def precompile_servicelens(project_venv: Path) -> None:
    """Write servicelens's bytecode before timing it, as `pip install` does for Bandit and
    Semgrep: an editable install under PYTHONDONTWRITEBYTECODE (set on some machines, this one
    included) would otherwise compile ~280 modules from source in every run (~0.5 CPU s, half of
    a warm re-review). The cache key ignores `__pycache__`, so results are unaffected."""
    subprocess.run([str(venv_python(project_venv)), "-c",
                    "import compileall, pathlib, servicelens; "
                    "compileall.compile_dir(str(pathlib.Path(servicelens.__file__).parent), quiet=1)"],
                   capture_output=True, text=True)


def servicelens_fingerprint(project_venv: Path) -> str:
    """The hash servicelens puts in every cache key (its own code and data), or "" if unavailable."""
    r = subprocess.run([str(venv_python(project_venv)), "-c",
                        "from servicelens.sources.cache import package_fingerprint as f; print(f())"],
                       capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ""


def count_cache_entries(cache_home: Path) -> int:
    return sum(1 for p in cache_home.rglob("*") if p.is_file())


def _count_findings(data) -> int | None:
    if isinstance(data, dict):
        for key in ("findings", "recommendations", "results"):
            if isinstance(data.get(key), list):
                return len(data[key])
        for value in data.values():
            if isinstance(value, dict):
                n = _count_findings(value)
                if n is not None:
                    return n
    return None


def _diagnostics(data) -> list[dict]:
    if isinstance(data, dict):
        if isinstance(data.get("diagnostics"), list):
            return data["diagnostics"]
        for value in data.values():
            if isinstance(value, dict):
                found = _diagnostics(value)
                if found:
                    return found
    return []


def parse_servicelens(m: Measurement, report: Path, logs: dict) -> None:
    if m.exit_code not in (0, 1) or not report.exists():
        m.failed = True
        m.errors.append(f"exit {m.exit_code}, no report; stderr tail:\n{tail(logs['stderr'])}")
        return
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError) as exc:
        m.failed = True
        m.errors.append(f"unreadable JSON report {report}: {exc}")
        return
    m.findings = _count_findings(data)
    stats, summary = data.get("stats"), data.get("summary")
    if isinstance(stats, dict) and "files" in stats:
        extra = f"report stats: {stats.get('files'):,} files reviewed (all kinds), {stats.get('lines', 0):,} lines"
        if isinstance(summary, dict) and isinstance(summary.get("severity_counts"), dict):
            extra += "; findings by severity " + ", ".join(f"{k} {v}" for k, v in summary["severity_counts"].items())
        m.note = f"{m.note}; {extra}" if m.note else extra
    for d in _diagnostics(data):
        if isinstance(d, dict):
            m.errors.append(f"{d.get('path', '?')}: [{d.get('kind', '?')}] {d.get('message', '')}")
        else:
            m.errors.append(str(d))
    stderr = tail(logs["stderr"], 4000).strip()
    if stderr:
        m.errors.append("stderr: " + stderr)


# --------------------------------------------------------------------------- bandit

def bandit_run(args, corpus: Corpus, scope: str) -> list[Measurement]:
    exe = args.bench_venv / "bin" / "bandit"
    files = corpus.sets[scope].files
    m = Measurement("Bandit", "bandit", scope, corpus.name, jobs="1 (single process)")
    if not exe.exists():
        m.failed, m.note = True, f"not run: {exe} missing (pip install bandit failed?)"
        return [m]
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.splitlines()
    m.note = (version[0] if version else "bandit") + "; all plugins, all severities/confidences"
    report = WORK / "out" / corpus.name / f"{scope}-bandit.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(exe), "-f", "json", "-o", str(report), "-q", *files]
    env = dict(os.environ)
    env.pop(REEXEC_MARK, None)

    def reset():
        if report.exists():
            report.unlink()

    logs = measure(m, cmd, cwd=corpus.root, env=env, repeat=args.repeat, before_each=reset, file_args=files)
    if m.exit_code not in (0, 1) or not report.exists():  # bandit exits 1 when it finds issues
        m.failed = True
        m.errors.append(f"exit {m.exit_code}; stderr tail:\n{tail(logs['stderr'])}")
        return [m]
    data = json.loads(report.read_text())
    m.findings = len(data.get("results", []))
    totals = data.get("metrics", {})
    m.files_scanned = sum(1 for k in totals if k != "_totals")
    for e in data.get("errors", []):
        m.errors.append(f"{e.get('filename')}: {e.get('reason')}")
    return [m]


# --------------------------------------------------------------------------- semgrep

def count_rules(rules: Path) -> int:
    n = 0
    for path in rules.rglob("*.y*ml"):
        if any(part.startswith(".") for part in path.relative_to(rules).parts):
            continue
        try:
            n += len(re.findall(r"^\s*-\s+id:", path.read_text(errors="replace"), re.MULTILINE))
        except OSError:
            pass
    return n


def semgrep_run(args, corpus: Corpus, scope: str) -> list[Measurement]:
    files = corpus.sets[scope].files
    m = Measurement("Semgrep", "semgrep", scope, corpus.name)
    if args.semgrep_rules is None or not args.semgrep_rules.is_dir():
        where = args.semgrep_rules if args.semgrep_rules is not None else "(no --semgrep-rules given)"
        m.failed = True
        m.note = (f"skipped: no local rules directory {where}. Pass --semgrep-rules "
                  "path/to/semgrep-rules/python (a local copy of the public semgrep-rules repo's python/ dir); "
                  "registry configs are never used")
        log(m.note)
        return [m]
    exe = args.bench_venv / "bin" / "semgrep"
    if not exe.exists():
        m.failed, m.note = True, f"not run: {exe} missing (pip install semgrep failed on this machine?)"
        return [m]
    rules = args.semgrep_rules.resolve()
    state = WORK / "semgrep-state"
    state.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop(REEXEC_MARK, None)
    env.update({
        "SEMGREP_ENABLE_VERSION_CHECK": "0",
        "SEMGREP_SEND_METRICS": "off",
        "SEMGREP_SETTINGS_FILE": str(state / "settings.yml"),
        "SEMGREP_LOG_FILE": str(state / "semgrep.log"),
        "SEMGREP_VERSION_CACHE_PATH": str(state / "version-cache"),
        "XDG_CONFIG_HOME": str(state / "config"),
        "XDG_CACHE_HOME": str(state / "cache"),
    })
    env.pop("SEMGREP_APP_TOKEN", None)
    prefix: list[str] = []
    isolation = "no network isolation (--no-netns)"
    if not args.no_netns and shutil.which("unshare"):
        probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
        if probe.returncode == 0:
            prefix = ["unshare", "-n"]
            isolation = "run inside `unshare -n` (no network interface but a down loopback)"
        else:
            isolation = "`unshare -n` not permitted here; offline by flags only"
    version_cmd = [*prefix, str(exe), "--version", "--disable-version-check", "--metrics=off"]
    v = subprocess.run(version_cmd, capture_output=True, text=True, env=env)
    if v.returncode != 0:
        m.failed = True
        m.note = ("not run: the semgrep binary does not run on this machine "
                  f"(exit {v.returncode}): {(v.stderr or v.stdout).strip()[-800:]}")
        log(m.note)
        return [m]
    jobs = args.semgrep_jobs or (os.cpu_count() or 1)
    m.jobs = str(jobs)
    n_rules = count_rules(rules)
    m.note = (f"semgrep {v.stdout.strip()}; ~{n_rules} rules from {rules}; {isolation}; "
              "--metrics=off --disable-version-check --max-target-bytes 0")
    report = WORK / "out" / corpus.name / f"{scope}-semgrep.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    cmd = [*prefix, str(exe), "scan", "--config", str(rules), "--metrics=off", "--disable-version-check",
           "--json", "--output", str(report), "--quiet", "--jobs", str(jobs), "--max-target-bytes", "0"]
    if args.semgrep_timeout is not None:
        cmd += ["--timeout", str(args.semgrep_timeout)]
    cmd += files  # explicit targets: the same list, .semgrepignore defaults (tests/ ...) do not apply

    def reset():
        if report.exists():
            report.unlink()

    logs = measure(m, cmd, cwd=corpus.root, env=env, repeat=args.repeat, before_each=reset, file_args=files)
    if not report.exists():
        m.failed = True
        m.errors.append(f"exit {m.exit_code}, no JSON; stderr tail:\n{tail(logs['stderr'])}")
        return [m]
    data = json.loads(report.read_text())
    m.findings = len(data.get("results", []))
    scanned = data.get("paths", {}).get("scanned")
    if isinstance(scanned, list):
        m.files_scanned = len(scanned)
    for e in data.get("errors", []):
        where = e.get("path") or (e.get("spans") or [{}])[0].get("file", "")
        m.errors.append(f"{where}: [{e.get('type', e.get('level', ''))}] {str(e.get('message', ''))[:300]}")
    if m.exit_code not in (0, 1):
        m.errors.append(f"exit {m.exit_code}; stderr tail:\n{tail(logs['stderr'], 1200)}")
    return [m]


# --------------------------------------------------------------------------- floor

def floor_run(args, corpus: Corpus, scope: str) -> list[Measurement]:
    """tree-sitter parse + one full walk of the same files in one process (parse_walk_floor.py,
    run with the project venv's tree-sitter): the time no tree-sitter-based review can beat.
    Its wall time is the whole process, interpreter start-up included, like every other row."""
    m = Measurement("floor: tree-sitter parse + one full walk", "floor", scope, corpus.name, jobs="1 (single process)")
    files = corpus.sets[scope].files
    listing = WORK / "out" / corpus.name / f"{scope}-files.txt"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("\n".join(files) + "\n")
    cmd = [str(venv_python(args.project_venv)), str(HERE / "parse_walk_floor.py"), str(corpus.root), str(listing)]
    logs = measure(m, cmd, cwd=REPO, env=dict(os.environ), repeat=args.repeat)
    try:
        data = json.loads(logs["stdout"].read_text())
        m.files_scanned = data["files"]
        m.note = f"{data['nodes']:,} nodes; parse + walk alone (no start-up) {data['seconds']:.2f} s in the last run"
    except (OSError, ValueError, KeyError):
        m.failed = True
        m.errors.append(f"exit {m.exit_code}; stderr tail:\n{tail(logs['stderr'])}")
    return [m]


# --------------------------------------------------------------------------- report

def fmt_mb(kb: int | None) -> str:
    return "n/a" if kb is None else f"{kb / 1024:,.0f} MB"


def fmt_int(n: int | None) -> str:
    return "n/a" if n is None else f"{n:,}"


SCOPE_TITLES = {"excluded": "Tests excluded for every tool", "included": "Tests included for every tool"}


def _cpu_model() -> str:
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                return row.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _table(runs: list[Measurement], fileset: FileSet) -> list[str]:
    lines = fileset.physical_lines
    out = [("| Tool / mode | Jobs | Files | Wall (s) | Lines/s | CPU (s) | Peak RSS, largest process | "
            "Peak RSS, whole tree | Findings | Errors / diagnostics |"),
           "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for m in runs:
        if m.failed and not m.walls:
            out.append(f"| {m.label} | {m.jobs or '-'} | - | - | - | - | - | - | - | {m.note or 'not run'} |")
            continue
        files = m.files_scanned if m.files_scanned is not None else len(fileset.files)
        status = "FAILED: " if m.failed else ""
        lps = "n/a (failed)" if m.failed else (f"{lines / m.wall:,.0f}" if m.wall else "n/a")
        cpu = "n/a" if m.cpu_s is None else f"{m.cpu_s:,.1f}"
        walls = " / ".join(f"{w:,.1f}" for w in m.walls)
        out.append(f"| {m.label} | {m.jobs} | {files:,} | {walls} | {lps} | {cpu} | {fmt_mb(m.max_rss_kb)} | "
                   f"{fmt_mb(m.tree_rss_kb)} | {status}{fmt_int(m.findings)} | {len(m.errors)} |")
    return out


def _headline(runs: list[Measurement]) -> list[str]:
    """The issue's targets: servicelens cold vs Bandit (>= 3x), vs the floor (<= 4x), warm
    vs cold (< 10%); each as a ratio of wall times (medians)."""
    ok = {m.label: m for m in runs if m.walls and not m.failed}
    cold = ok.get("servicelens cold (--no-cache)")
    out = []
    if cold is None:
        return out
    for tool, label in (("bandit", "Bandit"), ("semgrep", "Semgrep")):
        other = next((m for m in runs if m.tool == tool and m.walls and not m.failed), None)
        if other:
            cpu = (f"; CPU seconds {other.cpu_s / cold.cpu_s:.2f}x" if other.cpu_s and cold.cpu_s else "")
            out.append(f"- servicelens cold is **{other.wall / cold.wall:.2f}x** as fast as {label} "
                       f"({cold.wall:.1f} s vs {other.wall:.1f} s){cpu}")
    floor = next((m for m in runs if m.tool == "floor" and m.walls and not m.failed), None)
    if floor:
        out.append(f"- servicelens cold takes **{cold.wall / floor.wall:.2f}x** the single-process parse-and-walk "
                   f"floor ({cold.wall:.1f} s vs {floor.wall:.1f} s)")
    warm = ok.get("servicelens warm re-review (cache hit)")
    if warm:
        out.append(f"- warm re-review of the unchanged tree: **{100 * warm.wall / cold.wall:.1f}%** of cold "
                   f"({warm.wall:.2f} s vs {cold.wall:.1f} s)")
    one = ok.get("servicelens cold (--no-cache --jobs 1)")
    if one:
        out.append(f"- parallel speed-up (--jobs 1 / default jobs): {one.wall / cold.wall:.2f}x on "
                   f"{available_cpus()} CPUs")
    diff = next((m for m in runs if m.label.startswith("servicelens diff review") and m.walls and not m.failed), None)
    if diff:
        out.append(f"- diff review on a warm cache: {diff.wall:.1f} s ({100 * diff.wall / cold.wall:.0f}% of cold)")
    return out


def render(args, corpus: Corpus, runs: list[Measurement], tool_versions: dict[str, str]) -> str:
    out = [f"# servicelens speed benchmark: {corpus.name}", ""]
    out.append(f"- Date: {_dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; machine: {available_cpus()} usable CPUs "
               f"({_cpu_model()}), Python {platform.python_version()}, {platform.system()} {platform.release()}")
    out.append(f"- Corpus: `{corpus.root}`{' at ' + corpus.commit if corpus.commit else ''}. File lists: "
               f"{corpus.source}; within one scope every tool gets the same list.")
    for scope in args.scopes:
        fs = corpus.sets[scope]
        out.append(f"  - {SCOPE_TITLES[scope]}: **{len(fs.files):,} .py files, {fs.physical_lines:,} physical lines** "
                   f"({fs.nonempty_lines:,} non-empty)")
    out.append("- servicelens is always given the whole tree: with tests excluded (its default) it reads test "
               "files (to name and count them) but neither parses nor analyses them; that reading is inside its times.")
    if corpus.other_files:
        out.append(f"- servicelens also reads {corpus.other_files:,} non-Python files of the tree (manifests, "
                   "Dockerfiles, YAML/JSON sniffed for OpenAPI/Kubernetes/compose); that work is inside its times.")
    if tool_versions:
        out.append("- Versions: " + "; ".join(f"{k} {v}" for k, v in tool_versions.items()))
    out.append(f"- Wall: every run's time (the ratios use the median of {args.repeat}). Lines/s = physical .py "
               "lines of the scope / median wall seconds.")
    out.append("")
    for scope in args.scopes:
        scoped = [m for m in runs if m.scope == scope]
        out.append(f"## {SCOPE_TITLES[scope]}")
        out.append("")
        out.extend(_table(scoped, corpus.sets[scope]))
        out.append("")
        out.extend(_headline(scoped))
        out.append("")
    out.append("## Notes")
    out.append("")
    out.append("- Peak RSS, largest process: `/usr/bin/time -v` \"Maximum resident set size\" (the largest single "
               "process). Peak RSS, whole tree: psutil polled every "
               f"{POLL_SECONDS:g} s, summing RSS over the tool and all its descendants (pages shared between forked "
               "workers are counted once per process, so this over-states real use; very short peaks can be missed).")
    out.append("- CPU (s): user + system seconds of the whole process tree (`/usr/bin/time -v`), less sensitive than "
               "wall time to other load on the machine.")
    loads = [(f"{m.scope}/{m.label}", b, a) for m in runs for (b, a) in m.load]
    busy = [x for x in loads if max(x[1], x[2]) > 0.5 * available_cpus()]
    if busy:
        out.append("- **The machine was not idle** during some runs (1-min load average before -> after): "
                   + "; ".join(f"{label}: {b:.2f} -> {a:.2f}" for label, b, a in busy)
                   + ". Wall times and lines/s of those runs are pessimistic.")
    out.append("- Findings are not comparable one-to-one: servicelens reports deduplicated review findings, Bandit "
               "one result per flagged line, Semgrep one per rule match.")
    for m in runs:
        if m.note:
            out.append(f"- {m.scope}/{m.label}: {m.note}")
        given = len(corpus.sets[m.scope].files)
        if m.files_scanned is not None and m.files_scanned != given:
            out.append(f"  - reported {m.files_scanned:,} files scanned of {given:,} given")
        if m.errors:
            out.append(f"  - {len(m.errors)} error(s)/diagnostic(s); first ones:")
            for e in m.errors[:8]:
                first = e.strip().splitlines()
                text = " / ".join(first[-6:]) if len(first) > 1 else (first[0] if first else "")
                out.append(f"    - `{text[:400].replace('`', '')}`")
    out.append("")
    return "\n".join(out)


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def tool_versions(tools: list[str], project_venv: Path) -> dict[str, str]:
    v: dict[str, str] = {}
    if "servicelens" in tools and venv_python(project_venv).exists():
        r = subprocess.run([str(venv_python(project_venv)), "-c",
                            "import servicelens; print(servicelens.__version__)"], capture_output=True, text=True)
        if r.returncode == 0:
            v["servicelens"] = r.stdout.strip()
    return v


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus_path = args.corpus if args.corpus is not None else DEFAULT_CORPUS
    if not corpus_path.is_dir():  # fail before any install
        sys.exit("error: " + CORPUS_HINT.format(path=corpus_path))
    if not os.environ.get(REEXEC_MARK):
        WORK.mkdir(parents=True, exist_ok=True)
        ensure_bench_venv(args)
        reexec_in_bench_venv(args)
    try:
        import psutil  # noqa: F401
    except ImportError:
        log("psutil not importable: the whole-tree RSS column will be n/a")
    if not os.access("/usr/bin/time", os.X_OK):
        log("/usr/bin/time not found (Debian: apt-get install time); the largest-process RSS column will be n/a")

    corpus = load_corpus(args)
    for scope in args.scopes:
        fs = corpus.sets[scope]
        log(f"corpus {corpus.name} ({scope} tests): {len(fs.files):,} .py files, {fs.physical_lines:,} physical lines")
    runs: list[Measurement] = []
    for scope in args.scopes:
        if "servicelens" in args.tools:
            runs += servicelens_runs(args, corpus, scope)
        if "bandit" in args.tools:
            runs += bandit_run(args, corpus, scope)
        if "semgrep" in args.tools:
            runs += semgrep_run(args, corpus, scope)
        runs += floor_run(args, corpus, scope)
    text = render(args, corpus, runs, tool_versions(args.tools, args.project_venv))
    print(text)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
        log(f"wrote {args.output}")
    (WORK / f"results-{corpus.name}.json").write_text(json.dumps({
        "corpus": str(corpus.root),
        "sets": {k: {"files": len(v.files), "physical_lines": v.physical_lines, "nonempty_lines": v.nonempty_lines}
                 for k, v in corpus.sets.items()},
        "runs": [{k: getattr(m, k) for k in ("label", "tool", "scope", "wall", "walls", "cpu_s", "load", "max_rss_kb",
                                             "tree_rss_kb", "findings", "exit_code", "files_scanned", "jobs", "note",
                                             "failed")}
                 | {"errors": m.errors[:200]} for m in runs],
    }, indent=2))
    return 1 if any(m.failed and m.walls for m in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
