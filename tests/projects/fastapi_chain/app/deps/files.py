from pathlib import Path

import jwt
from fastapi import HTTPException


def validate_file_token(token: str | None = None) -> Path:
    if not token:
        raise HTTPException(400)
    try:
        payload = jwt.decode(token, "secret", algorithms=["HS256"])
    except jwt.PyJWTError as error:
        raise HTTPException(status_code=401, detail="could not validate file token") from error
    return Path(payload["file"])
