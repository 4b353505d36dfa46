from datetime import datetime, timezone

from sqlalchemy import func, select

from app.models import PasswordReset, User, Wallet
from app.repositories import Repository


class UserRepository(Repository[User]):
    model = User

    async def by_email(self, email: str) -> User | None:
        stmt = select(User).where(func.lower(User.email) == email.lower())
        return await self.session.scalar(stmt)

    async def all_users(self) -> list[User]:
        return list((await self.session.scalars(select(User).order_by(User.id))).all())

    async def wallet_for(self, user_id: int) -> Wallet | None:
        return await self.session.scalar(select(Wallet).where(Wallet.user_id == user_id))


class PasswordResetRepository(Repository[PasswordReset]):
    model = PasswordReset

    async def usable(self, token: str) -> PasswordReset | None:
        stmt = select(PasswordReset).where(
            PasswordReset.token == token,
            PasswordReset.used.is_(False),
            PasswordReset.expires_at > datetime.now(timezone.utc),
        )
        return await self.session.scalar(stmt)
