from fastapi import APIRouter, Depends, Request

from app.clients.payments import PaymentsClient
from app.deps import CurrentUser, SessionDep
from app.repositories.users import UserRepository
from app.schemas import TopUpIn, UserOut, UserProfileUpdate, WalletOut
from app.services.wallet import WalletService

router = APIRouter(prefix="/users", tags=["users"])


def payments_client() -> PaymentsClient:
    return PaymentsClient()


@router.get("/me", response_model=UserOut)
async def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.patch("/me", response_model=UserOut)
async def update_me(request: Request, user: CurrentUser, session: SessionDep) -> UserOut:
    data = await request.json()
    UserProfileUpdate.model_validate(data)  # rejects bad types / over-long values
    await UserRepository(session).update(user, data)
    await session.commit()
    return UserOut.model_validate(user)


@router.get("/me/wallet", response_model=WalletOut)
async def get_wallet(user: CurrentUser, session: SessionDep) -> WalletOut:
    return WalletOut.model_validate(await WalletService(session).balance(user.id))


@router.post("/me/wallet/top-up", response_model=WalletOut)
async def top_up(
    body: TopUpIn,
    user: CurrentUser,
    session: SessionDep,
    payments: PaymentsClient = Depends(payments_client),
) -> WalletOut:
    wallet = await WalletService(session).top_up(user, body.amount, body.payment_method_id, payments)
    return WalletOut.model_validate(wallet)
