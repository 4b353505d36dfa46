from fastapi import Header


async def current_user(authorization: str = Header(...)):  # reach: request
    return decode(authorization)


def decode(token: str):  # reach: request
    return {"sub": token}
