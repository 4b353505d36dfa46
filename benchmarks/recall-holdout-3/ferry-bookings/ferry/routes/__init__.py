from ferry.routes import accounts, admin, bookings, sailings, webhooks

ROUTE_TABLES = (
    accounts.routes,
    sailings.routes,
    bookings.routes,
    admin.routes,
    webhooks.routes,
)
