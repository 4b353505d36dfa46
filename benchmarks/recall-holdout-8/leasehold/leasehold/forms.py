from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional


class LoginForm(FlaskForm):
    email = StringField("Email", validators=[DataRequired(), Email(), Length(max=255)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=128)])
    remember = BooleanField("Keep me signed in")


class ForgotPasswordForm(FlaskForm):
    email = StringField("Email", validators=[DataRequired(), Email(), Length(max=255)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=12, max=128)])
    confirm = PasswordField("Confirm", validators=[DataRequired(), EqualTo("password")])


class ProfileForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    phone = StringField("Phone", validators=[Optional(), Length(max=32)])


class MaintenanceRequestForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("What is wrong?", validators=[DataRequired(), Length(max=5000)])
    priority = SelectField(
        "Priority",
        choices=[("low", "Low"), ("normal", "Normal"), ("urgent", "Urgent - water, heat, lockout")],
        default="normal",
    )
    photo = FileField("Photo", validators=[Optional(), FileAllowed(["jpg", "jpeg", "png", "heic"])])


class TenantNoteForm(FlaskForm):
    note = TextAreaField("Add a note", validators=[DataRequired(), Length(max=2000)])


class StaffUpdateForm(FlaskForm):
    status = SelectField(
        "Status",
        choices=[("open", "Open"), ("scheduled", "Scheduled"), ("in_progress", "In progress"), ("done", "Done")],
    )
    staff_note = TextAreaField("Internal note", validators=[Optional(), Length(max=5000)])


class UnitForm(FlaskForm):
    label = StringField("Unit", validators=[DataRequired(), Length(max=40)])
    bedrooms = IntegerField("Bedrooms", validators=[NumberRange(min=0, max=12)])
    bathrooms = DecimalField("Bathrooms", places=1, validators=[NumberRange(min=0, max=12)])
    square_feet = IntegerField("Square feet", validators=[Optional(), NumberRange(min=50, max=20000)])
    monthly_rent = DecimalField("Monthly rent", places=2, validators=[NumberRange(min=0, max=100000)])
    listed = BooleanField("Show on public listings")
    description = TextAreaField("Listing description", validators=[Optional(), Length(max=5000)])


class LeaseForm(FlaskForm):
    tenant_email = StringField("Tenant email", validators=[DataRequired(), Email()])
    start_date = DateField("Start", validators=[DataRequired()])
    end_date = DateField("End", validators=[DataRequired()])
    monthly_rent = DecimalField("Monthly rent", places=2, validators=[NumberRange(min=0, max=100000)])
    deposit = DecimalField("Deposit", places=2, validators=[NumberRange(min=0, max=100000)])


class OfflinePaymentForm(FlaskForm):
    amount = DecimalField("Amount", places=2, validators=[DataRequired(), NumberRange(min=0.01, max=100000)])
    method = SelectField("Method", choices=[("check", "Check"), ("cash", "Cash"), ("money_order", "Money order")])
    memo = StringField("Memo", validators=[Optional(), Length(max=255)])


class NoticeTemplateForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    subject = StringField("Subject", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Body", validators=[DataRequired(), Length(max=20000)])


class StatementUploadForm(FlaskForm):
    statement = FileField("Bank export (CSV)", validators=[FileRequired(), FileAllowed(["csv"])])
