"""The columns of each report table, shared by the page, the exports and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (attribute, heading, kind): kind tells the page how to show the value.
TEAM_COLUMNS = [
    ("cases_opened", _("Opened"), "int"),
    ("cases_resolved", _("Resolved"), "int"),
    ("cases_reopened", _("Reopened"), "int"),
    ("first_response_median_s", _("First response, median"), "duration"),
    ("first_response_p90_s", _("First response, p90"), "duration"),
    (
        "first_response_business_median_s",
        _("First response, median (business hours)"),
        "duration",
    ),
    (
        "first_response_business_p90_s",
        _("First response, p90 (business hours)"),
        "duration",
    ),
    ("resolution_median_s", _("Resolution, median"), "duration"),
    ("resolution_p90_s", _("Resolution, p90"), "duration"),
    (
        "resolution_business_median_s",
        _("Resolution, median (business hours)"),
        "duration",
    ),
    ("resolution_business_p90_s", _("Resolution, p90 (business hours)"), "duration"),
    ("sla_first_response_hit_rate", _("SLA first response met"), "rate"),
    ("sla_first_response_breaches", _("First-response breaches"), "int"),
    ("sla_resolution_hit_rate", _("SLA resolution met"), "rate"),
    ("sla_resolution_breaches", _("Resolution breaches"), "int"),
    ("replies_sent", _("Replies sent"), "int"),
    ("approval_turnaround_median_s", _("Approval turnaround, median"), "duration"),
    ("approval_turnaround_p90_s", _("Approval turnaround, p90"), "duration"),
    ("survey_responses", _("Survey answers"), "int"),
    ("csat", _("CSAT %"), "int"),
    ("nps", _("NPS"), "int"),
]

REVENUE_COLUMNS = [
    ("redemptions", _("Redemptions"), "int"),
    ("order_value", _("Order value"), "money"),
    ("discount", _("Discount given"), "money"),
    ("net_revenue", _("Net revenue"), "money"),
    ("cost_per_redemption", _("Cost per redemption"), "money"),
    ("codes_issued", _("Codes issued"), "int"),
    ("codes_redeemed", _("Codes redeemed"), "int"),
    ("conversion_rate", _("Issued → redeemed"), "rate"),
]

TOP_COLUMNS = [
    ("id", _("Id"), "int"),
    ("case_id", _("Case"), "int"),
    ("text", _("Text"), "text"),
    ("redemptions", _("Redemptions"), "int"),
    ("order_value", _("Order value"), "money"),
    ("net_revenue", _("Net revenue"), "money"),
]


def header(columns, first: str) -> list[str]:
    return [first] + [str(label) for _, label, _ in columns]


def values(row, columns) -> list:
    return [getattr(row, attr) for attr, _, _ in columns]


def cells(row, columns) -> list[tuple[object, str]]:
    """(value, kind) per column, for the pages."""
    return [(getattr(row, attr), kind) for attr, _, kind in columns]


def labelled(row, columns) -> list[tuple[str, object, str]]:
    return [(label, getattr(row, attr), kind) for attr, label, kind in columns]
