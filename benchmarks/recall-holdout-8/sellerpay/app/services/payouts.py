"""Payout lifecycle: request, approve, submit, cancel, settle."""
from __future__ import annotations

import logging
from decimal import Decimal

from arq.connections import ArqRedis
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.deps import Principal
from app.models import Payout, PayoutStatus, SellerStatus
from app.repositories.payouts import PayoutRepository
from app.repositories.sellers import SellerRepository
from app.schemas import PayoutCreate
from app.services import ledger
from app.services.fees import payout_fee
from app.services.provider import PaystreamClient, ProviderError

logger = logging.getLogger(__name__)
settings = get_settings()


class PayoutRejected(Exception):
    def __init__(self, message: str, status_code: int = 422) -> None:
        super().__init__(message)
        self.status_code = status_code


class PayoutService:
    def __init__(self, session: AsyncSession, provider: PaystreamClient, queue: ArqRedis) -> None:
        self.session = session
        self.provider = provider
        self.queue = queue
        self.payouts = PayoutRepository(session)
        self.sellers = SellerRepository(session)

    def _check_amount(self, amount: Decimal) -> None:
        if amount < settings.min_payout_amount:
            raise PayoutRejected(f"minimum payout is {settings.min_payout_amount}")
        if amount > settings.max_payout_amount:
            raise PayoutRejected(f"maximum payout is {settings.max_payout_amount}")

    async def request_payout(self, principal: Principal, data: PayoutCreate, idempotency_key: str) -> Payout:
        seller = principal.seller
        existing = await self.payouts.by_idempotency_key(seller.id, idempotency_key)
        if existing is not None:
            return existing
        if seller.status != SellerStatus.active:
            raise PayoutRejected("seller is not active", status_code=409)
        if data.currency != seller.currency:
            raise PayoutRejected("payout currency must match the balance currency")
        self._check_amount(data.amount)

        account = await self.sellers.bank_account_for_seller(seller.id, data.bank_account_id)
        if account is None:
            raise PayoutRejected("bank account not found", status_code=404)

        fee = payout_fee(data.amount, seller.fee_rate_bps, data.instant)
        payout = Payout(
            seller_id=seller.id,
            bank_account_id=account.id,
            amount=data.amount,
            fee=fee,
            currency=data.currency,
            instant=data.instant,
            idempotency_key=idempotency_key,
        )
        self.session.add(payout)
        await self.session.flush()
        try:
            await ledger.move_to_pending(
                self.session, seller.id, data.amount, kind="payout", reference=payout.id
            )
        except ledger.InsufficientFunds as exc:
            await self.session.rollback()
            raise PayoutRejected(str(exc), status_code=409) from exc
        self.payouts.add_event(payout, PayoutStatus.requested.value)
        try:
            await self.session.commit()
        except IntegrityError:
            await self.session.rollback()
            again = await self.payouts.by_idempotency_key(seller.id, idempotency_key)
            if again is None:
                raise
            return again
        return payout

    async def approve(self, payout_id: str, approver_id: str) -> Payout:
        payout = await self.payouts.get(payout_id)
        if payout is None:
            raise PayoutRejected("payout not found", status_code=404)
        moved = await self.payouts.transition(
            payout_id, from_status=PayoutStatus.requested, to_status=PayoutStatus.approved
        )
        if not moved:
            raise PayoutRejected("payout is not awaiting approval", status_code=409)
        payout.approved_by = approver_id
        self.payouts.add_event(payout, PayoutStatus.approved.value, {"by": approver_id})
        await self.session.commit()
        await self.queue.enqueue_job("submit_approved_payouts", [payout_id])
        await self.session.refresh(payout)
        return payout

    async def cancel(self, principal: Principal, payout_id: str) -> Payout:
        payout = await self.payouts.get_for_seller(payout_id, principal.seller_id)
        if payout is None:
            raise PayoutRejected("payout not found", status_code=404)
        moved = await self.payouts.transition(
            payout_id, from_status=PayoutStatus.requested, to_status=PayoutStatus.cancelled
        )
        if not moved:
            raise PayoutRejected("only requested payouts can be cancelled", status_code=409)
        await ledger.release_pending(
            self.session, payout.seller_id, payout.amount, payout.currency,
            back_to_available=True, reference=payout.id,
        )
        self.payouts.add_event(payout, PayoutStatus.cancelled.value, {"by": principal.seller_id})
        await self.session.commit()
        await self.session.refresh(payout)
        return payout

    async def submit_instant(self, principal: Principal, payout_id: str) -> Payout:
        payout = await self.payouts.get_for_seller(payout_id, principal.seller_id)
        if payout is None or not payout.instant:
            raise PayoutRejected("instant payout not found", status_code=404)
        if payout.status != PayoutStatus.approved:
            raise PayoutRejected("payout is not approved yet", status_code=409)
        account = await self.sellers.bank_account_for_seller(principal.seller_id, payout.bank_account_id)
        try:
            transfer = await self.provider.create_transfer(
                account_id=principal.seller.provider_account_id,
                destination=account.provider_token,
                amount=payout.amount - payout.fee,
                currency=payout.currency,
                reference=payout.id,
                idempotency_key=f"payout:{payout.id}",
                instant=True,
            )
        except ProviderError as exc:
            logger.warning("instant transfer for payout %s failed: %s", payout.id, exc.code)
            raise PayoutRejected("provider declined the transfer", status_code=502) from exc
        payout.provider_transfer_id = transfer["id"]
        payout.status = PayoutStatus.submitted
        self.payouts.add_event(payout, PayoutStatus.submitted.value, {"transfer": transfer["id"]})
        await self.session.commit()

        settled = await self.provider.wait_for_settlement(transfer["id"])
        if settled.get("status") == "paid" and await self.payouts.transition(
            payout.id, from_status=PayoutStatus.submitted, to_status=PayoutStatus.paid
        ):
            await ledger.release_pending(
                self.session, payout.seller_id, payout.amount, payout.currency, back_to_available=False
            )
            self.payouts.add_event(payout, PayoutStatus.paid.value)
            await self.session.commit()
            await self.session.refresh(payout)
        return payout
