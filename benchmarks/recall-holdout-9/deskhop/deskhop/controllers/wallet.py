from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post

from ..schemas import PriceQuote, TopUpIn, TransferIn
from ..security.tokens import Principal
from ..services.pricing import quote
from ..services.wallet import WalletService


class WalletController(Controller):
    path = "/api/wallet"
    tags = ["wallet"]

    @get("/quote")
    async def price_quote(self, credits: int) -> PriceQuote:
        net, vat = quote(credits)
        return PriceQuote(credits=credits, eur=net, vat=vat)

    @post("/top-ups", status_code=201)
    async def top_up(self, request: Request[Principal, Any, Any], data: TopUpIn, wallet_service: WalletService) -> dict:
        return await wallet_service.top_up(request.user, data)

    @post("/transfers", status_code=201)
    async def transfer(self, request: Request[Principal, Any, Any], data: TransferIn, wallet_service: WalletService) -> dict:
        return await wallet_service.transfer(request.user, data)
