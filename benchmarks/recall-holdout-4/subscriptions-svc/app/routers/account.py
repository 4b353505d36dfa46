import json

from fastapi import APIRouter, Depends, HTTPException, status

from app.deps import CacheDep, CurrentUser, SessionDep, SettingsDep, SubscriptionRepo, UserRepo, Vat, get_current_user
from app.schemas import BillingProfileIn, UserOut, UserUpdate
from app.services.tax import VatValidationError
from app.utils import row_to_dict

router = APIRouter(prefix="/account", tags=["account"], dependencies=[Depends(get_current_user)])


@router.get("/me", response_model=UserOut)
async def me(user: CurrentUser):
    return user


@router.patch("/me", response_model=UserOut)
async def update_me(body: UserUpdate, user: CurrentUser, session: SessionDep):
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(user, field, value)
    await session.commit()
    return user


@router.put("/me/billing-profile", response_model=UserOut)
async def update_billing_profile(body: BillingProfileIn, user: CurrentUser, session: SessionDep, vat: Vat):
    try:
        valid = await vat.validate(body.country, body.vat_number)
    except VatValidationError:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "VAT validation is unavailable, try again later")
    if not valid:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "VAT number is not valid")
    user.country = body.country
    user.vat_number = body.vat_number
    await session.commit()
    return user


@router.get("/team")
async def team(user: CurrentUser, users: UserRepo) -> list[dict]:
    members = await users.team_members(user.org_id)
    return [row_to_dict(member) for member in members]


@router.get("/entitlements")
async def entitlements(user: CurrentUser, subscriptions: SubscriptionRepo, cache: CacheDep,
                       settings: SettingsDep) -> dict:
    key = f"entitlements:{user.id}"
    cached = await cache.get(key)
    if cached:
        return json.loads(cached)
    subs = await subscriptions.for_user(user.id, limit=20, offset=0)
    plans = sorted({s.plan.code for s in subs if s.status in ("active", "trialing")})
    result = {"user_id": user.id, "plans": plans}
    await cache.set(key, json.dumps(result), ex=settings.entitlements_cache_seconds)
    return result
