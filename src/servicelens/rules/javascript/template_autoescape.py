"""Template auto-escaping turned off: swig, nunjucks, handlebars, ejs, dust, marko or pug
configured so every `{{ value }}` is written into the page raw.

## What it finds
Calls whose options set `autoescape: false` (swig `setDefaults`, nunjucks `configure`),
`noEscape: true` (handlebars `compile`) or `escape: <a function returning its input>`.

## Why it matters
With escaping off, every value a user controls that reaches a template is an XSS: one
comment, display name or search term runs script in every visitor's session.

## Example
```js
swig.setDefaults({ autoescape: false });
```
Use instead:
```js
swig.setDefaults({ autoescape: true });
```

## Fix
Keep auto-escaping on globally and mark the few values that are trusted HTML explicitly
(`| safe` / `{{{ }}}`), after sanitising them.

## Known problems
Escaping disabled per template (`{% autoescape false %}`) is not read.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import is_false, is_true, location, named_calls, option
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    for named in named_calls(module, scope):
        for options in named.call.args:
            if not isinstance(options, ir.DictExpr):
                continue
            setting = "autoescape: false" if is_false(option(options, "autoescape")) else \
                "noEscape: true" if is_true(option(options, "noEscape")) else ""
            if not setting:
                continue
            yield make_finding(
                "xss", location(module, options), f"Template auto-escaping turned off (`{setting}`)",
                "Every value a user controls that reaches a template is then written into the page raw: an XSS "
                "in every view at once.",
                severity=Severity.HIGH, confidence=Confidence.HIGH,
                fix=Fix("Keep auto-escaping on and mark trusted HTML explicitly after sanitising it.",
                        module.line_text(options.line).replace("false", "true") if "autoescape" in setting
                        else module.line_text(options.line).replace("true", "false"), "javascript"),
                rule=RULE.id, key=f"{named.name}|{setting}",
            )


RULE = Rule("js-template-autoescape-off", frozenset({"xss"}), "javascript", check,
            requires=("autoescape", "noescape"))
