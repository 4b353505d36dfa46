"""Flow-sensitive taint inside one function, producing a symbolic FunctionSummary.

Statements are interpreted in order over an environment of abstract values. Branches
are analysed separately and joined, except a branch whose condition folds to a constant
(that branch alone runs) and a branch that exits (return/raise/abort: it does not reach
the code after the `if`). Loops run twice, enough for values to flow around once.
Guards (taint/guards.py) cleanse a variable in the branch where the test proves it safe.
"""
from __future__ import annotations


from servicelens import ir
from servicelens.taint.address_checks import guard_call, guarded_names, top_level_functions
from servicelens.taint.calls import LOCALS_TAG, RESPONSE_LOCALS, CallEvaluator
from servicelens.taint.class_constants import class_level_constant
from servicelens.taint.consts import truth
from servicelens.taint.guards import EXPR_KEY, URL as URL_KINDS, URL_PARSERS, Guard, common_path_args, expr_key, guards_of
from servicelens.taint.models import ALL
from servicelens.taint.patterns import compiled_pattern, module_patterns
from servicelens.taint.conversions import converted_names
from servicelens.taint.flags import check_of, expand_flags, is_check, read_names
from servicelens.taint.lookups import found_branch, looked_up_keys, registry_lookup, subscript_key
from servicelens.taint.predicates import FIXED_ORIGIN, LOCAL_URL
from servicelens.taint.returned import function_kind, member_kinds
from servicelens.taint.scope import ModuleScope
from servicelens.taint.uploads import ARCHIVE
from servicelens.taint.url_checks import STRICT, local_verdict, project_verdict
from servicelens.taint.summary import FunctionSummary
from servicelens.taint.values import CLEAN, EMPTY, Origin, Taint, Value, iterated, join, merge

Env = dict[str, Value]
_EXIT_CALLS = frozenset({"abort", "flask.abort", "sys.exit", "exit", "quit", "os._exit",
                         "werkzeug.exceptions.abort", "fastapi.HTTPException"})


def analyze_function(scope: ModuleScope, function: ir.Function) -> FunctionSummary:
    """Summarise one function."""
    return _Engine(scope, function).run()[0]


def analyze_function_env(scope: ModuleScope, function: ir.Function) -> tuple[FunctionSummary, dict[str, Value]]:
    """Summarise one function and return its final local values: what callbacks defined in it
    see of its variables (JavaScript closures)."""
    return _Engine(scope, function).run()


def analyze_module_body(scope: ModuleScope) -> tuple[FunctionSummary, dict[str, Value]]:
    """Summarise the module's top-level code; also return the module-level values
    (constants, tagged objects such as loggers and HTTP sessions) functions can see."""
    summary, env = _Engine(scope, None).run()
    return summary, {name: _without_taint(value) for name, value in env.items()}


def _without_taint(value: Value) -> Value:
    elements = tuple((k, _without_taint(v)) for k, v in value.elements) if value.elements else value.elements
    return Value(const=value.const, elements=elements, shape=value.shape if not value.taint else None, tags=value.tags)


class _Engine(CallEvaluator):
    def __init__(self, scope: ModuleScope, function: ir.Function | None) -> None:
        super().__init__(scope, function)
        self.returns = EMPTY
        self.expression_guards = False  # set once a guard names an expression (`request.args.get("next")`)
        self.parsed_urls: dict[str, str] = {}
        # `handler = REGISTRY.get(table)` on a constant container: handler -> "table", so a later
        # `if handler is None: return` leaves `table` one of the registry's keys (taint.lookups)
        self.found_by: dict[str, str] = {}
        # `url_is_safe = url_has_allowed_host_and_scheme(url, ...)`: flag -> the check it holds, so a
        # later `if url_is_safe:` proves what the check proves (taint.flags)
        self.flags: dict[str, ir.Expr] = {}
        # per enclosing `try` body: the values a raising lookup narrowed, as they were before it;
        # its handlers run exactly when such a lookup raised, with the key not found
        self.unnarrowed: list[Env] = []
        self.common_paths: dict[str, tuple[str, ...]] = {}
        # names bound to `re.compile("...")`, the module's and then the function's own (taint.patterns)
        self.patterns: dict[str, str] = dict(module_patterns(scope))
        self.loop_exits: list[list[Env]] = []  # per enclosing loop: states at break/continue
        self.returned_classes: set[str] = set()
        self.return_kinds: set[str] = set()
        self.returned_members: list[tuple[str, ...]] = []
        self.unpacked: dict[str, int] = {}
        self.returns_count = 0
        # field -> taint over every return, while each returns an object literal (None once one does not)
        self.returned_fields: dict[str, Taint] | None = {}

    def run(self) -> tuple[FunctionSummary, Env]:
        env: Env = {}
        body: tuple[ir.Stmt, ...]
        params: tuple[str, ...]
        if self.function is None:
            body, key, line, params = self.scope.module.body, f"{self.scope.name}.<module>", 1, ()
        else:
            body, line = self.function.body, self.function.line
            # one object per name (servicelens.names): summaries are held for every file until the
            # project phase, and rules' facts name the same functions and parameters
            key = self.scope.names(f"{self.scope.name}.{self.function.qualname}")
            params = tuple(self.scope.names(p.name) for p in self.function.params)
            env.update(self.initial_params())
        self.local_names.update(env)
        self.local_names.update(ir.assigned_names(self.scope.walk_stmts(body)))
        self.block(body, env)
        fields = tuple((self.class_key, attr, taint) for attr, taint in sorted(self.field_stores.items())) + \
            tuple((RESPONSE_LOCALS, attr, taint) for attr, taint in sorted(self.locals_stores.items()))
        returns_class = next(iter(self.returned_classes)) if len(self.returned_classes) == 1 else ""
        sinks = self.sink_events()
        if any(e.kind == "xss" for e in sinks):  # the extra walk only where it can change something
            plain = _made_non_html(body)
            sinks = tuple(e for e in sinks if not (e.kind == "xss" and e.line in plain))
        returned_fields = tuple(sorted(self.returned_fields.items())) if self.returned_fields else ()
        summary = FunctionSummary(key, self.scope.module.path, line, params, self.returns,
                                  sinks, self.call_records(), fields, returns_class, function_kind(self.return_kinds),
                                  returned_fields, member_kinds(self.returned_members))
        return summary, env

    # ------------------------------------------------------------ statements
    def block(self, stmts: tuple[ir.Stmt, ...], env: Env) -> bool:
        """Interpret `stmts` in `env` (mutated); True when the block always exits."""
        for stmt in stmts:
            if self.statement(stmt, env):
                return True
        return False

    def statement(self, stmt: ir.Stmt, env: Env) -> bool:
        if isinstance(stmt, ir.Assign):
            self.assign(stmt, env)
            self.narrow_address_checked(stmt.value, env)
        elif isinstance(stmt, ir.ExprStmt):
            self.eval(stmt.value, env)
            self.narrow_looked_up(stmt.value, env)
            self.narrow_converted(stmt.value, env)
            self.narrow_address_checked(stmt.value, env)
            return self.is_exit_call(stmt.value)
        elif isinstance(stmt, ir.Return):
            value = self.eval(stmt.value, env) if stmt.value is not None else CLEAN
            self.on_return(stmt, value)
            self.returned_classes.update(t[6:] for t in value.tags if t.startswith("class:"))
            self.returns_count += 1
            returned = value.all_taint()
            if FIXED_ORIGIN in value.tags or LOCAL_URL in value.tags:
                # summaries carry taint, not tags: a URL whose host the server chose (or checked),
                # or a path of this site (`reverse(...) + "?token=" + t`), cannot choose a host for
                # the caller either
                returned = frozenset(origin.cleanse(URL_KINDS) for origin in returned)
            self.returns = merge(self.returns, self.step_all(returned, stmt.line, "returned"))
            self._return_fields(value, FIXED_ORIGIN not in value.tags and LOCAL_URL not in value.tags, stmt.line)
            return True
        elif isinstance(stmt, ir.Raise):
            if stmt.exc is not None:
                self.eval(stmt.exc, env)
            return True
        elif isinstance(stmt, ir.Jump):
            if stmt.kind in ("break", "continue") and self.loop_exits:
                self.loop_exits[-1].append(dict(env))  # this state reaches the code after the loop
            return stmt.kind in ("break", "continue")
        elif isinstance(stmt, ir.If):
            return self.if_statement(stmt, env)
        elif isinstance(stmt, (ir.For, ir.While)):
            self.loop(stmt, env)
        elif isinstance(stmt, ir.Try):
            return self.try_statement(stmt, env)
        elif isinstance(stmt, ir.With):
            for item in stmt.items:
                value = self.eval(item.context, env)
                if item.target is not None:
                    self.bind(item.target, value, env, stmt.line)
            return self.block(stmt.body, env)
        elif isinstance(stmt, ir.ImportStmt):
            for imp in stmt.imports:
                env.pop(imp.local, None)
                self.local_imports[imp.local] = imp.target
        return False

    def assign(self, stmt: ir.Assign, env: Env) -> None:
        if stmt.value is None:
            return
        self.note_parsed_url(stmt)
        value = self.eval(stmt.value, env)
        if stmt.op is not None and stmt.targets:
            current = self.eval(stmt.targets[0], env)
            value = self.combine_binary(stmt.op, current, value)
        registry = registry_lookup(stmt.value)
        for target in stmt.targets:
            self.bind(target, value, env, stmt.line)
            if isinstance(target, ir.Name) and stmt.op is None and len(stmt.targets) == 1:
                self.note_flag(target.id, stmt.value, env)
            if isinstance(target, ir.Name):
                self.found_by.pop(target.id, None)
                if registry is not None and self.is_constant_in(registry[0], env):
                    self.found_by[target.id] = registry[1]
        self.narrow_looked_up(stmt.value, env)
        self.narrow_converted(stmt.value, env)

    def test_guards(self, test: ir.Expr, env: Env) -> list[Guard]:
        """What `test` proves (taint.guards), and, where it reads a flag, what the check the flag
        holds proves as well (taint.flags): `if ok:` still proves `ok` itself true."""
        tests = [test]
        expanded = expand_flags(test, self.flags)
        if expanded is not test:
            tests.append(expanded)
        return [guard for one in tests for guard in guards_of(
            one, self.qualify_expr, lambda e: self.is_constant_in(e, env), self.parsed_urls, self.common_paths,
            self.patterns, self.same_site_check)]

    def note_flag(self, name: str, value: ir.Expr, env: Env) -> None:
        """Keep `name = check(x)` when the value is a check (a call, a comparison, a negation or a
        boolean operation, not a read such as `req.query.error`) that proves something of another
        variable (taint.flags)."""
        check = check_of(value)
        if not is_check(check):
            return
        if any(not guard.name.startswith(EXPR_KEY) and guard.name != name
               for guard in guards_of(check, self.qualify_expr, lambda e: self.is_constant_in(e, env),
                                      self.parsed_urls, self.common_paths, self.patterns, self.same_site_check)):
            self.flags[name] = check

    def narrow_converted(self, expr: ir.Expr, env: Env) -> None:
        """After `uuid.UUID(ref)` or `n = int(raw)` returns, the text it converted spells a UUID or a
        number (the conversion raised otherwise): clean for every sink (taint.conversions)."""
        for name in converted_names(expr, self.models.raising_conversions, self.qualify_expr):
            if name in env:
                for frame in self.unnarrowed:
                    frame.setdefault(name, env[name])
                env[name] = _cleanse(env[name], frozenset({ALL}))

    def narrow_looked_up(self, expr: ir.Expr, env: Env) -> None:
        """After `Order.objects.get(pk=order_id)` returns, `order_id` is a key a stored row has
        (the lookup raised otherwise), and after `HANDLERS[kind]` on a constant container, one of
        its keys: no longer the client's free text (taint.lookups)."""
        keys = list(looked_up_keys(expr, self.models, self.qualify_expr))
        indexed = subscript_key(expr) if self.scope.module.language == "python" else None
        if indexed is not None and self.is_constant_in(indexed[0], env):
            # `handler = HANDLERS[kind]` raised KeyError unless kind is a key (JavaScript answers undefined)
            keys.append(indexed[1])
        for name in keys:
            if name in env:
                for frame in self.unnarrowed:
                    frame.setdefault(name, env[name])
                env[name] = _cleanse(env[name], frozenset({ALL}))

    def narrow_address_checked(self, expr: ir.Expr | None, env: Env) -> None:
        """After an SSRF guard called as a statement returns, the URL it checked names a public host
        (taint.address_checks)."""
        call = guard_call(expr)
        if call is None:
            return
        verdicts: dict[str, bool] = self.scope.memo("address-guards", dict)
        functions = self.scope.memo("address-guard-functions", lambda: top_level_functions(self.scope.module))
        for name in guarded_names(expr, self.scope.module, self.qualify_expr(call.func), verdicts, functions):
            if name in env:
                for frame in self.unnarrowed:
                    frame.setdefault(name, env[name])
                env[name] = _cleanse(env[name], frozenset({"ssrf"}))

    def if_statement(self, stmt: ir.If, env: Env) -> bool:
        if isinstance(stmt.test, ir.Opaque) and stmt.test.kind == "case":
            decided = self.case_matches(stmt.test, env)
            if decided is not None:
                return self.block(stmt.body if decided else stmt.orelse, env)
        test = self.eval(stmt.test, env)
        decided = truth(test.const)
        if decided is not None:
            return self.block(stmt.body if decided else stmt.orelse, env)
        body_env, else_env = self.branch_envs(stmt.test, env)
        body_exits = self.block(stmt.body, body_env)
        else_exits = self.block(stmt.orelse, else_env)
        survivors = [e for e, exits in ((body_env, body_exits), (else_env, else_exits)) if not exits]
        if not survivors:
            return True
        env.clear()
        env.update(_join_envs(survivors))
        return False

    def branch_envs(self, test: ir.Expr, env: Env) -> tuple[Env, Env]:
        """The values in the branch where `test` is true and in the one where it is false: what a
        lookup found and what the test's guards prove (taint.guards), each applied to its branch."""
        body_env, else_env = dict(env), dict(env)
        found = found_branch(test, self.found_by)
        if found is not None:
            key_env = body_env if found[1] else else_env
            if found[0] in key_env:
                key_env[found[0]] = _cleanse(key_env[found[0]], frozenset({ALL}))
        for guard in self.test_guards(test, env):
            target = body_env if guard.when_true else else_env
            if guard.name.startswith(EXPR_KEY):
                # remembered as a marker; a later read of the same expression is cleansed (see eval)
                self.expression_guards = True
                kinds = ("*",) if ALL in guard.kinds else tuple(sorted(guard.kinds))
                target[guard.name] = Value(tags=frozenset(f"guarded:{k}" for k in kinds))
            elif guard.name in target:
                target[guard.name] = _cleanse(target[guard.name], guard.kinds)
        return body_env, else_env

    def same_site_check(self, call: ir.Call) -> bool | None:
        """Does the project predicate called here prove its argument stays on this site, by its body in
        this module or another (taint.url_checks)? None when no reviewed body asks about a URL's shape."""
        qualified = self.qualify_expr(call.func)
        verdict = local_verdict(self.scope.module, qualified) or project_verdict(qualified, self.scope.url_checks)
        return None if verdict is None else verdict == STRICT

    def _eval_ifexp(self, expr: ir.IfExp, env: Env) -> Value:
        """`is_relative_url(t) ? t : "/home"` (`t if ok(t) else "/"`): each branch is evaluated with
        what the test proves there, as the branches of an `if` statement are."""
        test = self.eval(expr.test, env)
        decided = truth(test.const)
        if decided is not None:
            return self.eval(expr.body if decided else expr.orelse, env)
        body_env, else_env = self.branch_envs(expr.test, env)
        return join(self.eval(expr.body, body_env), self.eval(expr.orelse, else_env))

    def boolop_operands(self, expr: ir.BoolOp, env: Env) -> list[Value]:
        """`is_path_inside(p, root) and p.is_file()`: an operand runs only when those before it
        let it (true for `and`, false for `or`), so what they prove holds while it is evaluated."""
        narrowed = env
        values = []
        for index, operand in enumerate(expr.values):
            values.append(self.eval(operand, narrowed))
            if index == len(expr.values) - 1:
                break
            for guard in self.test_guards(operand, narrowed):
                if guard.when_true == (expr.op == "and") and not guard.name.startswith(EXPR_KEY) \
                        and guard.name in narrowed:
                    narrowed = dict(narrowed) if narrowed is env else narrowed
                    narrowed[guard.name] = _cleanse(narrowed[guard.name], guard.kinds)
        return values

    def loop(self, stmt: ir.For | ir.While, env: Env) -> None:
        self.loop_exits.append([])
        for _ in range(2):
            inner = dict(env)
            if isinstance(stmt, ir.For):
                iterable = iterated(self.eval(stmt.iter, inner))
                item = Value(taint=iterable.all_taint(), tags=iterable.tags & {"request", ARCHIVE})
                self.bind(stmt.target, item, inner, stmt.line)
            else:
                self.eval(stmt.test, inner)
            self.block(stmt.body, inner)
            merged = _join_envs([env, inner])
            env.clear()
            env.update(merged)
        self.block(stmt.orelse, env)
        exits = self.loop_exits.pop()
        if exits:
            merged = _join_envs([env, *exits])
            env.clear()
            env.update(merged)

    def try_statement(self, stmt: ir.Try, env: Env) -> bool:
        before = dict(env)
        self.unnarrowed.append({})
        body_exits = self.block(stmt.body, env)
        unnarrowed = self.unnarrowed.pop()
        survivors: list[Env] = [] if body_exits else [dict(env)]
        if not body_exits:
            self.block(stmt.orelse, survivors[0])
        for handler in stmt.handlers:
            handler_env = _join_envs([before, env, {**env, **unnarrowed}] if unnarrowed else [before, env])
            if not self.block(handler.body, handler_env):
                survivors.append(handler_env)
        final_env = _join_envs(survivors) if survivors else dict(env)
        exits = self.block(stmt.finalbody, final_env) or not survivors
        env.clear()
        env.update(final_env)
        return exits

    # ------------------------------------------------------------ binding
    def forget_flags(self, name: str) -> None:
        """`name` is assigned again: a flag it was, or a flag whose check read it, no longer holds."""
        if self.flags:
            self.flags = {flag: check for flag, check in self.flags.items()
                          if flag != name and name not in read_names(check)}

    def bind(self, target: ir.Expr, value: Value, env: Env, line: int) -> None:
        if isinstance(target, ir.Name):
            self.forget_flags(target.id)
            env[target.id] = self.traced(value, line, f"assigned to `{target.id}`")
            self.local_names.add(target.id)
            self.on_named_value(target.id, value, line)
            self.unpacked.pop(target.id, None)
        elif isinstance(target, (ir.Seq,)):
            starred = any(isinstance(element, ir.Starred) for element in target.elts)
            for index, element in enumerate(target.elts):
                if isinstance(element, ir.Starred):
                    self.bind(element.value, Value(taint=value.all_taint()), env, line)
                else:
                    self.bind(element, value.element(index), env, line)
                    if isinstance(element, ir.Name) and value.elements is None and not starred:
                        self.unpacked[element.id] = index  # a member of what a call returned
        elif isinstance(target, ir.Subscript):
            self.store_item(target, value, env, line)
        elif isinstance(target, ir.Attr):
            self.store_attr(target, value, env, line)
        elif isinstance(target, ir.Starred):
            self.bind(target.value, value, env, line)

    def store_item(self, target: ir.Subscript, value: Value, env: Env, line: int) -> None:
        container = self.eval(target.value, env)
        key = self.eval(target.index, env)
        self.on_store(target, container, key.const, value, line)
        if "session" in container.tags and key.is_tainted():  # a client-chosen session key
            self.add_sink("trust-boundary", line, 0, line, "session store", key.all_taint())
        name = _root_name(target.value)
        if name is None or not isinstance(target.value, ir.Name):
            return
        if key.const is not _unknown() and isinstance(key.const, (str, int, bool)):
            env[name] = container.with_element(key.const, self.traced(value, line, f"stored in `{name}`"))
        else:
            env[name] = container.with_taint(self.step_all(value.all_taint(), line, f"stored in `{name}`"))

    def store_attr(self, target: ir.Attr, value: Value, env: Env, line: int) -> None:
        container = self.eval(target.value, env)
        self.on_store(target, container, target.attr, value, line)
        if isinstance(target.value, ir.Name):
            name = target.value.id
            stored = self.traced(value, line, f"stored in `{name}.{target.attr}`")
            env[name] = container.with_element((".", target.attr), stored)
            if "self" in container.tags and self.class_key and stored.is_tainted():
                self.field_stores[target.attr] = merge(self.field_stores.get(target.attr, EMPTY), stored.all_taint())
        elif LOCALS_TAG in container.tags:
            stored = self.traced(value, line, f"stored in `res.locals.{target.attr}`")
            if stored.is_tainted():
                self.locals_stores[target.attr] = merge(self.locals_stores.get(target.attr, EMPTY), stored.all_taint())

    def note_parsed_url(self, stmt: ir.Assign) -> None:
        """Remember `u = urlparse(x)` (JavaScript: `u = new URL(x)`) so that a later host check on `u` guards `x`, and
        `common = os.path.commonpath([p, root])` so that `common != root` guards `p`."""
        value = stmt.value
        if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) and isinstance(value, ir.Call) \
                and value.args and isinstance(value.args[0], ir.Name) \
                and (self.qualify_expr(value.func) or "").rsplit(".", 1)[-1] in URL_PARSERS:
            self.parsed_urls[stmt.targets[0].id] = value.args[0].id
        compared = common_path_args(value, self.qualify_expr) if len(stmt.targets) == 1 \
            and isinstance(stmt.targets[0], ir.Name) else ()
        if compared:
            self.common_paths[stmt.targets[0].id] = compared
        pattern = compiled_pattern(stmt, self.qualify_expr)
        if pattern is not None:
            self.patterns[pattern[0]] = pattern[1]

    def case_matches(self, test: ir.Opaque, env: Env) -> bool | None:
        """`case 'A' | 'B':` against a subject whose constant value is known; None if unknown."""
        subject = self.eval(test.children[0], env) if test.children else None
        if subject is None or subject.const is _unknown():
            return None
        verdict = False
        for pattern in test.children[1:]:
            nodes = [n for n in ir.walk_expr(pattern) if not isinstance(n, ir.Opaque)]
            if not nodes or all(isinstance(n, ir.Name) and n.id == "_" for n in nodes):
                return True  # the wildcard `case _:` (or a bare capture) always matches
            if not all(isinstance(n, ir.Const) for n in nodes):
                return None  # a capture, class or mapping pattern: not decided here
            verdict = verdict or any(n.value == subject.const for n in nodes if isinstance(n, ir.Const))
        return verdict

    def eval(self, expr: ir.Expr, env: Env) -> Value:
        # the evaluator's own dispatch, inlined: every expression comes through here
        handler = self._eval_by_type.get(type(expr))
        value = handler(self, expr, env) if handler is not None else super().eval(expr, env)
        if self.expression_guards and isinstance(expr, (ir.Call, ir.Subscript, ir.Attr)):
            key = expr_key(expr)
            marker = env.get(key) if key else None
            if marker is not None:
                kinds = {t[8:] for t in marker.tags if t.startswith("guarded:")}
                return _cleanse(value, frozenset({ALL}) if "*" in kinds else frozenset(kinds))
        return value

    # ------------------------------------------------------------ helpers
    def is_constant_in(self, expr: ir.Expr, env: Env) -> bool:
        """Known, untainted contents: a literal, a module constant, or a local holding no client data
        (`names = os.listdir(PLUGINS)`: `if name in names` pins name to one of the server's own)."""
        if isinstance(expr, ir.Name) and expr.id in env:
            value = env[expr.id]
            return not value.tags & {"request", "session"} and (
                not value.is_tainted() or self._returned_by_untainted_calls(value) or self._handed_in_list(expr, value))
        if isinstance(expr, ir.Await):
            return self.is_constant_in(expr.value, env)
        if isinstance(expr, ir.Call):
            # `if lang not in get_locales_from_config()`, `if name in os.listdir(BASE)`: a collection
            # the server computed from nothing the client sent pins the value to one of its own
            return self._untainted_call(expr, env)
        if isinstance(expr, ir.Comprehension):
            # `[e.code for e in await get_valid_extensions()]`: drawn from the server's own collections,
            # with nothing but the loop's own variables and the server's values in each member
            bound = {n.id for t in expr.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}
            members = [expr.elt] + ([expr.value] if expr.value is not None else [])
            return all(self.is_constant_in(i, env) for i in expr.iters) and all(
                self.is_constant_in(n, env) for m in members for n in ir.walk_expr(m)
                if isinstance(n, ir.Name) and n.id not in bound)
        if class_level_constant(self.scope, self.function, expr):
            return True  # `self.languages`, set in the class body when the module was imported
        if isinstance(expr, (ir.Attr, ir.BinOp)) and \
                all(isinstance(n, (ir.Name, ir.Attr, ir.Const, ir.BinOp)) for n in ir.walk_expr(expr)):
            # `s.mac + ".png"`: evaluated without calls, so nothing is recorded twice
            value = self.eval(expr, env)
            return not value.tags & {"request", "session"} and self._server_made(value)
        return self.is_constant_expr(expr)

    def _untainted_call(self, call: ir.Call, env: Env) -> bool:
        """A call handed nothing tainted, on a receiver holding no client data, that is not itself
        a source of request data: judged from its parts (names, attributes, constants) without
        evaluating the call, so nothing is recorded twice."""
        qualified = self.qualify_expr(call.func) or ""
        if qualified in self.models.call_sources:
            return False
        parts = [*call.args, *(kw.value for kw in call.kwargs)]
        if isinstance(call.func, ir.Attr):
            parts.append(call.func.value)
        for part in parts:
            if not all(isinstance(n, (ir.Name, ir.Attr, ir.Const)) for n in ir.walk_expr(part)):
                return False
            value = self.eval(part, env)
            if value.tags & {"request", "session", "request-data"} or (
                    value.is_tainted() and not self._returned_by_untainted_calls(value)):
                return False
        return True

    def _handed_in_list(self, expr: ir.Name, value: Value) -> bool:
        """The collection is this function's own parameter, as handed in (`def safe_target(url,
        allowed_hosts)`: `if urlsplit(url).hostname not in allowed_hosts: return default`): a
        helper written to check a value against the list its callers keep (settings, constants).
        A caller handing it the client's own list is not followed (false negative)."""
        return all(origin.base == ("par", expr.id) and not origin.cleansed for origin in value.all_taint())

    def _returned_by_untainted_calls(self, value: Value) -> bool:
        """Every origin of the value is what a call of the project returned when handed nothing
        tainted (`locales = get_all_locales()`): the server's own data, whatever the callee is."""
        records = {record.index: record for record in self.call_records()}
        origins = value.all_taint()
        for origin in origins:
            record = records.get(origin.base[1]) if origin.base[0] == "ret" else None  # type: ignore[arg-type]
            if record is None or any(record.args) or any(taint for _, taint in record.kwargs):
                return False
        return bool(origins)

    def _server_made(self, value: Value) -> bool:
        """No client data can be in it: no origin at all, or only objects the project built from
        nothing tainted (`s = SocialShare()`; `s.mac`)."""
        records = {record.index: record for record in self.call_records()}
        for origin in value.all_taint():
            record = records.get(origin.base[1]) if origin.base[0] == "ret" else None  # type: ignore[arg-type]
            if record is None or not record.callee.rsplit(".", 1)[-1][:1].isupper() \
                    or any(record.args) or any(taint for _, taint in record.kwargs):
                return False
        return True

    def _return_fields(self, value: Value, uncleansed: bool, line: int) -> None:
        """Add a returned object literal's fields to `returned_fields` (keyed by name: `clause` of
        `{ clause: ... }`, or `.clause` of an object built field by field); anything else returned
        (a call's result, a value with parts no field describes, one cleansed as a whole) ends the
        per-field reading of the function."""
        if self.returned_fields is None:
            return
        if value.elements is None or value.taint or not uncleansed:
            self.returned_fields = None
            return
        for key, element in value.elements:
            name = key if isinstance(key, str) else key[1] if isinstance(key, tuple) and len(key) == 2 \
                and key[0] == "." and isinstance(key[1], str) else None
            if name is None:
                self.returned_fields = None
                return
            stepped = self.step_all(element.all_taint(), line, "returned")
            self.returned_fields[name] = merge(self.returned_fields.get(name, EMPTY), stepped)

    def is_exit_call(self, expr: ir.Expr) -> bool:
        if not isinstance(expr, ir.Call):
            return False
        name = self.qualify_expr(expr.func) or (ir.dotted_name(expr.func) or "")
        # Koa's `ctx.throw(400)` throws an HttpError: like `abort`, the branch ends there
        return name in _EXIT_CALLS or name.endswith((".abort", ".throw"))

    def traced(self, value: Value, line: int, text: str) -> Value:
        if not value.taint and not value.elements:
            return value
        return Value(self.step_all(value.taint, line, text), value.const,
                     tuple((k, self.traced(v, line, text)) for k, v in value.elements) if value.elements else value.elements,
                     value.shape, value.tags)

    def step_all(self, taint: frozenset[Origin], line: int, text: str) -> frozenset[Origin]:
        if not taint:
            return taint
        code = self.scope.module.line_text(line)
        path = self.scope.module.path
        return frozenset(o.step(path, line, text, code) for o in taint)


def _cleanse(value: Value, kinds: frozenset[str]) -> Value:
    if ALL in kinds:
        return Value(const=value.const, shape=value.shape, tags=value.tags - {"request"})
    return Value(frozenset(o.cleanse(kinds) for o in value.taint), value.const,
                 tuple((k, _cleanse(v, kinds)) for k, v in value.elements) if value.elements else value.elements,
                 value.shape, value.tags)


def _made_non_html(body: tuple[ir.Stmt, ...]) -> set[int]:
    """Lines of `resp = make_response(...)` whose response is later given a non-HTML type
    (`resp.mimetype = "text/plain"`, `resp.headers["Content-Type"] = "application/json"`):
    a browser does not render that body as markup."""
    made: dict[str, int] = {}
    plain: set[int] = set()
    for stmt in ir.walk_stmts(body):
        if not isinstance(stmt, ir.Assign) or len(stmt.targets) != 1:
            continue
        target = stmt.targets[0]
        if isinstance(target, ir.Name) and isinstance(stmt.value, ir.Call):
            made[target.id] = stmt.line
            continue
        if not (isinstance(stmt.value, ir.Const) and isinstance(stmt.value.value, str)) or "html" in stmt.value.value:
            continue
        owner = None
        if isinstance(target, ir.Attr) and target.attr in ("mimetype", "content_type", "media_type"):
            owner = target.value
        elif isinstance(target, ir.Subscript) and isinstance(target.index, ir.Const) \
                and str(target.index.value).lower() == "content-type" and isinstance(target.value, ir.Attr) \
                and target.value.attr == "headers":
            owner = target.value.value
        if isinstance(owner, ir.Name) and owner.id in made:
            plain.add(made[owner.id])
    return plain


def _join_envs(envs: list[Env]) -> Env:
    if len(envs) == 1:
        return dict(envs[0])
    result: Env = {}
    first, rest = envs[0], envs[1:]
    for name in set().union(*envs):
        if name.startswith(EXPR_KEY):
            # a guard on an expression holds after the join only if every path checked it
            if all(name in e for e in envs):
                result[name] = Value(tags=frozenset.intersection(*(e[name].tags for e in envs)))
            continue
        merged = first.get(name, CLEAN)
        for other in rest:
            value = other.get(name, CLEAN)
            if value is not merged:  # most names hold the same object on every path: `join` would return it
                merged = join(merged, value)
        result[name] = merged
    return result


def _root_name(expr: ir.Expr) -> str | None:
    while isinstance(expr, (ir.Attr, ir.Subscript)):
        expr = expr.value
    return expr.id if isinstance(expr, ir.Name) else None


def _unknown() -> object:
    from servicelens.taint.values import UNKNOWN

    return UNKNOWN
