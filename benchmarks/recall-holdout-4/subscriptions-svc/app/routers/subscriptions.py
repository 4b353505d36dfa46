from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query, status
from fastapi.responses import RedirectResponse

from app.deps import Billing, CurrentUser, HttpDep, SettingsDep, SubscriptionRepo, get_current_user
from app.models import Subscription
from app.schemas import Page, SubscriptionCreate, SubscriptionOut
from app.services.billing import BillingError
from app.services.notifications import send_receipt
from app.utils import safe_redirect_target

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], dependencies=[Depends(get_current_user)])


async def get_owned_subscription(subscription_id: int, user: CurrentUser, subscriptions: SubscriptionRepo) -> Subscription:
    subscription = await subscriptions.get_for_user(subscription_id, user.id)
    if subscription is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "subscription not found")
    return subscription


@router.get("", response_model=Page[SubscriptionOut])
async def list_subscriptions(user: CurrentUser, subscriptions: SubscriptionRepo,
                             limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    items = await subscriptions.for_user(user.id, limit, offset)
    return Page(items=items, limit=limit, offset=offset)


@router.post("", response_model=SubscriptionOut, status_code=201)
async def create_subscription(body: SubscriptionCreate, user: CurrentUser, billing: Billing,
                              background: BackgroundTasks, http: HttpDep, settings: SettingsDep):
    try:
        subscription, invoice = await billing.subscribe(user, body.plan_code, body.coupon_code)
    except BillingError as exc:
        raise HTTPException(exc.status_code, str(exc))
    background.add_task(send_receipt, http, settings.mailer_url, user.email, invoice.id, invoice.amount,
                        invoice.currency)
    return subscription


@router.post("/{subscription_id}/cancel", response_model=SubscriptionOut)
async def cancel_subscription(billing: Billing, subscription: Subscription = Depends(get_owned_subscription)):
    return await billing.cancel(subscription)


@router.get("/{subscription_id}/cancel-confirmed")
async def cancel_confirmed(settings: SettingsDep, subscription: Subscription = Depends(get_owned_subscription),
                           next: str | None = None):
    default = f"{settings.frontend_base_url}/billing"
    return RedirectResponse(safe_redirect_target(next, settings.allowed_redirect_hosts, default), status_code=303)
