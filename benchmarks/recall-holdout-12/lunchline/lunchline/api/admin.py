import logging

from lunchline.auth import current_principal
from lunchline.auth.decorators import require_role
from lunchline.db import session, transaction
from lunchline.models import Role, School
from lunchline.repositories import UserRepository
from lunchline.serializers import user_out
from lunchline.services import NotFound

log = logging.getLogger(__name__)


@require_role("admin")
def update_school(school_id, body):
    with transaction():
        school = session.get(School, school_id)
        if school is None:
            raise NotFound("school not found")
        if "name" in body:
            school.name = body["name"]
        if "sibling_discount_enabled" in body:
            school.sibling_discount_enabled = bool(body["sibling_discount_enabled"])
    return {"id": school.id, "name": school.name, "sibling_discount_enabled": school.sibling_discount_enabled}, 200


@require_role("admin")
def deactivate_user(user_id):
    with transaction():
        user = UserRepository(session).get(user_id)
        if user is None:
            raise NotFound("user not found")
        user.is_active = False
    log.info("user %s deactivated by %s", user_id, current_principal().user_id)
    return None, 204


def set_role(user_id, body):
    users = UserRepository(session)
    with transaction():
        user = users.get(user_id)
        if user is None:
            raise NotFound("user not found")
        users.set_role(user, Role(body["role"]), body.get("school_id"))
    log.info("user %s role changed to %s by %s", user_id, body["role"], current_principal().user_id)
    return user_out(user), 200
