import logging
import uuid
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.payments import PaymentError, PaymentsClient
from app.models import User, Wallet, WalletEntry
from app.services import NotFound, PaymentRequired

log = logging.getLogger(__name__)


class WalletService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _wallet(self, user_id: int) -> Wallet:
        wallet = await self.session.scalar(select(Wallet).where(Wallet.user_id == user_id))
        if wallet is None:
            raise NotFound("wallet not found")
        return wallet

    async def balance(self, user_id: int) -> Wallet:
        return await self._wallet(user_id)

    async def credit(self, user_id: int, amount: Decimal, *, reason: str, ref: str | None) -> None:
        """Adds funds. Caller owns the transaction (commit happens in the calling service)."""
        result = await self.session.execute(
            update(Wallet)
            .where(Wallet.user_id == user_id)
            .values(balance=Wallet.balance + amount)
            .returning(Wallet.id)
        )
        wallet_id = result.scalar_one()
        self.session.add(WalletEntry(wallet_id=wallet_id, amount=amount, reason=reason, reference=ref))

    async def pay(self, user: User, amount: Decimal, *, reference: str) -> None:
        wallet = await self._wallet(user.id)
        available = wallet.balance + user.credit_limit
        if available < amount:
            raise PaymentRequired("insufficient wallet balance")
        wallet.balance = wallet.balance - amount
        self.session.add(
            WalletEntry(wallet_id=wallet.id, amount=-amount, reason="order", reference=reference)
        )
        await self.session.flush()

    async def top_up(
        self, user: User, amount: Decimal, payment_method_id: str, payments: PaymentsClient
    ) -> Wallet:
        try:
            charge_id = await payments.charge(
                amount=amount,
                currency="EUR",
                payment_method_id=payment_method_id,
                idempotency_key=str(uuid.uuid4()),
            )
        except PaymentError as exc:
            log.info("top-up declined user_id=%s code=%s", user.id, exc.code)
            raise PaymentRequired("payment declined") from exc
        await self.credit(user.id, amount, reason="top-up", ref=charge_id)
        await self.session.commit()
        return await self._wallet(user.id)
