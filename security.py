from typing import Annotated

from fastapi import Depends, HTTPException, Security
from fastapi.security import OAuth2PasswordBearer

from docs.db import get_db

oauth2 = OAuth2PasswordBearer(tokenUrl="token")


class User:
    id: str
    name: str


async def get_current_user(token: str = Depends(oauth2), db=Depends(get_db)) -> User:
    user = await db.user_for_token(token)
    if user is None:
        raise HTTPException(status_code=401, detail="invalid token")
    return user


def require_scopes(*scopes: str):
    """The user type of a route that needs these scopes."""
    return Annotated[User, Security(get_current_user, scopes=list(scopes))]


def with_session():
    """A session, for routes that read the caller from nowhere."""
    return Annotated[object, Depends(get_db)]


def requires(role: str):
    return Depends(get_current_user)
