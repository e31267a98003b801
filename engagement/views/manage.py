"""Managers and admins keep the routing rules, the reply policy and the canned
responses in the product's own pages (the people pages' list/edit helper). Routing
and the composer read these tables on every case, so a change applies at once."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors.models import Team
from ambassadors.pages.crud import Crud, ListField
from ambassadors.services import offer_waiting_cases
from listening.models import Intent, Platform, Sentiment

from ..models import CannedResponse, PolicyRule, RoutingRule

LANGUAGES = [("zh", "中文"), ("en", "English")]


def _pick(label, choices):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("None ticked: any."),
    )


class RoutingRuleForm(forms.ModelForm):
    platforms = _pick(gettext_lazy("Platforms"), Platform.choices)
    languages = _pick(gettext_lazy("Languages"), LANGUAGES)
    intents = _pick(gettext_lazy("Intents"), Intent.choices)
    sentiments = _pick(gettext_lazy("Sentiments"), Sentiment.choices)
    brands = ListField(
        label=gettext_lazy("Brand slugs"),
        required=False,
        help_text=gettext_lazy("Comma separated, e.g. dell, lenovo."),
    )
    keywords = ListField(
        label=gettext_lazy("Keywords (any)"),
        required=False,
        help_text=gettext_lazy("Comma separated."),
    )

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "position",
            "enabled",
            "platforms",
            "languages",
            "brands",
            "brand_kind",
            "intents",
            "sentiments",
            "min_followers",
            "keywords",
            "set_team",
            "set_priority",
            "add_label",
            "stop",
        ]

    def clean(self):
        data = super().clean()
        if not (
            data.get("set_team") or data.get("set_priority") or data.get("add_label")
        ):
            if not data.get("stop"):
                raise forms.ValidationError(
                    _(
                        "A rule does something: set a team, a priority or a label, "
                        "or stop."
                    )
                )
        return data


class PolicyRuleForm(forms.ModelForm):
    class Meta:
        model = PolicyRule
        fields = ["kind", "value", "message", "enabled"]

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if kind in (PolicyRule.Kind.BANNED_WORD, PolicyRule.Kind.PATTERN) and not value:
            self.add_error("value", _("This kind of rule needs a value."))
        if kind == PolicyRule.Kind.PATTERN or (
            kind
            in (
                PolicyRule.Kind.PHONE_NUMBER,
                PolicyRule.Kind.ORDER_NUMBER,
                PolicyRule.Kind.PRICE_PROMISE,
            )
            and value
        ):
            try:
                re.compile(value)
            except re.error as exc:
                self.add_error("value", _("Not a valid regular expression: %s") % exc)
        return data


class CannedResponseForm(forms.ModelForm):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LANGUAGES)

    class Meta:
        model = CannedResponse
        fields = ["shortcode", "title", "language", "text"]

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            text.format(name="x")
        except (KeyError, IndexError, ValueError):
            raise forms.ValidationError(
                _("Only {name} may appear in braces (the author's screen name).")
            ) from None
        return text


def _routing_changed(_rule) -> None:
    # Waiting cases may fit the new rules' teams: offer every team's again.
    for team_id in Team.objects.values_list("pk", flat=True):
        offer_waiting_cases(team_id)


routing_rules = Crud(
    name="routingrules",
    model=RoutingRule,
    form=RoutingRuleForm,
    title=gettext_lazy("Routing rules"),
    columns=[
        ("position", gettext_lazy("Position")),
        ("name", gettext_lazy("Name")),
        ("enabled", gettext_lazy("Enabled")),
        ("set_team", gettext_lazy("Team")),
        ("set_priority", gettext_lazy("Priority")),
    ],
    queryset=lambda: RoutingRule.objects.select_related("set_team", "add_label"),
    after_save=_routing_changed,
    namespace="engagement",
)
policy_rules = Crud(
    name="policyrules",
    model=PolicyRule,
    form=PolicyRuleForm,
    title=gettext_lazy("Reply policy rules"),
    columns=[
        ("kind", gettext_lazy("Kind")),
        ("value", gettext_lazy("Value")),
        ("enabled", gettext_lazy("Enabled")),
    ],
    namespace="engagement",
)
canned = Crud(
    name="canned",
    model=CannedResponse,
    form=CannedResponseForm,
    title=gettext_lazy("Canned responses"),
    columns=[
        ("shortcode", gettext_lazy("Short code")),
        ("title", gettext_lazy("Title")),
        ("language", gettext_lazy("Language")),
    ],
    namespace="engagement",
)
