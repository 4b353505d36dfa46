from django import forms

from .models import Appointment, Patient, Payment


class PatientProfileForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = "__all__"
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}


class PatientIntakeForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "date_of_birth", "phone", "email", "sms_opt_in"]


class BookingForm(forms.Form):
    slot_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=500, required=False, widget=forms.Textarea)


class AppointmentNotesForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["reason"]


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["amount", "method", "reference"]


class PatientSearchForm(forms.Form):
    q = forms.CharField(max_length=80)
    dob = forms.DateField(required=False)
    clinic = forms.IntegerField(required=False)
