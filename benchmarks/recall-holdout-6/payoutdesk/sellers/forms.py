import re

from django import forms

from .models import BankAccount

IBAN_RE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")


class BankAccountForm(forms.ModelForm):
    class Meta:
        model = BankAccount
        fields = ["holder_name", "iban", "bic", "currency"]

    def clean_iban(self):
        iban = self.cleaned_data["iban"].replace(" ", "").upper()
        if not IBAN_RE.match(iban):
            raise forms.ValidationError("not a valid IBAN")
        return iban

    def clean_currency(self):
        currency = self.cleaned_data["currency"].upper()
        if currency not in {"EUR", "GBP", "USD"}:
            raise forms.ValidationError("unsupported currency")
        return currency


class SellerProfileForm(forms.Form):
    display_name = forms.CharField(max_length=120, required=False)
    contact_email = forms.EmailField(required=False)
    contact_phone = forms.CharField(max_length=32, required=False)
    payout_schedule = forms.ChoiceField(choices=[("daily", "daily"), ("weekly", "weekly"), ("manual", "manual")],
                                        required=False)
