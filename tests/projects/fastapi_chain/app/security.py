from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPBearer, OAuth2PasswordBearer
from jose import JWTError, jwt

reusable_oauth2 = OAuth2PasswordBearer(tokenUrl="/login/access-token")
optional_bearer = HTTPBearer(auto_error=False)


def who_is_calling(token: str = Depends(reusable_oauth2)):
    try:
        payload = jwt.decode(token, "secret", algorithms=["HS256"])
    except JWTError:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Could not validate credentials")
    return payload["sub"]


def active_caller(subject: str = Depends(who_is_calling)):
    return subject


def maybe_caller(credentials=Depends(optional_bearer)):
    return credentials.credentials if credentials else None

