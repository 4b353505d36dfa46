"""Seller-initiated refunds to buyers, debited from the seller's available balance."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.deps import Principal
from app.models import Refund
from app.schemas import RefundCreate
from app.services import ledger
from app.services.fees import refund_fee
from app.services.provider import PaystreamClient, ProviderError

logger = logging.getLogger(__name__)


class RefundFailed(Exception):
    def __init__(self, message: str, status_code: int = 422) -> None:
        super().__init__(message)
        self.status_code = status_code


class RefundService:
    def __init__(self, session: AsyncSession, provider: PaystreamClient) -> None:
        self.session = session
        self.provider = provider

    async def get_for_seller(self, seller_id: str, refund_id: str) -> Refund | None:
        return await self.session.scalar(
            select(Refund).where(Refund.id == refund_id, Refund.seller_id == seller_id)
        )

    async def create(self, principal: Principal, data: RefundCreate) -> Refund:
        seller = principal.seller
        if data.currency != seller.currency:
            raise RefundFailed("refund currency must match the balance currency")
        total = data.amount + refund_fee(data.amount)

        try:
            await ledger.debit_available(
                self.session, seller.id, total, data.currency, kind="refund", reference=data.order_ref
            )
        except ledger.InsufficientFunds as exc:
            await self.session.rollback()
            raise RefundFailed("insufficient balance for refund", status_code=409) from exc

        refund = Refund(
            seller_id=seller.id,
            order_ref=data.order_ref,
            amount=data.amount,
            currency=data.currency,
            reason=data.reason,
        )
        self.session.add(refund)
        await self.session.flush()

        try:
            result = await self.provider.create_refund(
                account_id=seller.provider_account_id,
                order_ref=data.order_ref,
                amount=data.amount,
                currency=data.currency,
                reason=data.reason,
            )
        except ProviderError as exc:
            await self.session.rollback()
            logger.warning("refund for order %s declined: %s", data.order_ref, exc.code)
            raise RefundFailed("provider declined the refund", status_code=502) from exc

        refund.provider_refund_id = result["id"]
        refund.status = result.get("status", "pending")
        await self.session.commit()
        return refund
