from fastapi import Header, HTTPException


async def require_admin(x_role: str = Header("")):  # reach: request
    if x_role != "admin":
        raise HTTPException(status_code=403)


async def require_owner(x_owner: str = Header("")):  # reach: none
    return x_owner
