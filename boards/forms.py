"""The home page's board-creation form."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from boards.models import BoardTemplate, Language, MapType
from boards.ops.limits import TITLE_MAX_CHARS


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BoardTemplate) -> str:
        return obj.name_in(get_language() or Language.ENGLISH)


class BoardCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_CHARS)
    language = forms.ChoiceField(label=_("Board language"), choices=Language.choices)
    template = TemplateChoiceField(
        label=_("Template"),
        queryset=BoardTemplate.objects.order_by("position", "key"),
        required=False,
        empty_label=_("Blank board"),
        to_field_name="key",
    )
    map_type = forms.ChoiceField(
        label=_("Map type"),
        choices=[("", _("As the template says")), *MapType.choices],
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # New boards speak the language the user is reading the page in, unless they say not.
        self.fields["language"].initial = "fr" if get_language() == "fr" else "en"
