from flask_restful import Api

from .accounts import AccountActivity, AccountEntries, AccountResource, AccountSearch
from .transfers import PayoutList, TransferList
from .users import Login, Signup, UserRole


def register_resources(app):
    api = Api(app, prefix="/v1")
    api.add_resource(Signup, "/users")
    api.add_resource(Login, "/auth/token")
    api.add_resource(UserRole, "/users/<int:user_id>/role")
    api.add_resource(AccountResource, "/accounts/<int:account_id>")
    api.add_resource(AccountEntries, "/accounts/<int:account_id>/entries")
    api.add_resource(AccountSearch, "/accounts/<int:account_id>/entries/search")
    api.add_resource(AccountActivity, "/accounts/<int:account_id>/activity")
    api.add_resource(TransferList, "/accounts/<int:account_id>/transfers")
    api.add_resource(PayoutList, "/accounts/<int:account_id>/payouts")
    return api
