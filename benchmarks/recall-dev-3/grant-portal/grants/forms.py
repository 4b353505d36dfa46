from decimal import Decimal

from django import forms

from .models import Application, Attachment, Review


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        exclude = ["program", "organization", "applicant", "submitted_at", "review_count"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_requested_amount(self):
        amount = self.cleaned_data["requested_amount"]
        if amount <= 0:
            raise forms.ValidationError("Requested amount must be positive.")
        if self.program and amount > self.program.max_award:
            raise forms.ValidationError(f"This program awards at most {self.program.max_award}.")
        return amount


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["score", "comment"]

    def clean_score(self):
        score = self.cleaned_data["score"]
        if not 1 <= score <= 10:
            raise forms.ValidationError("Score must be between 1 and 10.")
        return score


class AwardDecisionForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    installments = forms.IntegerField(min_value=1, max_value=12, initial=1)
    note = forms.CharField(widget=forms.Textarea, required=False, max_length=2000)


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file"]

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Attachments are limited to 10 MB.")
        return f


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput)
