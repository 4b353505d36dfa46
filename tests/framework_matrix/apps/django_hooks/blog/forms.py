from django import forms

from blog.models import Post


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title"]

    def clean_title(self):  # reach: request
        return self.cleaned_data["title"].strip()

    def clean(self):  # reach: request
        return super().clean()


class UnusedForm(forms.Form):
    def clean(self):  # reach: none
        return {}
