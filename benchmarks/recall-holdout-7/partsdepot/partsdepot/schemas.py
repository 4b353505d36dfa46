from marshmallow import Schema, fields, validate

ORDER_SORTS = ("created", "-created", "total", "-total")


class PaginationArgs(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Int(load_default=50, validate=validate.Range(min=1, max=200))


class PartSchema(Schema):
    id = fields.Int(dump_only=True)
    sku = fields.Str()
    name = fields.Str()
    brand = fields.Str()
    category = fields.Str()
    unit_price = fields.Decimal(as_string=True, places=2)
    currency = fields.Str()
    weight_kg = fields.Float()
    available = fields.Method("get_available")

    def get_available(self, part):
        return max(part.stock_on_hand - part.stock_reserved, 0)


class PartSearchArgs(PaginationArgs):
    q = fields.Str(required=True, validate=validate.Length(min=2, max=80))
    category = fields.Str(validate=validate.Length(max=80))


class OrderLineInSchema(Schema):
    sku = fields.Str(required=True, validate=validate.Length(max=40))
    quantity = fields.Int(required=True, validate=validate.Range(min=1, max=500))


class OrderCreateSchema(Schema):
    reference = fields.Str(validate=validate.Length(max=60))
    shipping_address = fields.Str(required=True, validate=validate.Length(max=500))
    lines = fields.List(fields.Nested(OrderLineInSchema), required=True, validate=validate.Length(min=1, max=200))


class OrderLineSchema(Schema):
    sku = fields.Str(attribute="part.sku")
    name = fields.Str(attribute="part.name")
    quantity = fields.Int()
    unit_price = fields.Decimal(as_string=True, places=2)
    line_total = fields.Decimal(as_string=True, places=2)


class OrderSchema(Schema):
    id = fields.Int()
    reference = fields.Str()
    status = fields.Function(lambda o: o.status.value)
    total = fields.Decimal(as_string=True, places=2)
    shipping_address = fields.Str()
    tracking_number = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(OrderLineSchema))


class OrderSummarySchema(Schema):
    id = fields.Int()
    reference = fields.Str()
    status = fields.Function(lambda o: o.status.value)
    total = fields.Decimal(as_string=True, places=2)
    created_at = fields.DateTime()


class OrderListArgs(PaginationArgs):
    status = fields.Str(validate=validate.Length(max=20))
    sort = fields.Str(load_default="-created", validate=validate.OneOf(ORDER_SORTS))


class LabelRequestSchema(Schema):
    printer = fields.Str(required=True, validate=validate.Length(max=60))
    copies = fields.Int(load_default=1, validate=validate.Range(min=1, max=5))


class InvoiceSchema(Schema):
    id = fields.Int()
    number = fields.Str()
    total = fields.Decimal(as_string=True, places=2)
    amount_paid = fields.Decimal(as_string=True, places=2)
    due_date = fields.DateTime()
    status = fields.Str()


class PaymentCreateSchema(Schema):
    invoice_id = fields.Int(required=True)
    card_token = fields.Str(required=True, validate=validate.Length(max=64))


class RefundSchema(Schema):
    amount = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, min_inclusive=False))
    reason = fields.Str(validate=validate.Length(max=200))


class PaymentSchema(Schema):
    id = fields.Int()
    invoice_id = fields.Int()
    amount = fields.Decimal(as_string=True, places=2)
    kind = fields.Str()
    status = fields.Str()
    created_at = fields.DateTime()


class StockAdjustSchema(Schema):
    sku = fields.Str(required=True, validate=validate.Length(max=40))
    delta = fields.Int(required=True, validate=validate.Range(min=-10000, max=10000))
    reason = fields.Str(required=True, validate=validate.OneOf(["count", "damage", "return", "receipt"]))


class QuotePreviewSchema(Schema):
    order_id = fields.Int(required=True)
    footer_template = fields.Str(required=True, validate=validate.Length(max=4000))


class LoginSchema(Schema):
    email = fields.Email(required=True)
    password = fields.Str(required=True, load_only=True, validate=validate.Length(max=200))


class PasswordResetRequestSchema(Schema):
    email = fields.Email(required=True)


class PasswordResetSchema(Schema):
    token = fields.Str(required=True, validate=validate.Length(max=100))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=12, max=200))


class AccountAdminSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    credit_limit = fields.Decimal(as_string=True, places=2)
    is_suspended = fields.Bool()
