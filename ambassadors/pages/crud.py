"""List, create, edit and delete pages for the catalogues managers and admins keep
in the browser (teams, skills, brands, routing and policy rules, canned
responses...). One small helper instead of a copy per model; each use names its
form, its columns, who may use it and what to do after a save (e.g. offer a
team's waiting cases again, so a change shows in routing at once)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .access import managers_only, role_required


@transaction.atomic
def record_save(
    *, form: forms.ModelForm, after: Callable[[Any], None] | None = None
) -> Any:
    """Save a validated catalogue form (the audit log records the change)."""
    instance = form.save()
    if after is not None:
        after(instance)
    return instance


@transaction.atomic
def record_delete(
    *, instance: models.Model, after: Callable[[Any], None] | None = None
) -> None:
    instance.delete()
    if after is not None:
        after(instance)


@dataclass
class Crud:
    name: str  # url name prefix and path segment, e.g. "teams"
    model: type[models.Model]
    form: type[forms.ModelForm]
    title: str
    columns: Sequence[tuple[str, str]]  # (attribute, heading)
    roles: Sequence[str] = ()
    after_save: Callable[[Any], None] | None = None
    queryset: Callable[[], models.QuerySet] | None = None
    deletable: bool = True
    namespace: str = "ambassadors"
    extra_links: Sequence[tuple[str, str]] = field(default_factory=list)
    # A model with its own editor (courses: lessons and quiz) names it here.
    edit_name: str = ""
    create_name: str = ""

    def _guard(self, view):
        return role_required(*self.roles)(view) if self.roles else managers_only(view)

    def url(self, action: str, *args) -> str:
        name = f"{self.namespace}:{self.name}_{action}"
        if action == "edit" and self.edit_name:
            name = self.edit_name
        if action == "create" and self.create_name:
            name = self.create_name
        return reverse(name, args=args)

    def rows(self):
        qs = self.queryset() if self.queryset else self.model._default_manager.all()
        result = []
        for obj in qs[:500]:
            cells = []
            for attr, _heading in self.columns:
                value = getattr(obj, attr, "")
                display = getattr(obj, f"get_{attr}_display", None)
                if callable(display):
                    value = display()
                elif callable(value):
                    value = value()
                if isinstance(value, list | tuple):
                    value = "、".join(str(v) for v in value)
                cells.append(value)
            result.append(
                {"obj": obj, "cells": cells, "edit": self.url("edit", obj.pk)}
            )
        return result

    def list_view(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "ambassadors/crud_list.html",
            {
                "crud": self,
                "title": self.title,
                "headings": [h for _a, h in self.columns],
                "rows": self.rows(),
                "create_url": self.url("create"),
            },
        )

    def form_view(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = get_object_or_404(self.model, pk=pk) if pk is not None else None
        form = self.form(request.POST or None, instance=instance)
        if request.method == "POST":
            if request.POST.get("delete") and instance is not None and self.deletable:
                try:
                    record_delete(instance=instance, after=self.after_save)
                except ProtectedError:
                    messages.error(
                        request, _("It is still in use and cannot be deleted.")
                    )
                    return redirect(self.url("edit", instance.pk))
                messages.success(request, _("Deleted."))
                return redirect(self.url("list"))
            if form.is_valid():
                saved = record_save(form=form, after=self.after_save)
                messages.success(request, _("Saved: %s") % saved)
                return redirect(self.url("list"))
        return render(
            request,
            "ambassadors/crud_form.html",
            {
                "crud": self,
                "title": self.title,
                "form": form,
                "instance": instance,
                "list_url": self.url("list"),
            },
            status=400 if request.method == "POST" else 200,
        )

    def urls(self, prefix: str = "") -> list:
        guard = self._guard
        base = f"{prefix}{self.name}"
        patterns = [path(f"{base}/", guard(self.list_view), name=f"{self.name}_list")]
        if not self.edit_name:
            patterns += [
                path(f"{base}/new/", guard(self.form_view), name=f"{self.name}_create"),
                path(
                    f"{base}/<int:pk>/", guard(self.form_view), name=f"{self.name}_edit"
                ),
            ]
        return patterns


class ListField(forms.CharField):
    """A JSON list of strings typed as one line, separated by commas or 、."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        for sep in ("、", "，", "\n"):
            text = text.replace(sep, ",")
        return [part.strip() for part in text.split(",") if part.strip()]
