import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("Send me e-mails"), required=False)
    email_muted_kinds = forms.MultipleChoiceField(
        label=_("Do not e-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        required=False,
        max_length=64,
        help_text=_("For example Asia/Shanghai; empty means the site's time zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_muted_kinds"].choices = [
            (key, kind.label) for key, kind in KINDS.items()
        ]

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if name:
            try:
                zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
                raise forms.ValidationError(
                    _("“%(zone)s” is not a time zone."), params={"zone": name}
                ) from exc
        return name

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Give both ends of the quiet hours, or neither.")
            )
        if start is not None and start == end:
            raise forms.ValidationError(
                _("Quiet hours must not start and end at once.")
            )
        return data
