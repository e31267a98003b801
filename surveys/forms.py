from django import forms
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Team
from coupons.models import Campaign

from .models import QuestionKind, Survey
from .services import question_errors, survey_errors

_LOCAL_DT = "%Y-%m-%dT%H:%M"


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=_LOCAL_DT, **kwargs)


class SurveyForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=200, required=False
    )
    intro_zh = forms.CharField(
        label=_("Introduction (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    intro_en = forms.CharField(
        label=_("Introduction (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    thanks_zh = forms.CharField(
        label=_("Thank-you text (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    thanks_en = forms.CharField(
        label=_("Thank-you text (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Survey.Status.choices,
        initial="draft",
        help_text=_(
            "A survey opens for answers once it has at least one question; a new "
            "survey is saved as a draft until then."
        ),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        input_formats=[_LOCAL_DT],
        widget=_DateTimeInput(),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        required=False,
        input_formats=[_LOCAL_DT],
        widget=_DateTimeInput(),
    )
    reward_campaign = forms.ModelChoiceField(
        label=_("Reward on completion"),
        queryset=Campaign.objects.exclude(status=Campaign.Status.CLOSED),
        required=False,
        empty_label=_("No reward"),
        help_text=_(
            "A code from this campaign for respondents of personal links (sent in "
            "a reply)."
        ),
    )
    auto_csat = forms.BooleanField(
        label=_("Send automatically when a case is resolved"), required=False
    )
    auto_csat_teams = forms.ModelMultipleChoiceField(
        label=_("Only for the cases of these teams"),
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every team."),
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            for name, message in survey_errors(data).items():
                self.add_error(name if name in self.fields else None, message)
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_zh = forms.CharField(label=_("Question (Chinese)"), max_length=500)
    text_en = forms.CharField(
        label=_("Question (English)"), max_length=500, required=False
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Single and multiple choice: one per line, Chinese | English, "
            "e.g. 工作 | Work"
        ),
    )

    def clean_choices(self):
        choices = []
        for line in self.cleaned_data["choices"].splitlines():
            if not line.strip():
                continue
            zh, _sep, en = line.partition("|")
            choices.append({"zh": zh.strip(), "en": en.strip()})
        return choices

    def clean(self):
        data = super().clean()
        if not self.errors:
            for name, message in question_errors(data).items():
                self.add_error(name if name in self.fields else None, message)
        return data

    @staticmethod
    def initial_for(question) -> dict:
        return {
            "kind": question.kind,
            "text_zh": question.text_zh,
            "text_en": question.text_en,
            "required": question.required,
            "choices": "\n".join(
                f"{c.get('zh', '')} | {c.get('en', '')}" for c in question.choices
            ),
        }
