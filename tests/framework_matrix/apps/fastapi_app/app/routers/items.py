from fastapi import APIRouter, Depends

from app.deps import OrderServiceDep, current_user

router = APIRouter(prefix="/items")


@router.get("/{item_id}")
async def read_item(item_id: int, user=Depends(current_user)):  # reach: request
    return {"id": item_id}


@router.post("")
async def create_item(user=Depends(current_user)):  # reach: request
    return {}


@router.put("/{item_id}/order")
async def order_item(item_id: int, order_service: OrderServiceDep):  # reach: request
    return order_service.place([item_id])
