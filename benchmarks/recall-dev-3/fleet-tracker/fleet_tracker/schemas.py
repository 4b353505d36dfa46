from marshmallow import Schema, fields, validate


class VehicleCreateSchema(Schema):
    plate = fields.String(required=True, validate=validate.Length(min=2, max=20))
    vin = fields.String(required=True, validate=validate.Length(equal=17))
    make = fields.String(required=True, validate=validate.Length(max=60))
    model = fields.String(required=True, validate=validate.Length(max=60))
    depot_id = fields.Integer(allow_none=True)


class DriverUpdateSchema(Schema):
    full_name = fields.String(validate=validate.Length(max=200))
    phone = fields.String(validate=validate.Length(max=40), allow_none=True)
    depot_id = fields.Integer(allow_none=True)


class TripCreateSchema(Schema):
    vehicle_id = fields.Integer(required=True)
    driver_id = fields.Integer(required=True)
    start_address = fields.String(required=True, validate=validate.Length(max=300))
    end_address = fields.String(required=True, validate=validate.Length(max=300))


class FuelPurchaseSchema(Schema):
    vehicle_id = fields.Integer(required=True)
    receipt_no = fields.String(required=True, validate=validate.Length(min=4, max=64))
    station = fields.String(required=True, validate=validate.Length(max=120))
    liters = fields.Float(required=True, validate=validate.Range(min=0.1, max=2000))
    amount = fields.Decimal(required=True, places=2, validate=validate.Range(min=0))


class IntegrationSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(max=120))
    callback_url = fields.Url(required=True, schemes={"https"})


class VehicleOut(Schema):
    id = fields.Integer()
    plate = fields.String()
    vin = fields.String()
    make = fields.String()
    model = fields.String()
    status = fields.String()
    odometer_km = fields.Integer()
    depot_id = fields.Integer(allow_none=True)


class TripOut(Schema):
    id = fields.Integer()
    vehicle_id = fields.Integer()
    driver_id = fields.Integer()
    status = fields.String()
    start_address = fields.String()
    end_address = fields.String()
    distance_km = fields.Float(allow_none=True)
    started_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
