import random
import string

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Membership, Organization, Role

INVITE_ALPHABET = string.ascii_uppercase + string.digits


def generate_invite_code(length: int = 10) -> str:
    return "".join(random.choices(INVITE_ALPHABET, k=length))


async def rotate_invite_code(session: AsyncSession, org: Organization) -> str:
    org.invite_code = generate_invite_code()
    await session.commit()
    return org.invite_code


async def join_with_invite(session: AsyncSession, user_id: int, code: str) -> Membership | None:
    org = await session.scalar(select(Organization).where(Organization.invite_code == code))
    if org is None:
        return None
    existing = await session.scalar(
        select(Membership).where(Membership.org_id == org.id, Membership.user_id == user_id)
    )
    if existing is not None:
        return existing
    membership = Membership(org_id=org.id, user_id=user_id, role=Role.accountant)
    session.add(membership)
    await session.commit()
    return membership
