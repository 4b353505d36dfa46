from marshmallow import EXCLUDE, RAISE, Schema, fields, validate


class RegisterSchema(Schema):
    class Meta:
        unknown = RAISE

    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=10, max=128), load_only=True)
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    phone = fields.String(validate=validate.Length(max=32))


class LoginSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)


class UserOutSchema(Schema):
    id = fields.Integer()
    email = fields.Email()
    full_name = fields.String()
    phone = fields.String()
    role = fields.String()
    store_id = fields.Integer(allow_none=True)
    marketing_opt_in = fields.Boolean()


class ProductInSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    sku = fields.String(required=True, validate=validate.Length(max=64))
    name = fields.String(required=True, validate=validate.Length(max=160))
    description = fields.String(load_default=None)
    category = fields.String(required=True, validate=validate.Length(max=64))
    price = fields.Decimal(required=True, places=2, validate=validate.Range(min=0))
    stock = fields.Integer(load_default=0, validate=validate.Range(min=0))


class ProductOutSchema(Schema):
    id = fields.Integer()
    store_id = fields.Integer()
    sku = fields.String()
    name = fields.String()
    description = fields.String()
    category = fields.String()
    price = fields.Decimal(as_string=True)
    stock = fields.Integer()
    image_key = fields.String()


class OrderLineSchema(Schema):
    product_id = fields.Integer(required=True)
    quantity = fields.Integer(required=True, validate=validate.Range(min=1, max=50))


class CheckoutSchema(Schema):
    class Meta:
        unknown = RAISE

    store_id = fields.Integer(required=True)
    lines = fields.List(fields.Nested(OrderLineSchema), required=True, validate=validate.Length(min=1, max=60))
    delivery_address = fields.String(validate=validate.Length(max=255))
    notes = fields.String(validate=validate.Length(max=500))
    use_credit = fields.Boolean(load_default=False)


class RefundSchema(Schema):
    amount = fields.Decimal(required=True, places=2, validate=validate.Range(min=0.01))
    reason = fields.String(validate=validate.Length(max=255))


register_schema = RegisterSchema()
login_schema = LoginSchema()
user_out = UserOutSchema()
product_in = ProductInSchema()
product_out = ProductOutSchema()
products_out = ProductOutSchema(many=True)
checkout_schema = CheckoutSchema()
refund_schema = RefundSchema()
