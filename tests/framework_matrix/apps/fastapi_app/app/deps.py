from typing import Annotated

from fastapi import Depends, Header

from app.services import OrderService


async def current_user(authorization: str = Header(...)):  # reach: request
    return decode(authorization)


def decode(token: str):  # reach: request
    return {"sub": token}


def get_order_service(user=Depends(current_user)):  # reach: request
    return OrderService(user)


OrderServiceDep = Annotated[OrderService, Depends(get_order_service)]
