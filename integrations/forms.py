from django import forms
from django.utils.translation import gettext_lazy as _

from .events import EVENTS


class EndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(k, f"{k} — {v}") for k, v in EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=128,
        required=False,
        help_text=_(
            "Leave empty to have one made for you (or to keep the current one)."
        ),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
