"""Account forms: sign-up asks for an email too, because password reset needs one."""

from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        labels = {"email": _("Email address")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        # Password reset finds accounts by email: two accounts on one address would both get
        # the link, so an address belongs to one account.
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account already uses this email address."))
        return email
