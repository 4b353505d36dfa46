from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import Customer
from ..repositories import CustomerRepository
from ..schemas import ApplyCreditRequest, CustomerIn, CustomerOut
from ..security import OrgAccountant, OrgMember
from ..services.customers import apply_credit

router = APIRouter(prefix="/orgs/{org_id}/customers", tags=["customers"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]


def get_customer_repo(session: SessionDep) -> CustomerRepository:
    return CustomerRepository(session)


CustomerRepo = Annotated[CustomerRepository, Depends(get_customer_repo)]


@router.get("", response_model=list[CustomerOut])
async def list_customers(
    ctx: OrgMember,
    repo: CustomerRepo,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str, Query(pattern=r"^-?[a-z_]+$")] = "name",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    return await repo.list(ctx.org_id, search=q, sort=sort, limit=limit, offset=offset)


@router.post("", response_model=CustomerOut, status_code=status.HTTP_201_CREATED)
async def create_customer(body: CustomerIn, ctx: OrgAccountant, session: SessionDep):
    customer = Customer(org_id=ctx.org_id, **body.model_dump())
    session.add(customer)
    await session.commit()
    return customer


@router.get("/{customer_id}", response_model=CustomerOut)
async def get_customer(customer_id: int, ctx: OrgMember, repo: CustomerRepo):
    return await repo.get_for_org(ctx.org_id, customer_id)


@router.post("/{customer_id}/apply-credit/{invoice_id}")
async def apply_customer_credit(
    customer_id: int, invoice_id: int, body: ApplyCreditRequest, ctx: OrgAccountant, session: SessionDep
):
    remaining = await apply_credit(session, ctx.org_id, customer_id, invoice_id, body.amount)
    return {"credit_balance": remaining}
