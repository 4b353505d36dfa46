from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api

api = Api()
cors = CORS()
limiter = Limiter(key_func=get_remote_address)
