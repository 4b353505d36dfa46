"""Django names an uploaded file by its base name.

Django's multipart parser keeps only the last component of the file name a client sends
(and refuses "", "." and ".."), and `UploadedFile.name` applies `os.path.basename` again, so
`upload.name` cannot walk a path. Of what a Django request parses from a body (QueryDict
strings, JSON dicts, lists and scalars, uploaded files) only an uploaded file has a `.name`:
reading `.name` off request data in a Django module is reading that base name. Flask's
`FileStorage.filename`, FastAPI's `UploadFile.filename` and a pydantic or Ninja schema's
`.name` are the client's own text and stay tainted, and so is the `.name` of an archive's
member (`tarfile`'s `TarInfo.name` is the path the archive stores, `../` and all): values read
out of an opened archive carry the ARCHIVE tag, which keeps their `.name` tainted.

An uploaded file is also a writer: Werkzeug's `FileStorage.save(dst)` writes it to `dst` as
given, so that `save` is a path sink, and only on an uploaded file, never a model's or a form's
`save()`. A value is one when it was read from the request's files (source label `uploaded
file`: `request.files["photo"]`, `request.files.get(...)`) or is declared with an uploaded-file
type (the models' `instances` with the UPLOADED_FILE tag: `f: FileStorage`, `UploadFile`).
"""
from __future__ import annotations

from typing import Mapping

from servicelens.taint.values import Taint

# what a Django / DRF request parses out of a body (models/python/django.yaml request_attributes)
_BODY_LABELS = frozenset({"uploaded file", "request body", "raw body", "form field"})
_NAME_CLEARS = frozenset({"path-traversal"})
UPLOADED_FILE = "uploaded-file"  # the models' tag of an uploaded file's type
_UPLOAD_LABELS = frozenset({"uploaded file"})  # the request's files (models/python/*.yaml request_attributes)
ARCHIVE = "archive"  # an opened archive, or what is read out of one (its members)
ARCHIVE_OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "zipfile.ZipFile",
                             "py7zr.SevenZipFile", "rarfile.RarFile"})
_SCHEMA_LIBRARIES = ("ninja", "pydantic", "flask", "fastapi", "starlette", "werkzeug")


def django_upload_module(imports: Mapping[str, str]) -> bool:
    """A module of a Django project that builds no schema objects of its own: its functions'
    parameters holding request data hold what Django parsed."""
    targets = tuple(imports.values())
    return any(t == "django" or t.startswith(("django.", "rest_framework")) for t in targets) and \
        not any(t == lib or t.startswith(lib + ".") for t in targets for lib in _SCHEMA_LIBRARIES)


def upload_name(taint: Taint) -> Taint:
    """The taint of `value.name` in such a module: request data from a body, a parameter (a
    caller's upload) or a call's result (`serializer.validated_data["file"]`, resolved later)
    loses path traversal; other sources (URL parameters, headers) keep everything."""
    return frozenset(origin.cleanse(_NAME_CLEARS) if _body_or_parameter(origin.base) else origin
                     for origin in taint)


def _body_or_parameter(base: tuple[object, ...]) -> bool:
    return base[0] in ("par", "ret") or (base[0] == "src" and len(base) > 2 and base[2] in _BODY_LABELS)


def declared_upload(tag: str | None) -> frozenset[str]:
    """The tags a source parameter keeps from its annotation: only the uploaded-file one."""
    return frozenset({UPLOADED_FILE}) if tag == UPLOADED_FILE else frozenset()


def upload_tags(tags: frozenset[str], taint: Taint) -> frozenset[str]:
    """`tags` plus UPLOADED_FILE when the value is the request's uploaded file itself: read from
    its files (not a value the project built from it, which carries a call's or a field's origin)."""
    if UPLOADED_FILE in tags or not any(origin.base[0] == "src" and len(origin.base) > 2
                                        and origin.base[2] in _UPLOAD_LABELS for origin in taint):
        return tags
    return tags | {UPLOADED_FILE}
