"""discover -> read -> per-file facts (cached, parallel) -> project analyses -> report.

The only module besides sources/ that touches the world: it reads files, uses the cache
and the process pool, and calls the pure analyses with what it read.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from servicelens import __version__
from servicelens.analysis.base import Project, SourceFile
from servicelens.analysis.facts import FileFacts
from servicelens.collector import collector_paused, settled_file_by_file, survivors_settled
from servicelens.endpoints.app_state import app_state_entries
from servicelens.lang.python.lower import module_name_for
from servicelens.taint.declared_aliases import declared_alias_entries
from servicelens.taint.declared_returns import declared_return_entries
from servicelens.taint.url_checks import same_site_entries
from servicelens.taint.document_stores import document_store_entries
from servicelens.endpoints.bound_names import bound_entries
from servicelens.endpoints.view_bases import view_base_entries
from servicelens.endpoints.dependencies import dependency_entries
from servicelens.frameworks.project_types import project_type_entries
from servicelens.frameworks.queryset_methods import queryset_method_entries
from servicelens.endpoints.connexion_mounts import configured_handlers
from servicelens.analysis.project import run_project_analyses
from servicelens.analysis.revisit import Revisits
from servicelens.config.settings import Settings, available_cpus
from servicelens.frameworks.express_mounts import JS_LANGUAGES
from servicelens.endpoints.route_manifests import with_manifest_routes
from servicelens.frameworks.js_project import with_js_routes
from servicelens.lang.javascript.aliases import CONFIG_NAMES, reanchored
from servicelens.model.report import Diagnostic, Report
from servicelens.names import NameTable
from servicelens.sources.cache import Cache, CacheRefused, entry_bytes
from servicelens.sources.discovery import SNIFF_SIZE_FACTOR, Discovery, discover, too_large_message
from servicelens.sources.languages import kind_of_path
from servicelens.sources.above_root import directories_above
from servicelens.frameworks.django_settings_above import with_settings_above
from servicelens.sources.reading import read_source, source_from_bytes

Progress = Callable[[int, int], None]
CODE_LANGUAGES = frozenset({"python"}) | JS_LANGUAGES  # languages with a per-file analysis
PARALLEL_MIN_FILES = 600  # below this, worker start-up costs more than it saves
_OPERATION_ID = re.compile(r"""operationId["']?\s*:\s*["']?([A-Za-z_][\w.]*)""")


@dataclass(frozen=True, slots=True)
class FileJob:
    rel: str
    text: str
    sha256: str
    language: str = "python"  # the source's kind (sources/languages.py): picks the per-file analysis


class OverlayError(ValueError):
    """An in-memory replacement names a file the review of this tree would not read."""


def review_tree(root: Path, settings: Settings, progress: Progress | None = None,
                overlay: Mapping[str, str] | None = None) -> Report:
    """`overlay` maps root-relative paths to text that stands in for those files (or adds
    new ones) without touching the disk: how a proposed edit is reviewed before it exists."""
    found = discover(root, settings)
    diagnostics: list[Diagnostic] = list(found.diagnostics)
    sources: list[SourceFile] = []
    for source, diagnostic in _read_sources(found, settings, overlay or {}):
        if diagnostic is not None:
            diagnostics.append(diagnostic)
        if source is not None:
            sources.append(source)
    if not sources:
        diagnostics.append(Diagnostic(".", "empty", "no file servicelens can review (Python, Dockerfile, compose, "
                                      "Kubernetes, OpenAPI/GraphQL) was found under this path"))
    cache = _open_cache(settings, diagnostics)
    tree_key = _tree_key(cache, found.root, settings.profile, sources, diagnostics) if cache is not None else ""
    if cache is not None:
        cached = cache.get(tree_key)
        if isinstance(cached, Report):
            return cached  # nothing changed since the last review of this tree
    operation_ids = _operation_ids(sources)  # read from the sources, so the tree key above implies them
    cache = cache.salted(repr(sorted(operation_ids))) if cache is not None else None
    facts = _file_facts([s for s in sources if s.kind in CODE_LANGUAGES], settings, operation_ids, cache, progress)
    facts = with_settings_above(facts, found.root)  # a review of one package of a Django project
    # routes a manifest file declares beside its handlers (a file-system route convention)
    facts = with_manifest_routes(facts, ((s.rel, s.text) for s in sources if s.kind == "data" and s.rel.endswith(".json")))
    facts = with_js_routes(facts, js_configs(sources, found.root))  # JS/TS routes get their mounted paths and auth (no-op otherwise)
    project = Project(found.root, settings, tuple(sources), {})
    for fact in facts:
        diagnostics.extend(fact.diagnostics)
    with survivors_settled():  # the facts live until the end: see servicelens.collector
        revisits = Revisits.of(((s.rel, s.text) for s in sources if s.kind == "python"), settings.extra_model_dirs,
                               operation_ids)
        report = run_project_analyses(project, facts, tuple(diagnostics), __version__, revisits)
    if cache is not None:
        cache.put(tree_key, report)
    return report


def js_configs(sources: Sequence[SourceFile], root: Path | None = None) -> list[tuple[str, str]]:
    """The tsconfig/jsconfig files of the review, whose path aliases JS/TS imports use; when the
    review has none and holds JS/TS code, the nearest one above its root (TypeScript walks up
    from each file to find its config: a review of `src/` keeps the project's `@/` aliases)."""
    own = [(s.rel, s.text) for s in sources if CONFIG_NAMES.match(Path(s.rel).name)]
    if own or root is None or not any(s.kind in ("javascript", "typescript") for s in sources):
        return own
    above = _config_above(root.resolve())
    return [("tsconfig.json", above)] if above else []


_CONFIG_BYTES = 262_144


def _config_above(root: Path) -> str:
    """The nearest tsconfig.json/jsconfig.json above `root` (not past a repository's top),
    its aliases made relative to the root; "" when there is none."""
    for here in directories_above(root):
        for name in ("tsconfig.json", "jsconfig.json"):
            config = here / name
            if config.is_file() and config.stat().st_size <= _CONFIG_BYTES:
                text = config.read_text(encoding="utf-8", errors="replace")
                return reanchored(text, root.relative_to(here).as_posix())
    return ""


def _read_sources(found: Discovery, settings: Settings,
                  overlay: Mapping[str, str]) -> Iterator[tuple[SourceFile | None, Diagnostic | None]]:
    """Each discovered file from disk, unless the overlay replaces it; overlay files the
    walk did not meet are added when they are new and of a kind servicelens reviews."""
    discovered = {item.rel for item in found.files}
    for rel in sorted(set(overlay) - discovered):
        if os.path.lexists(found.root / rel):
            raise OverlayError(f"{rel} is not part of this review (excluded, ignored, too large "
                               "or not a regular file)")
        if kind_of_path(rel) is None:
            raise OverlayError(f"{rel}: servicelens does not review files of this kind")
    for item in found.files:
        if item.rel in overlay:
            yield _overlay_source(item.rel, item.kind, overlay[item.rel], item.cap)
        else:
            yield read_source(item)
    for rel in sorted(set(overlay) - discovered):
        kind = kind_of_path(rel) or "unknown"
        cap = settings.max_file_bytes * (SNIFF_SIZE_FACTOR if kind == "sniff" else 1)
        yield _overlay_source(rel, kind, overlay[rel], cap)


def _overlay_source(rel: str, kind: str, text: str, cap: int) -> tuple[SourceFile | None, Diagnostic | None]:
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > cap:
        return None, Diagnostic(rel, "too-large", too_large_message(len(data), cap))
    return source_from_bytes(rel, kind, data)


def _open_cache(settings: Settings, diagnostics: list[Diagnostic]) -> Cache | None:
    """The cache, if enabled and trustworthy; a refused one is reported, not used. Its salt holds
    what changes results besides the files; a file's facts also depend on what the project's other
    files declare (`_operation_ids`), which the caller adds once the whole tree's key has missed."""
    if not settings.use_cache:
        return None
    opened = Cache.open(settings.cache_dir, _salt(settings))
    if isinstance(opened, CacheRefused):
        diagnostics.append(Diagnostic(opened.directory, "cache", opened.reason))
        return None
    return opened


def _tree_key(cache: Cache, root: Path, profile: str, sources: Sequence[SourceFile],
              diagnostics: Sequence[Diagnostic]) -> str:
    """Identity of the whole input: every file's path, kind and content hash, plus what was
    skipped. The profile is left out of the cache salt (per-file facts do not depend on it)
    but the finished report does, so it is part of this key."""
    parts = [root.name, profile] + [f"{s.rel}\0{s.kind}\0{s.sha256}" for s in sources]
    parts += [f"{d.path}\0{d.kind}\0{d.message}" for d in diagnostics]
    return cache.key("tree", *parts)


def _file_facts(jobs_in: Sequence[SourceFile], settings: Settings, operation_ids: frozenset[str],
                cache: Cache | None, progress: Progress | None) -> list[FileFacts]:
    from servicelens.analysis.postprocess import is_test_path

    results: dict[str, FileFacts] = {}
    pending: list[FileJob] = []
    keys: dict[str, str] = {}
    for source in jobs_in:
        if not settings.include_tests and is_test_path(source.rel):
            # test code the review does not read: its facts are a name and a line count, made
            # here rather than shipped to a worker and cached
            job = FileJob(source.rel, source.text, source.sha256, source.kind)
            results[source.rel] = _safe_analyze(_analyzer(job), job, None, None, operation_ids, (), False)
            continue
        if cache is not None:
            key = cache.key(source.rel, source.sha256)
            keys[source.rel] = key
            hit = cache.get(key)
            if isinstance(hit, FileFacts):
                results[source.rel] = hit
                continue
        pending.append(FileJob(source.rel, source.text, source.sha256, source.kind))
    total, done = len(jobs_in), len(results)
    if progress:
        progress(done, total)
    for fact, entry in _analyze(pending, settings, operation_ids, encode=cache is not None):
        results[fact.rel] = fact
        if cache is not None and entry is not None:
            cache.put_bytes(keys[fact.rel], entry)
        done += 1
        if progress:
            progress(done, total)
    return [results[s.rel] for s in jobs_in if s.rel in results]


def _analyze(jobs: list[FileJob], settings: Settings, operation_ids: frozenset[str],
             encode: bool) -> Iterable[tuple[FileFacts, bytes | None]]:
    """(facts, cache entry bytes or None) per job; with a pool, workers also do the encoding."""
    workers = min(settings.jobs or available_cpus(), available_cpus())  # more only compete for CPUs
    if workers <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        yield from analyze_batch_entries(jobs, settings.extra_model_dirs, operation_ids, settings.include_tests, encode)
        return
    batches = _batches(jobs, workers * 8)
    # asked without fixing the start method (a caller may still choose one); unset means the platform's default
    if (multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]) == "fork":
        _load_analysis(settings.extra_model_dirs)  # once here: every forked worker inherits it
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(analyze_batch_entries, batch, settings.extra_model_dirs, operation_ids,
                               settings.include_tests, encode)
                   for batch in batches]
        # receiving is unpickling facts (no cycles) while everything received stays alive
        with collector_paused():
            for future in futures:
                yield from future.result()


def analyze_batch_entries(jobs: Sequence[FileJob], extra_model_dirs: tuple[str, ...], operation_ids: frozenset[str],
                          include_tests: bool, encode: bool) -> list[tuple[FileFacts, bytes | None]]:
    """analyze_batch plus, when caching, each result's cache entry, encoded where it was made."""
    facts = analyze_batch(jobs, extra_model_dirs, operation_ids, include_tests)
    return [(fact, entry_bytes(fact) if encode else None) for fact in facts]


def _load_analysis(extra_model_dirs: tuple[str, ...]) -> None:
    """Import the rules and load the models (both kept per process by their loaders), so that
    workers forked afterwards start with them instead of each importing them again."""
    from servicelens.rules.base import discover_rules
    from servicelens.taint.models import load_models

    discover_rules("servicelens.rules.python")
    load_models("python", extra_model_dirs)


def analyze_batch(jobs: Sequence[FileJob], extra_model_dirs: tuple[str, ...],
                  operation_ids: frozenset[str], include_tests: bool = False) -> list[FileFacts]:
    """Runs in a worker process (or inline): everything it needs comes in as arguments."""
    from servicelens.analysis.postprocess import is_test_path
    from servicelens.rules.base import discover_rules
    from servicelens.sources.parsing import ParserPool
    from servicelens.taint.models import load_models

    # generated code nests deeply (a 3,000-term string concatenation is a 3,000-deep tree);
    # Python 3.11+ does not grow the C stack for Python-to-Python calls, so a higher limit is safe
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    parsers = ParserPool()
    models = load_models("python", extra_model_dirs)
    rules = discover_rules("servicelens.rules.python")
    # one object per distinct name in this batch's facts, dropped with the batch: servicelens.names
    names = NameTable()
    out = []
    with settled_file_by_file() as settle:
        for job in jobs:
            analyse = include_tests or not is_test_path(job.rel)
            with collector_paused():  # one file leaves no cycles it keeps: see servicelens.collector
                out.append(_safe_analyze(_analyzer(job), job, parsers, models, operation_ids, rules, analyse, names))
            settle()
    return out


def _analyzer(job: FileJob) -> Callable[..., FileFacts]:
    """The one place a language is chosen: JS/TS get no Python rules (they know only Python libraries)."""
    from servicelens.analysis.javascript_file import analyze_javascript
    from servicelens.analysis.python_file import analyze_python
    from servicelens.lang.javascript.modules import SOURCE_SUFFIXES

    return analyze_javascript if job.language in JS_LANGUAGES or job.rel.endswith(SOURCE_SUFFIXES) else analyze_python


def _safe_analyze(analyze: Callable[..., FileFacts], job: FileJob, parsers: object, models: object,
                  operation_ids: frozenset[str], rules: tuple[object, ...], analyse: bool = True,
                  names: NameTable | None = None) -> FileFacts:
    """One file's crash is a diagnostic, never the end of the review."""
    try:
        return analyze(job.rel, job.text, parsers, models, operation_ids, rules, analyse, names)
    except RecursionError:
        reason = "too deeply nested to analyse"
    except Exception as exc:  # noqa: BLE001 - any analyser bug must not stop the review
        reason = f"internal error while analysing ({exc.__class__.__name__}: {exc})"
    diagnostic = Diagnostic(job.rel, "analysis-error", f"{reason}; this file was not reviewed")
    return FileFacts(job.rel, job.language, job.text.count("\n") + 1, "", (), (), (), (), (diagnostic,), ())


def _batches(jobs: list[FileJob], count: int) -> list[list[FileJob]]:
    """Balanced by size: big files spread across batches so no worker gets all of them."""
    ordered = sorted(jobs, key=lambda j: -len(j.text))
    batches: list[list[FileJob]] = [[] for _ in range(max(1, min(count, len(jobs))))]
    sizes = [0] * len(batches)
    for job in ordered:
        index = sizes.index(min(sizes))
        batches[index].append(job)
        sizes[index] += len(job.text)
    return [b for b in batches if b]


def _operation_ids(sources: Sequence[SourceFile]) -> frozenset[str]:
    """Connexion binds handlers by `operationId: package.module.function` in OpenAPI docs; the
    application's shared state (endpoints.app_state) travels with them, as `app-state:` entries,
    the names registrations bind (endpoints.bound_names), as `bound:` entries, the project's Flask
    class views' bases (endpoints.view_bases), as `view-base:` entries, and the functions
    `Depends(...)` names (endpoints.dependencies), as `depends:` entries, the parameter types
    modules define for others (frameworks.project_types), as `injected:`/`validated:` entries, and
    the types their `Annotated` aliases stand for (taint.declared_aliases), as `alias:` entries, the
    project's own Django queryset methods (frameworks.queryset_methods), as `queryset-method:` entries, what
    the bodies of predicates on a URL's shape prove (taint.url_checks), as `url-check:` entries, and
    whether a JS/TS project names no document store (taint.document_stores)."""
    found: set[str] = set()
    for source in sources:
        if source.kind == "openapi":
            found.update(m.group(1) for m in _OPERATION_ID.finditer(source.text) if "." in m.group(1))
    python = [source for source in sources if source.kind == "python"]
    return frozenset(found) | configured_handlers(sources) | app_state_entries(source.text for source in python) | \
        bound_entries(source.text for source in python) | dependency_entries(source.text for source in python) | \
        view_base_entries(source.text for source in python) | \
        declared_return_entries((module_name_for(source.rel), source.text) for source in python) | \
        same_site_entries((module_name_for(source.rel), source.text) for source in python) | \
        declared_alias_entries((source.rel, source.text) for source in python) | \
        project_type_entries((source.rel, source.text) for source in python) | \
        queryset_method_entries(source.text for source in python) | \
        _document_store_entries(sources)


def _document_store_entries(sources: Sequence[SourceFile]) -> frozenset[str]:
    from servicelens.taint.models import load_models

    models = load_models("javascript")
    return document_store_entries(((source.rel, source.text) for source in sources if source.kind in JS_LANGUAGES
                                   or source.rel.rsplit("/", 1)[-1] == "package.json"),
                                  models.document_stores, models.relational_stores)


def _salt(settings: Settings) -> str:
    """Everything besides file contents that changes results, user model contents included."""
    from servicelens.taint.models import user_models_fingerprint

    return "\0".join((settings.cache_fingerprint(), user_models_fingerprint(settings.extra_model_dirs)))
