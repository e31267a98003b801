from django import forms
from django.utils.translation import gettext_lazy as _

from common.scopes import SCOPES

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


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: never."),
    )

    def __init__(self, *args, allowed: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s, f"{s} — {SCOPES[s]}") for s in allowed]
