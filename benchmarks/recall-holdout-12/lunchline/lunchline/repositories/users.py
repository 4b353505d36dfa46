from sqlalchemy import func, select

from lunchline.models import Role, User


class UserRepository:
    def __init__(self, session):
        self.session = session

    def get(self, user_id):
        return self.session.get(User, user_id)

    def by_email(self, email):
        stmt = select(User).where(func.lower(User.email) == email.strip().lower())
        return self.session.execute(stmt).scalar_one_or_none()

    def update_profile(self, user, changes):
        for field, value in changes.items():
            if hasattr(user, field):
                setattr(user, field, value)
        self.session.flush()
        self.session.refresh(user)
        return user

    def set_role(self, user, role: Role, school_id=None):
        user.role = role
        user.school_id = school_id
        self.session.flush()
        return user

