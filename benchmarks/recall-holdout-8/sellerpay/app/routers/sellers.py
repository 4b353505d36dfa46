from __future__ import annotations

import logging
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy import select

from app.deps import ActiveSeller, CurrentPrincipal, SessionDep, get_outbound_http, get_provider_http
from app.models import Balance, BankAccount, LedgerEntry, Seller
from app.repositories.sellers import SellerRepository
from app.schemas import (
    BalanceOut,
    BankAccountCreate,
    BankAccountOut,
    KycDocumentOut,
    KycFromUrl,
    LedgerEntryOut,
    SellerOut,
    SellerUpdate,
)
from app.services import kyc
from app.services.provider import PaystreamClient, ProviderError

logger = logging.getLogger(__name__)
router = APIRouter()


@router.get("/me", response_model=SellerOut)
async def read_me(principal: CurrentPrincipal) -> Seller:
    return principal.seller


@router.patch("/me", response_model=SellerOut)
async def update_me(data: SellerUpdate, principal: ActiveSeller, session: SessionDep) -> Seller:
    seller = principal.seller
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(seller, field, value)
    await session.commit()
    await session.refresh(seller)
    return seller


@router.get("/me/balance", response_model=BalanceOut)
async def read_balance(principal: CurrentPrincipal, session: SessionDep) -> Balance:
    balance = await session.get(Balance, principal.seller_id)
    if balance is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No balance yet")
    return balance


@router.get("/me/ledger", response_model=list[LedgerEntryOut])
async def read_ledger(
    principal: CurrentPrincipal,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    before_id: Annotated[int | None, Query(ge=1)] = None,
) -> list[LedgerEntry]:
    stmt = (
        select(LedgerEntry)
        .where(LedgerEntry.seller_id == principal.seller_id)
        .order_by(LedgerEntry.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        stmt = stmt.where(LedgerEntry.id < before_id)
    return list(await session.scalars(stmt))


@router.post("/me/bank-accounts", response_model=BankAccountOut, status_code=status.HTTP_201_CREATED)
async def add_bank_account(
    data: BankAccountCreate,
    principal: ActiveSeller,
    session: SessionDep,
    http: Annotated[httpx.AsyncClient, Depends(get_provider_http)],
) -> BankAccount:
    seller = principal.seller
    if not seller.provider_account_id:
        raise HTTPException(status.HTTP_409_CONFLICT, "Complete onboarding before adding a bank account")
    logger.info("adding bank account for seller %s: %s", seller.id, data.model_dump())
    try:
        token = await PaystreamClient(http).tokenize_bank_account(
            account_id=seller.provider_account_id,
            holder_name=data.holder_name,
            country=data.country,
            account_number=data.account_number,
            routing_number=data.routing_number,
        )
    except ProviderError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "Bank account was rejected") from exc

    repo = SellerRepository(session)
    if data.make_default:
        await repo.clear_default_bank_account(seller.id)
    account = BankAccount(
        seller_id=seller.id,
        holder_name=data.holder_name,
        country=data.country.upper(),
        last4=data.account_number[-4:],
        provider_token=token["id"],
        is_default=data.make_default,
    )
    session.add(account)
    await session.commit()
    logger.info("bank account ****%s added for seller %s", account.last4, seller.id)
    return account


@router.post(
    "/me/kyc/documents/from-url",
    response_model=KycDocumentOut,
    status_code=status.HTTP_201_CREATED,
)
async def import_kyc_document(
    data: KycFromUrl,
    principal: CurrentPrincipal,
    session: SessionDep,
    http: Annotated[httpx.AsyncClient, Depends(get_outbound_http)],
):
    try:
        return await kyc.import_document_from_url(
            session, http, principal.seller, data.kind, str(data.document_url)
        )
    except kyc.DocumentRejected as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    except httpx.HTTPError:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "Could not download document") from None
