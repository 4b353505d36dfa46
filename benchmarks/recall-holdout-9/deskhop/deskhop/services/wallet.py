from __future__ import annotations

import logging

import asyncpg
from litestar.exceptions import ClientException, NotFoundException

from ..repositories.members import MemberRepository
from ..repositories.wallet import WalletRepository
from ..schemas import TopUpIn, TransferIn
from ..security.tokens import Principal
from .payflow import PaymentDeclined, PayFlowClient
from .pricing import topup_amount_cents

log = logging.getLogger(__name__)


class WalletService:
    def __init__(self, conn: asyncpg.Connection, wallet: WalletRepository, members: MemberRepository, payflow: PayFlowClient) -> None:
        self.conn = conn
        self.wallet = wallet
        self.members = members
        self.payflow = payflow

    async def top_up(self, principal: Principal, data: TopUpIn) -> dict:
        amount_cents = topup_amount_cents(data.credits)
        try:
            charge = await self.payflow.charge(
                principal.member_id, amount_cents, data.payment_method, f"{data.credits} deskhop credits"
            )
        except PaymentDeclined as exc:
            raise ClientException(f"payment declined: {exc}") from exc
        topup_id = await self.wallet.create_topup(principal.member_id, data.credits, amount_cents, charge["id"], "pending")
        return {"topup_id": topup_id, "status": "pending", "amount_cents": amount_cents}

    async def transfer(self, principal: Principal, data: TransferIn) -> dict:
        if data.to_member_id == principal.member_id:
            raise ClientException("cannot transfer to yourself")
        recipient = await self.members.get_in_org(principal.org_id, data.to_member_id)
        if recipient is None:
            raise NotFoundException("member not found")
        balance = await self.wallet.balance(principal.member_id)
        if balance < data.credits:
            raise ClientException("not enough credits")
        await self.wallet.set_balance(principal.member_id, balance - data.credits)
        await self.wallet.credit(recipient["id"], data.credits, "transfer in", f"from:{principal.member_id}")
        return {"balance": balance - data.credits}

    async def settle_topup(self, event: dict) -> None:
        if await self.wallet.seen_event(event["id"]):
            return
        charge = event["data"]
        try:
            async with self.conn.transaction():
                topup = await self.wallet.mark_topup(charge["id"], "paid" if event["type"] == "charge.succeeded" else "failed")
                if topup is not None and event["type"] == "charge.succeeded":
                    await self.wallet.credit(topup["member_id"], topup["credits"], "top-up", f"topup:{topup['id']}")
        except Exception:
            pass
