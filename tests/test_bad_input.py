"""Bad input becomes diagnostics; the rest of the review proceeds; nothing crashes."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.settings import Settings

VULNERABLE = 'from flask import Flask, request\napp = Flask(__name__)\n\n@app.route("/x")\ndef x():\n    import os\n    os.system(request.args["c"])\n'


def _diag(report: object) -> dict[str, str]:
    return {d.path: d.kind for d in report.diagnostics}  # type: ignore[attr-defined]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "svc"
    root.mkdir()
    (root / "app.py").write_text(VULNERABLE)
    (root / "broken.py").write_text("def broken(:\n    pass\n\nimport os\nos.system(input())\n")
    (root / "latin1.py").write_bytes("# café\nname = 'é'\n".encode("latin-1"))
    (root / "binary.py").write_bytes(b"\x00\x01\x02garbage")
    (root / "empty.py").write_text("")
    (root / "big.py").write_text("x = 1\n" * 400_000)
    (root / "loop").symlink_to(root)
    return root


def test_bad_files_become_diagnostics_and_the_rest_is_reviewed(tree: Path) -> None:
    report = review(tree, Settings(use_cache=False, profile="extended", max_file_bytes=2_000_000))
    kinds = _diag(report)
    assert kinds["broken.py"] == "parse-error"
    assert kinds["latin1.py"] == "not-utf8"
    assert kinds["binary.py"] == "binary"
    assert kinds["empty.py"] == "empty"
    assert kinds["big.py"] == "too-large"
    assert kinds["loop"] == "symlink-loop"
    assert any(f.concern == "command-injection" and f.location.path == "app.py" for f in report.findings)


def test_unreadable_file(tree: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read everything")
    (tree / "secret.py").write_text("x = 1\n")
    (tree / "secret.py").chmod(0)
    assert _diag(review(tree, Settings(use_cache=False, profile="extended")))["secret.py"] == "unreadable"


def test_python_syntax_newer_than_the_interpreter(tmp_path: Path) -> None:
    """PEP 695 and PEP 701 code parses even where the running interpreter's ast cannot."""
    source = (
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "type Alias[T] = list[T]\n"
        "def first[T](items: list[T]) -> T:\n"
        "    return items[0]\n"
        "@app.route('/q')\n"
        "def q():\n"
        "    data = {'a': request.args['a']}\n"
        "    import os\n"
        "    os.system(f\"echo {data[\"a\"]}\")\n"
        "    match data:\n"
        "        case {'a': value}:\n"
        "            return value\n"
    )
    (tmp_path / "modern.py").write_text(source)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert not report.diagnostics
    assert [f.location.start_line for f in report.findings if f.concern == "command-injection"] == [10]


def test_review_never_writes_into_the_tree(tree: Path) -> None:
    before = sorted((p.relative_to(tree), p.stat().st_mtime) for p in tree.glob("*") if not p.is_symlink())
    review(tree, Settings(use_cache=False, profile="extended"))
    after = sorted((p.relative_to(tree), p.stat().st_mtime) for p in tree.glob("*") if not p.is_symlink())
    assert before == after


def test_deeply_nested_generated_code_is_still_reviewed(tmp_path: Path) -> None:
    (tmp_path / "generated.py").write_text("x = " + " + ".join(["'a'"] * 3000) + "\n" + VULNERABLE)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert not report.diagnostics
    assert [f.concern for f in report.findings if f.concern == "command-injection"] == ["command-injection"]


# classes named like the framework bases they extend: a base is matched by its last name, so each
# pair closes a loop (`class BaseAPIView(views.APIView)` beside `class APIView(BaseAPIView)`)
_NAME_LOOPS = '''
from rest_framework import views, generics, viewsets, serializers
from django import forms
from django.views import generic
from django.db import models
import flask_restful
import pydantic
import marshmallow


class BaseAPIView(views.APIView):
    permission_classes = []


class APIView(BaseAPIView):
    def get(self, request, pk):
        return None


class GenericAPIView(generics.GenericAPIView):
    pass


class ListAPIView(GenericAPIView):
    def get(self, request):
        return None


class ModelViewSet(viewsets.ModelViewSet):
    pass


class ReadOnlyModelViewSet(ModelViewSet):
    pass


class BaseSerializer(serializers.ModelSerializer):
    pass


class ModelSerializer(BaseSerializer):
    class Meta:
        fields = "__all__"


class Form(forms.ModelForm):
    pass


class ModelForm(Form):
    class Meta:
        fields = "__all__"


class View(generic.View):
    pass


class TemplateView(View):
    def get(self, request):
        return None


class Model(models.Model):
    pass


class Order(Model):
    total = models.FloatField()


class BaseResource(flask_restful.Resource):
    pass


class Resource(BaseResource):
    def get(self, ident):
        return {}


class Base(pydantic.BaseModel):
    pass


class BaseModel(Base):
    amount: float


class SchemaBase(marshmallow.Schema):
    pass


class Schema(SchemaBase):
    pass
'''


def test_classes_named_like_the_bases_they_extend_are_reviewed(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(_NAME_LOOPS)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "base.py").write_text("from rest_framework import views\nfrom django.db import models\n\n\n"
                                 "class BaseAPIView(views.APIView):\n    pass\n\n\nclass Model(models.Model):\n    pass\n")
    (pkg / "api.py").write_text("from .base import BaseAPIView\nfrom .base import Model as BaseModel\n"
                                "from django.db import models\n\n\nclass APIView(BaseAPIView):\n"
                                "    def get(self, request, pk):\n        return None\n\n\n"
                                "class Model(BaseModel):\n    price = models.FloatField()\n")
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert report.diagnostics == ()
    assert {f.location.path for f in report.findings if f.concern == "float-for-money"} >= {"views.py", "pkg/api.py"}


def test_a_stray_nul_in_utf8_source_is_read_as_text(tmp_path: Path) -> None:
    """git's and ripgrep's NUL sniff would drop a whole module for one padding byte pasted into
    a comment; a source file that is valid UTF-8 with a few NULs is reviewed, and the notes say so.
    UTF-16 text (half NULs) and real binary content stay skipped."""
    padded = VULNERABLE.replace("app = Flask", "# ID3 tags pad with \0\0 bytes\napp = Flask")
    (tmp_path / "padded.py").write_bytes(padded.encode("utf-8"))
    (tmp_path / "wide.py").write_bytes(VULNERABLE.encode("utf-16-le"))
    (tmp_path / "blob.js").write_bytes(b"\x00\x01\x02garbage")
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    kinds = _diag(report)
    assert kinds == {"padded.py": "nul-bytes", "wide.py": "binary", "blob.js": "binary"}
    note = next(d for d in report.diagnostics if d.path == "padded.py")
    assert note.line == 2 and "2 NUL bytes" in note.message
    assert [f.location.start_line for f in report.findings if f.concern == "command-injection"] == [8]
