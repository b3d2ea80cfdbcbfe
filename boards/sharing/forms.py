"""Forms of the sharing pages. The services check roles again: these only shape the input."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boards.models import Guest, Role
from boards.sharing.services import LINK_ROLES

EXPIRY_CHOICES = [
    ("", _("Never")),
    ("1", _("In 1 day")),
    ("7", _("In 7 days")),
    ("30", _("In 30 days")),
]


def _role_choices(roles: list[Role] | tuple[Role, ...]) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in roles]


class InvitationForm(forms.Form):
    prefix = "invite"  # the share page has two forms with a role: ids must differ
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"))
    language = forms.ChoiceField(
        label=_("Language of the email"), choices=settings.LANGUAGES, required=True
    )

    def __init__(self, *args: object, roles: list[Role], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        self.fields["role"].initial = Role.EDITOR


class ShareLinkForm(forms.Form):
    prefix = "link"
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices(LINK_ROLES))
    expires_in = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, required=False)

    def expires_at(self) -> datetime.datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + datetime.timedelta(days=int(days)) if days else None


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class GuestJoinForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=Guest._meta.get_field("display_name").max_length,
        help_text=_("Shown to the other participants next to your cursor and your cards."),
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name
