"""URLconfs that build their pattern lists in steps: under settings switches, by `+=`,
`.append()`/`.extend()`, concatenation, and lists of the module included under a regex prefix."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.frameworks.regex_routes import regex_route

_VIEWS = """
    from django.http import JsonResponse


    def index(request):
        return JsonResponse({})


    def about(request):
        return JsonResponse({})


    def patches(request):
        return JsonResponse([])


    def series(request):
        return JsonResponse([])


    def comments(request, patch_id):
        return JsonResponse([])


    def token(request):
        return JsonResponse({})


    def debug_panel(request):
        return JsonResponse({})
    """

_URLS = r"""
    from django.conf import settings
    from django.urls import include, path, re_path

    from tracker import views

    urlpatterns = [path("", views.index, name="index")]

    if settings.ENABLE_REST_API:
        api_patterns = [path("patches/", views.patches, name="api-patches")]
        api_patterns += [path("series/", views.series)]
        api_1_1_patterns = []
        api_1_1_patterns.append(path("patches/<int:patch_id>/comments/", views.comments))

        urlpatterns += [
            re_path(r"^api/(?:(?P<version>(1.0|1.1))/)?", include(api_patterns)),
            re_path(r"^api/(?:(?P<version>(1.1))/)?", include(api_1_1_patterns)),
            path("user/generate-token/", views.token),
        ]

    urlpatterns.extend([path("about/", views.about)])


    def debug_urls():
        return [path("debug/", views.debug_panel)]
    """


def _endpoints(tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 1)[-1]: e.path for s in report.overview.services for e in s.endpoints}


def _files(urls: str = _URLS) -> dict[str, str]:
    return {"tracker/__init__.py": "", "tracker/views.py": _VIEWS, "tracker/urls.py": urls}


def test_lists_built_under_a_switch_and_included_under_a_regex_prefix_get_full_paths(tmp_path: Path) -> None:
    paths = _endpoints(tmp_path, _files())
    assert paths["index"] == "/"
    assert paths["patches"] == "/api/patches/"
    assert paths["series"] == "/api/series/"  # `+=` onto the included list
    assert paths["comments"] == "/api/patches/<int:patch_id>/comments/"  # `.append()` onto it
    assert paths["token"] == "/user/generate-token/"
    assert paths["about"] == "/about/"  # `urlpatterns.extend([...])`


def test_an_included_list_is_served_under_its_prefix_only(tmp_path: Path) -> None:
    """The list `include()`d is not also spliced into urlpatterns unprefixed."""
    urls = """
        from django.urls import include, path
        from tracker import views

        api_patterns = [path("patches/", views.patches)]
        urlpatterns = [path("api/v2/", include(api_patterns))]
        """
    assert _endpoints(tmp_path, _files(urls))["patches"] == "/api/v2/patches/"


def test_patterns_a_function_returns_are_not_module_patterns(tmp_path: Path) -> None:
    paths = _endpoints(tmp_path, _files())
    assert paths.get("debug_panel", "").startswith("(")  # not bound by urlpatterns: no path


def test_a_list_extended_with_itself_is_read_once(tmp_path: Path) -> None:
    urls = """
        from django.urls import include, path
        from tracker import views

        api = [path("patches/", views.patches)]
        api = api + [path("series/", views.series)]
        urlpatterns = [path("api/", include(api))]
        """
    paths = _endpoints(tmp_path, _files(urls))
    assert (paths["patches"], paths["series"]) == ("/api/patches/", "/api/series/")


def test_regex_routes_drop_optional_groups_and_keep_nested_named_groups_whole() -> None:
    assert regex_route(r"^api/(?:(?P<version>(1.0|1.1|1.2))/)?") == "api/"
    assert regex_route(r"^confirm/(?P<key>[0-9a-f]+)/$") == "confirm/<key>/"
    assert regex_route(r"^files/(?P<name>(a|b)/.+)/$") == "files/<path:name>/"
    assert regex_route(r"^x/(?P<slug>[-\w]+)?/$") == "x/<slug>/"  # an optional variable stays a variable
    assert regex_route(r"^a/(?:b|c)/$") == "a/(?:b|c)/"  # a required group is kept as written
    assert regex_route(r"^p/(?P<pk>\d+)/(?:edit/)?$") == "p/<pk>/"
    assert regex_route(r"^q/[(]x[)]/(?P<id>\d+)$") == "q/[(]x[)]/<id>"  # parentheses in a class are literal
