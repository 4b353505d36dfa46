"""tsconfig path aliases: which names land on a module of the review, and which stay packages."""
from __future__ import annotations

from servicelens.lang.javascript.aliases import alias_table, module_paths

BASE = '{\n  // comments and trailing commas, as tsc reads them\n  "compilerOptions": { "baseUrl": "src", },\n}\n'
APP = '{ "extends": "./tsconfig.base.json", "compilerOptions": { "paths": { "~lib/*": ["../../lib/*"] } } }'
FILES = ["api/src/services/user.ts", "api/src/db/index.ts", "api/src/crypto.ts", "lib/mail.service.ts"]


def _resolve(name: str) -> str:
    table = alias_table([("api/tsconfig.base.json", BASE), ("api/tsconfig.json", APP)])
    return table.resolve(name, module_paths(FILES))


def test_a_bare_path_below_base_url_is_the_review_s_file() -> None:
    assert _resolve("services/user.UserService.find") == "api.src.services.user.UserService.find"
    assert _resolve("db/index.pool") == "api.src.db.pool"
    assert _resolve("db.pool") == ""  # no path: a package named db


def test_paths_of_an_extending_config_are_relative_to_the_inherited_base_url() -> None:
    assert _resolve("~lib/mail.service.send") == "lib.mail_service.send"


def test_packages_and_node_modules_stay_what_they_are() -> None:
    assert _resolve("express.Router") == ""
    assert _resolve("crypto.randomBytes") == ""  # Node's own module, whatever file the review has
    assert _resolve("@nestjs/common.Controller") == ""
    assert _resolve("lodash/fp.map") == ""


def test_an_alias_for_everything_below_base_url_lands_on_the_review_s_files() -> None:
    """`"@server/*": ["*"]` with `baseUrl: "."`: the alias stands for the config's own directory."""
    config = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@server/*": ["*"] } } }'
    files = ["server/routes/settings/index.ts", "server/middleware/auth.ts"]
    table = alias_table([("server/tsconfig.json", config)])
    modules = module_paths(files)
    assert table.resolve("@server/routes/settings", modules) == "server.routes.settings"
    assert table.resolve("@server/middleware/auth.isAuthenticated", modules) == "server.middleware.auth.isAuthenticated"
    top = alias_table([("tsconfig.json", config)])
    assert top.resolve("@server/middleware/auth.check", module_paths(["middleware/auth.ts"])) == "middleware.auth.check"
    assert top.resolve("@server/nothing.here", module_paths(["middleware/auth.ts"])) == ""


def test_a_wildcard_after_a_name_keeps_the_slash_that_follows_it() -> None:
    """`"@app/api*": ["./src/api*"]`: `@app/api/middlewares` is `src/api` + `/middlewares`."""
    config = '{ "compilerOptions": { "paths": { "@app/api*": ["./src/api*"], "@app/lib-*": ["./src/lib-*"] } } }'
    modules = module_paths(["src/api/middlewares/index.ts", "src/api/util.ts", "src/lib-mail.ts"])
    table = alias_table([("tsconfig.json", config)])
    assert table.resolve("@app/api/middlewares.route", modules) == "src.api.middlewares.route"
    assert table.resolve("@app/api/util.check", modules) == "src.api.util.check"
    assert table.resolve("@app/lib-mail.send", modules) == "src.lib-mail.send"
    assert table.resolve("@app/apinothing.x", modules) == ""


def test_a_wildcard_after_a_name_onto_the_root_keeps_no_leading_slash() -> None:
    """`"~*": ["./*"]`: `~/middleware/auth` is `middleware/auth` below the config, not `/middleware/auth`."""
    table = alias_table([("tsconfig.json", '{ "compilerOptions": { "paths": { "~*": ["./*"] } } }')])
    modules = module_paths(["middleware/auth.ts", "util.ts"])
    assert table.resolve("~/middleware/auth.check", modules) == "middleware.auth.check"
    assert table.resolve("~/util.check", modules) == "util.check"
    assert table.resolve("~/nothing.here", modules) == ""
