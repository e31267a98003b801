from django import forms
from django.utils.translation import gettext_lazy as _

from listening.models import Platform

from .models import Campaign, DiscountType
from .services import MAX_CODES_PER_BATCH, campaign_errors

_LOCAL_DT = "%Y-%m-%dT%H:%M"


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=_LOCAL_DT, **kwargs)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    platforms = forms.MultipleChoiceField(
        label=_("Exclusive to"),
        choices=Platform.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for a campaign open on every platform."),
    )
    discount_type = forms.ChoiceField(
        label=_("Discount"),
        choices=DiscountType.choices,
        widget=forms.RadioSelect,
        initial=DiscountType.PERCENT,
    )
    discount_value = forms.DecimalField(
        label=_("Discount value"), max_digits=10, decimal_places=2, min_value=0
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, min_length=3, initial="CNY"
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=[_LOCAL_DT], widget=_DateTimeInput()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=[_LOCAL_DT], widget=_DateTimeInput()
    )
    budget = forms.IntegerField(
        label=_("Budget (uses)"),
        required=False,
        min_value=1,
        help_text=_(
            "The most discounts the campaign pays for (codes × uses per code). "
            "Empty: no limit."
        ),
    )
    per_customer_limit = forms.IntegerField(
        label=_("Limit per customer"),
        min_value=1,
        initial=1,
        help_text=_("Per platform identity: one Weibo uid gets this many codes."),
    )
    min_order_amount = forms.DecimalField(
        label=_("Minimum order amount"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Campaign.Status.choices, initial="active"
    )

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, message in campaign_errors(data).items():
                self.add_error(field if field in self.fields else None, message)
        return data


class GenerateCodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=MAX_CODES_PER_BATCH,
        initial=1000,
    )
    max_redemptions = forms.IntegerField(
        label=_("Uses per code"),
        min_value=1,
        initial=1,
        help_text=_("1 for single-use codes; N for a public code for the first N."),
    )
