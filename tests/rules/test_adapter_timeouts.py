"""What a transport adapter's `send` does with the request's timeout, read from its body
(rules/python/_adapter_timeouts.py): the shapes real adapters write, and look-alikes that set none."""
from __future__ import annotations

import textwrap

import pytest

from servicelens.analysis.python_file import lower_python
from servicelens.rules.python._adapter_timeouts import INHERITS, NONE, SETS, AdapterIndex, adapter_classes
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models

_HEAD = "from requests.adapters import HTTPAdapter\n\n\nclass Adapter(HTTPAdapter):\n"


def _classes(source: str):
    text = textwrap.dedent(source)
    lowered = lower_python("transport.py", text, tuple(text.splitlines()), ParserPool(), load_models("python"),
                           frozenset())
    return adapter_classes(lowered.module, lowered.scope)


@pytest.mark.parametrize(("body", "verdict"), [
    ("    def send(self, request, **kwargs):\n        kwargs.setdefault('timeout', self.timeout)\n"
     "        return super().send(request, **kwargs)\n", SETS),
    ("    def send(self, request, **kwargs):\n        if kwargs.get('timeout') is None:\n"
     "            kwargs['timeout'] = self.default_timeout\n        return super().send(request, **kwargs)\n", SETS),
    ("    def send(self, request, **kw):\n        kw.update(timeout=(3, 10))\n"
     "        return HTTPAdapter.send(self, request, **kw)\n", SETS),
    ("    def send(self, request, stream=False, timeout=None, **kwargs):\n        if timeout is None:\n"
     "            timeout = self.budget\n"
     "        return super().send(request, stream=stream, timeout=timeout, **kwargs)\n", SETS),
    ("    def send(self, request, timeout=None, **kwargs):\n"
     "        return super().send(request, timeout=timeout or self.budget, **kwargs)\n", SETS),
    # look-alikes: a read of the caller's value, a None, a log line, a send of its own
    ("    def send(self, request, **kwargs):\n        timeout = kwargs.get('timeout')\n"
     "        log.debug('timeout %s', timeout)\n        return super().send(request, **kwargs)\n", INHERITS),
    ("    def send(self, request, **kwargs):\n        kwargs['timeout'] = kwargs.pop('timeout', None)\n"
     "        return super().send(request, **kwargs)\n", INHERITS),
    ("    def send(self, request, **kwargs):\n        kwargs.setdefault('timeout', None)\n"
     "        return super().send(request, **kwargs)\n", INHERITS),
    ("    def send(self, request, **kwargs):\n        return self.replay(request)\n", NONE),
])
def test_send_verdict(body: str, verdict: str) -> None:
    [adapter] = _classes(_HEAD + body)
    assert adapter.send == verdict


def test_inherited_send_and_names_that_say_nothing() -> None:
    classes = _classes('''
        from requests.adapters import HTTPAdapter


        class DeadlineAdapter(HTTPAdapter):
            def send(self, request, **kwargs):
                kwargs.setdefault("timeout", 5)
                return super().send(request, **kwargs)


        class PooledAdapter(DeadlineAdapter):
            def init_poolmanager(self, *args, **kwargs):
                return super().init_poolmanager(*args, maxsize=4, **kwargs)


        class TimeoutAdapter(HTTPAdapter):
            def init_poolmanager(self, *args, **kwargs):
                return super().init_poolmanager(*args, **kwargs)
    ''')
    index = AdapterIndex.of(classes)
    assert index.sets_timeout("transport.PooledAdapter")
    assert index.sets_timeout("transport.DeadlineAdapter")
    assert not index.sets_timeout("transport.TimeoutAdapter")  # named for timeouts, sets none
    assert not index.sets_timeout("requests.adapters.HTTPAdapter")


def test_a_library_adapter_is_not_the_project_class_sharing_its_name() -> None:
    classes = _classes('''
        from requests import adapters


        class HTTPAdapter(adapters.HTTPAdapter):
            def send(self, request, **kwargs):
                kwargs.setdefault("timeout", 5)
                return super().send(request, **kwargs)
    ''')
    index = AdapterIndex.of(classes)
    assert index.sets_timeout("transport.HTTPAdapter")
    assert not index.sets_timeout("requests.adapters.HTTPAdapter")
