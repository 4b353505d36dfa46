"""A hard-coded literal's confidence follows its use (rules/python/_secret_uses.py): high where
it reaches a key or credential argument or a signing setting, low where only its name says it
is a credential, and the fallback of an environment lookup that keys a MAC is medium."""
from __future__ import annotations

from functools import lru_cache

from servicelens.analysis.python_file import analyze_python
from servicelens.model.finding import Confidence
from servicelens.rules.base import Rule, discover_rules
from servicelens.rules.python._secret_uses import secret_uses
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import ModelIndex, load_models


@lru_cache(maxsize=1)
def _engine() -> tuple[tuple[Rule, ...], ParserPool, ModelIndex]:
    return discover_rules("servicelens.rules.python"), ParserPool(), load_models()


def _confidences(source: str) -> dict[int, Confidence]:
    rules, parsers, models = _engine()
    facts = analyze_python("service/keys.py", source, parsers, models, frozenset(), file_rules=rules)
    return {f.location.start_line: f.confidence for f in facts.findings if f.concern == "hardcoded-secret"}


SOURCE = '''\
import hmac, os
import redis
from cryptography.fernet import Fernet

MATERIAL = "q8ZrX2vN5tLw0pKc7mYj3HsB9dFg4RaE1uQi6oTe-Wz="
BILLING_API_TOKEN = "rpt_9f8e7d6c5b4a3210"
CACHE_PASSWORD = "Rz81-Lq0x-Pw5m"
LOG_MAC = os.getenv("LOG_MAC") or "shared-log-mac"
SECRET_KEY = "k3#9x!f0q$zt8w@l2m5v7b1n4c6"

box = Fernet(MATERIAL)
cache = redis.Redis(password=CACHE_PASSWORD)


def mac(line: bytes) -> str:
    return hmac.new(LOG_MAC.encode(), line, "sha256").hexdigest()
'''


def test_confidence_follows_the_use() -> None:
    assert _confidences(SOURCE) == {
        5: Confidence.HIGH,     # reaches Fernet's key, whatever it is called
        6: Confidence.LOW,      # a credential by its name alone
        7: Confidence.HIGH,     # reaches a client's credential parameter
        8: Confidence.MEDIUM,   # the fallback that keys the MAC whenever LOG_MAC is unset
        9: Confidence.HIGH,     # the framework's signing setting
    }


def test_key_argument_takes_the_longest_suffix() -> None:
    uses = secret_uses()
    assert uses.key_argument("jwt.encode").position == 1
    assert uses.key_argument("authlib.jose.jwt.encode").position == 2
    assert uses.key_argument("cryptography.fernet.Fernet").keyword == "key"
    assert uses.key_argument("json.encode") is None


JS_SOURCE = '''\
const session = require('express-session');
const STRIPE_API_KEY = 'rk_test_51Hq8Zp2eVbN4';
const JWT_SECRET = 'Zq81-Lm2x-Pw0v';
const STORE_PASSWORD = 'minioadmin';
const config = { mail: { password: 'Mz81-Qx0p-Lw5n' } };
app.use(session({ secret: 'Tx91-Vb2n-Kq7w' }));
register({ 'post /auth/api-token': 'Pa81-Lz0q-Mx5w' });
'''


def test_javascript_confidence_follows_the_use(tmp_path) -> None:
    from servicelens.api import review
    from servicelens.config.settings import Settings

    (tmp_path / "server.js").write_text(JS_SOURCE, "utf-8")
    report = review(tmp_path, Settings(select=frozenset({"hardcoded-secret"}), use_cache=False, profile="extended"))
    found = {f.location.start_line: f.confidence for f in report.findings if f.concern == "hardcoded-secret"}
    assert found == {
        2: Confidence.LOW,    # a credential by its name alone
        3: Confidence.HIGH,   # a name frameworks sign with
        5: Confidence.LOW,    # a config object's key, no use seen
        6: Confidence.HIGH,   # a call's option: session signs cookies with it
        7: Confidence.LOW,    # a route map's key, not a parameter's name
    }                         # line 4: MinIO's stock default, not a secret


HEADER_SOURCE = '''\
class Carrier:
    api_key = "cr_8Kq2Lm9Xz4Vb7Nc1Rw5Yh3Js"
    partner_token = "pt_3Jd9sLq0Px7RtV2mB8nZ"

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.api_key}"}
'''


def test_a_credential_header_is_a_use() -> None:
    assert _confidences(HEADER_SOURCE) == {2: Confidence.HIGH, 3: Confidence.LOW}
