"""Request bodies, uploads and batches the service accepts without a size limit.

## What it finds
- Flask handlers that read `request.files`, `request.get_data()`, `request.data` or
  `request.stream` when no file of the project sets `MAX_CONTENT_LENGTH`;
- Django settings with `DATA_UPLOAD_MAX_MEMORY_SIZE = None` (or the file count set to None,
  or the field count set to None while the body size is uncapped too: fields are counted inside
  the 2.5 MB body DATA_UPLOAD_MAX_MEMORY_SIZE caps), or `FILE_UPLOAD_MAX_MEMORY_SIZE` above 100 MB;
- FastAPI/Starlette handlers that `await request.body()` or `await upload.read()` (the whole
  file) with no size check in the handler;
- FastAPI write endpoints whose body is a list, or a Pydantic model with a list field, with no
  `max_length` (`Field(max_length=...)`, `conlist(..., max_length=...)`).

## Why it matters
Without a limit one client decides how much memory, disk and CPU a request takes: a 2 GB
upload read into memory kills the worker (and its in-flight requests), and a batch of
1,000,000 items holds a worker and a database transaction for minutes. It takes one
request, not a flood, so rate limits do not help.

## Example
```python
@app.post("/avatar")
def avatar():
    request.files["file"].save(path)
```

## Fix
```python
app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024  # 413 above 10 MB
```
FastAPI: check `upload.size` (or read in chunks and stop past a limit), bound lists with
`Field(max_length=100)`; Django: keep `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB default).

## Known problems
A limit enforced by the reverse proxy (nginx `client_max_body_size`) is not seen. A size
check is recognised by words (`size`, `content-length`, `len(`) in the handler.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.fixcode import strip_comment
from servicelens.fixcode.body_limits import bounded_list_field, bounded_list_param, streamed_body, upload_checked
from servicelens.fixcode.routes import def_header, on_flask_app
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._common import AppSite, flask_app_site, is_settings_module, module_constants
from servicelens.rules.python.perf_common import PerfContext, method_of, reviewable
from servicelens.taint.scope import ModuleScope

_FLASK_READS = re.compile(r"\brequest\.(files|data|stream|get_data\(\))")
_SIZE_CHECK = re.compile(r"(?i)\.size\b|content.length|max_|limit")
_BOUNDED_LIST = re.compile(r"max_length|max_items|conlist|Len\(|MaxLen")
_DJANGO_NONE = ("DATA_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_NUMBER_FIELDS", "DATA_UPLOAD_MAX_NUMBER_FILES")
_HUGE = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class BodyFacts:
    sets_limit: bool  # MAX_CONTENT_LENGTH appears in this file
    flask_reads: tuple[tuple[str, int, str], ...]  # (path, line, handler)
    # (class qualname, list field, line, the field's line, the class line): the last two for the fix
    unbounded_schemas: tuple[tuple[str, str, int, str, str], ...]
    # (path, line, handler, body type qualname or "list", parameter, def line)
    batch_params: tuple[tuple[str, int, str, str, str, str], ...]
    flask_app: AppSite | None = None  # where the app is created: the limit is set there


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_settings_module(module):
        yield from _django_settings(module)
    if not reviewable(module):
        return
    ctx = PerfContext.shared(module, scope)
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is not None and handler.framework in ("fastapi", "starlette"):
            yield from _whole_body_reads(module, function, ctx)


def _django_settings(module: ir.Module) -> Iterator[Finding]:
    constants = module_constants(module)
    body_capped = not _is_none(constants.get("DATA_UPLOAD_MAX_MEMORY_SIZE"))
    for name, stmt in constants.items():
        value = stmt.value
        unlimited = name in _DJANGO_NONE and _is_none(stmt)
        if unlimited and name in _COUNTS and body_capped:
            # fields are counted inside a body DATA_UPLOAD_MAX_MEMORY_SIZE still caps (2.5 MB by
            # default): lifting the count for bulk forms leaves the request bounded
            continue
        huge = name == "FILE_UPLOAD_MAX_MEMORY_SIZE" and isinstance(value, ir.Const) \
            and isinstance(value.value, int) and value.value > _HUGE
        if unlimited or huge:
            yield _finding(module.path, stmt.line, f"`{name}` {'is None: no limit' if unlimited else 'keeps huge uploads in memory'}",
                           f"{name} = 2_621_440  # Django's default, 2.5 MB")


# form fields live in the part of the body DATA_UPLOAD_MAX_MEMORY_SIZE caps; uploaded files do
# not (Django excludes file data from that cap), so their count stays a finding
_COUNTS = ("DATA_UPLOAD_MAX_NUMBER_FIELDS",)


def _is_none(stmt: ir.Assign | None) -> bool:
    return stmt is not None and isinstance(stmt.value, ir.Const) and stmt.value.value is None


def _whole_body_reads(module: ir.Module, function: ir.Function, ctx: PerfContext) -> Iterator[Finding]:
    start = function.body[0].line if function.body else function.end_line
    if _SIZE_CHECK.search("\n".join(module.lines[start - 1:function.end_line])):
        return  # the handler looks at a size somewhere: trust it
    uploads = {p.name for p in function.params if "UploadFile" in (ir.dotted_name(p.annotation) or "")
               if p.annotation is not None}
    for site in ctx.view(function).sites:
        call, receiver = site.call, ir.dotted_name(site.call.func.value) if isinstance(site.call.func, ir.Attr) else ""
        whole = (method_of(call) == "body" and receiver == "request") or \
            (method_of(call) == "read" and receiver in uploads and not call.args)
        if whole and site.awaited:
            yield _finding(module.path, call.line, f"`{function.name}` reads the whole request body with no size limit",
                           _read_fix(module, call, receiver if receiver in uploads else ""))
            return


def _read_fix(module: ir.Module, call: ir.Call, upload: str) -> str:
    """The read itself, checked against the module's own size constant when it has one."""
    limit = next((n for n in module_constants(module) if "MAX" in n and re.search(r"UPLOAD|SIZE|BODY|BYTES|LENGTH", n)), "")
    code = module.lines[call.line - 1]
    fixed = upload_checked(code, upload, limit or "MAX_UPLOAD_BYTES") if upload else \
        streamed_body(code, limit or "MAX_BODY_BYTES")
    if fixed and not limit:
        fixed = f"{'MAX_UPLOAD_BYTES' if upload else 'MAX_BODY_BYTES'} = 10 * 1024 * 1024  # module level\n{fixed}"
    return fixed or ""


def collect(module: ir.Module, scope: ModuleScope) -> BodyFacts | None:
    text = "\n".join(module.lines)  # one substring search each (neither needle spans a line break)
    sets_limit = "MAX_CONTENT_LENGTH" in text
    reads: list[tuple[str, int, str]] = []
    batches: list[tuple[str, int, str, str, str, str]] = []
    if reviewable(module):
        for function in module.functions:
            handler = scope.handlers.get(function.qualname)
            if handler is None:
                continue
            if handler.framework == "flask":
                reads.extend(_flask_reads(module, function))
            elif handler.framework == "fastapi" and set(handler.methods) & {"POST", "PUT", "PATCH"}:
                batches.extend(_body_params(module, scope, function))
    schemas = tuple(_unbounded_lists(module))
    app = flask_app_site(module, scope) if "Flask(" in text else None
    if not (sets_limit or reads or batches or schemas or app):
        return None
    return BodyFacts(sets_limit, tuple(reads), schemas, tuple(batches), app)


def _flask_reads(module: ir.Module, function: ir.Function) -> Iterator[tuple[str, int, str]]:
    for line in range(function.line, function.end_line + 1):
        if _FLASK_READS.search(module.line_text(line)):
            yield module.path, line, function.name
            return


def _body_params(module: ir.Module, scope: ModuleScope,
                 function: ir.Function) -> Iterator[tuple[str, int, str, str, str, str]]:
    for param in function.params:
        if param.annotation is None or param.default is not None:
            continue
        annotation = param.annotation
        head = annotation.value if isinstance(annotation, ir.Subscript) else \
            annotation.children[0] if isinstance(annotation, ir.Opaque) and annotation.kind == "generic_type" \
            and annotation.children else None  # `list[Item]` lowers to a generic_type
        def_line = def_header(module.lines, function.line)
        if head is not None and ir.dotted_name(head) in ("list", "List", "typing.List", "Sequence"):
            yield module.path, param.line, function.name, "list", param.name, def_line
        else:
            name = ir.dotted_name(annotation) or ""
            if name[:1].isupper():
                yield module.path, param.line, function.name, scope.qualify(name, None, set()) or name, param.name, def_line


def _unbounded_lists(module: ir.Module) -> Iterator[tuple[str, str, int, str, str]]:
    """List fields of Pydantic models with no max_length."""
    for cls in module.classes:
        bases = " ".join(ir.dotted_name(b) or "" for b in cls.bases)
        if "BaseModel" not in bases and "Schema" not in bases:
            continue
        for stmt in cls.body:
            if not isinstance(stmt, ir.Assign) or stmt.annotation is None or len(stmt.targets) != 1:
                continue
            text = module.line_text(stmt.line)
            if re.search(r":\s*(list|List|Sequence|set)\[", text) and not _BOUNDED_LIST.search(text):
                yield (f"{module.module_name}.{cls.qualname}", ir.dotted_name(stmt.targets[0]) or "", stmt.line,
                       strip_comment(text), module.line_text(cls.line))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, BodyFacts)]
    if not any(f.sets_limit for f in facts):
        app = next((f.flask_app for f in facts if f.flask_app is not None), None)
        for fact in facts:
            for path, line, handler in fact.flask_reads:
                yield _finding(path, line, f"`{handler}` accepts an upload/body of any size: MAX_CONTENT_LENGTH is not set",
                               *_flask_limit(app))
    schemas: dict[str, tuple[str, int, str, str]] = {}
    for fact in facts:
        for qualname, field, line, text, header in fact.unbounded_schemas:
            schemas.setdefault(qualname, (field, line, text, header))
    names = {q.rsplit(".", 1)[-1]: q for q in schemas}
    for fact in facts:
        for path, line, handler, body, param, def_line in fact.batch_params:
            qualname = body if body in schemas else names.get(body.rsplit(".", 1)[-1], "")
            if body == "list" or qualname:
                what = "a list" if body == "list" else f"`{qualname.rsplit('.', 1)[-1]}.{schemas[qualname][0]}`"
                if body == "list":
                    code = bounded_list_param(def_line, param) or ""
                else:
                    field = bounded_list_field(schemas[qualname][2])
                    code = f"{schemas[qualname][3]}\n    {field}" if field else ""
                yield _finding(path, line, f"`{handler}` accepts {what} with no maximum length", code, batch=True)


def _flask_limit(app: AppSite | None) -> tuple[str, tuple[TraceStep, ...]]:
    """The limit set on the application object, where the project creates it."""
    if app is None:
        return "", ()
    code = on_flask_app(app.name, app.code, app.factory, ['{app}.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024  # 413 above 10 MB'])
    return code, (TraceStep(Location(app.path, app.line), f"`{app.name}`: the application, created without "
                            "MAX_CONTENT_LENGTH", app.code),)


def _finding(path: str, line: int, title: str, code: str, evidence: tuple[TraceStep, ...] = (),
             batch: bool = False) -> Finding:
    why = ("One request decides how much work the service does: a batch of a million items holds a worker and a "
           "transaction for minutes." if batch else
           "One request decides how much memory and disk the worker uses: a 2 GB body read into memory kills the "
           "worker and every request it was serving, and it takes one client, not a flood.")
    return make_finding("unbounded-request-body", Location(path, line), title, why,
                        confidence=Confidence.MEDIUM if batch else Confidence.HIGH, rule=RULE.id, key=title,
                        evidence=evidence,
                        fix=Fix("Set an explicit limit and reject larger requests with 413/422.", code,
                                "python" if code else ""))


RULE = Rule("py-perf-unbounded-request-body", frozenset({"unbounded-request-body"}), "python", check,
            collect=collect, combine=combine,
            requires=("request", "max_content_length", "upload", "basemodel", "schema", "flask", "fastapi"))
