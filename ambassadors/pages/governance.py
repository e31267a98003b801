"""Handles (registered by the employee, reviewed by a manager) and the social
media policy (read and accepted; admins publish a new version)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from listening.models import Platform

from ..errors import ProgramError
from ..governance.services import (
    handle_register,
    handle_review,
    handles_reviewable_by,
    policy_accept,
    policy_current,
    policy_publish,
)
from ..models import HandleStatus
from ..training.markdown import render_markdown
from .access import admins_only, managers_only


class HandleForm(forms.Form):
    platform = forms.ChoiceField(
        label=gettext_lazy("Platform"), choices=Platform.choices
    )
    handle = forms.CharField(label=gettext_lazy("Handle"), max_length=100)
    disclosure = forms.CharField(
        label=gettext_lazy("What your profile says about working here"),
        max_length=200,
        help_text=gettext_lazy("For example: 戴尔员工 / Dell employee."),
    )
    platform_user_id = forms.CharField(
        label=gettext_lazy("Account id (Twitter retweets need it)"),
        max_length=64,
        required=False,
    )


@login_required
def handle_register_page(request: HttpRequest) -> HttpResponse:
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handle_register(user=request.user, **form.cleaned_data)
        except ProgramError as exc:
            form.add_error(
                "disclosure" if "disclosure" in exc.code else "handle", exc.message
            )
        else:
            messages.success(request, _("Registered: a manager will review it."))
            return redirect("ambassadors:my_certification")
    return render(
        request,
        "ambassadors/form_page.html",
        {"form": form, "title": _("Register a handle")},
        status=400 if request.method == "POST" else 200,
    )


@managers_only
def handle_review_page(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", HandleStatus.PENDING)
    handles = handles_reviewable_by(request.user).order_by("-created_at")
    if status in HandleStatus.values:
        handles = handles.filter(status=status)
    return render(
        request,
        "ambassadors/handle_review.html",
        {
            "handles": handles[:300],
            "status": status,
            "statuses": HandleStatus.choices,
        },
    )


@managers_only
@require_POST
def handle_review_action(request: HttpRequest, handle_id: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    try:
        handle = handle_review(
            handle_id=handle_id,
            actor=request.user,
            approve=approve,
            note=request.POST.get("note", ""),
        )
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (_("Approved: @%s") if approve else _("Refused: @%s")) % handle.handle,
        )
    return redirect("ambassadors:handle_review")


@login_required
def policy_page(request: HttpRequest) -> HttpResponse:
    policy = policy_current()
    if request.method == "POST" and policy is not None:
        try:
            policy_accept(
                user=request.user, version=int(request.POST.get("version", 0))
            )
        except (ProgramError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("Thank you: you may reply for the brand."))
            return redirect("ambassadors:my_certification")
    return render(
        request,
        "ambassadors/policy.html",
        {"policy": policy, "html": render_markdown(policy.body) if policy else ""},
    )


class PolicyForm(forms.Form):
    title_zh = forms.CharField(label=gettext_lazy("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English)"), max_length=200, required=False
    )
    body_zh = forms.CharField(
        label=gettext_lazy("Text (Chinese, Markdown)"), widget=forms.Textarea
    )
    body_en = forms.CharField(
        label=gettext_lazy("Text (English, Markdown)"),
        widget=forms.Textarea,
        required=False,
    )
    disclosure_terms = forms.CharField(
        label=gettext_lazy("Disclosure terms (comma separated)"),
        help_text=gettext_lazy("A handle's profile must contain one of them."),
    )


@admins_only
def policy_edit(request: HttpRequest) -> HttpResponse:
    current = policy_current()
    initial = {}
    if current is not None:
        initial = {
            "title_zh": current.title_zh,
            "title_en": current.title_en,
            "body_zh": current.body_zh,
            "body_en": current.body_en,
            "disclosure_terms": ", ".join(current.disclosure_terms),
        }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        terms = [
            t.strip()
            for t in data.pop("disclosure_terms").replace("、", ",").split(",")
        ]
        try:
            policy = policy_publish(actor=request.user, disclosure_terms=terms, **data)
        except ProgramError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Version %d published: everybody accepts it before replying.")
                % policy.version,
            )
            return redirect("ambassadors:policy")
    return render(
        request,
        "ambassadors/form_page.html",
        {
            "form": form,
            "title": _("Publish a new policy version"),
            "people_nav": True,
        },
        status=400 if request.method == "POST" else 200,
    )
