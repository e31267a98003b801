"""People managed by managers and admins in the product's own pages: users and
roles, profiles, teams and membership, skills, the brand catalogue; revoking and
reinstating a certification."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from listening.models import Brand, ProductLine
from listening.nlp.brands import catalogs

from ..certification.services import (
    certification_history,
    certification_reinstate,
    certification_revoke,
)
from ..errors import ProgramError
from ..models import (
    Availability,
    Department,
    Profile,
    Role,
    Skill,
    Team,
)
from ..people.services import person_update, team_set_members
from ..services import offer_waiting_cases, user_create
from .access import managers_only
from .crud import Crud, ListField

User = get_user_model()
WEEKDAYS = [
    (0, gettext_lazy("Mon")),
    (1, gettext_lazy("Tue")),
    (2, gettext_lazy("Wed")),
    (3, gettext_lazy("Thu")),
    (4, gettext_lazy("Fri")),
    (5, gettext_lazy("Sat")),
    (6, gettext_lazy("Sun")),
]
LANGUAGE_CHOICES = [("zh", "中文"), ("en", "English")]


class PersonForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("User name"),
        regex=r"^[\w.@+-]{2,150}$",
        error_messages={
            "invalid": gettext_lazy(
                "Letters, digits and @ . + - _ only, 2 to 150 characters."
            )
        },
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=gettext_lazy("Only for a new person."),
    )
    first_name = forms.CharField(
        label=gettext_lazy("Given name"), max_length=150, required=False
    )
    last_name = forms.CharField(
        label=gettext_lazy("Family name"), max_length=150, required=False
    )
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    is_active = forms.BooleanField(
        label=gettext_lazy("Account active"), required=False, initial=True
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.all(), required=False
    )
    department = forms.ChoiceField(
        label=gettext_lazy("Department"),
        choices=[("", "—"), *Department.choices],
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one language.")},
    )
    skills = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Skills"),
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Max open cases"), min_value=0, max_value=200
    )
    availability = forms.ChoiceField(
        label=gettext_lazy("Availability"), choices=Availability.choices
    )
    work_days = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Working days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    work_start = forms.TimeField(
        label=gettext_lazy("Working from"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    work_end = forms.TimeField(
        label=gettext_lazy("Working until"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=gettext_lazy("The same time as the start means all day."),
    )
    time_zone = forms.CharField(label=gettext_lazy("Time zone"), max_length=40)
    disclosure_signature = forms.CharField(
        label=gettext_lazy("Disclosure signature"), max_length=60, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        name = self.cleaned_data["username"]
        if self.user is None and User.objects.filter(username=name).exists():
            raise ValidationError(_("This user name is taken."))
        return name

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                _("Unknown time zone: use a name such as Asia/Shanghai.")
            ) from None
        return value

    def clean(self):
        data = super().clean()
        if self.user is None:
            password = data.get("password") or ""
            if not password:
                self.add_error("password", _("A new person needs a password."))
            else:
                try:
                    validate_password(password)
                except ValidationError as exc:
                    self.add_error("password", exc)
        return data


def _initial(user) -> dict:
    profile = getattr(user, "profile", None) or Profile(user=user)
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "role": profile.role,
        "team": profile.team_id,
        "department": profile.department,
        "languages": profile.languages,
        "skills": list(profile.skills.all()) if profile.pk else [],
        "capacity": profile.capacity,
        "availability": profile.availability,
        "work_days": profile.work_days,
        "work_start": profile.work_start,
        "work_end": profile.work_end,
        "time_zone": profile.time_zone,
        "disclosure_signature": profile.disclosure_signature,
    }


NEW_DEFAULTS = {
    "is_active": True,
    "role": Role.AMBASSADOR,
    "languages": ["zh"],
    "capacity": 10,
    "availability": Availability.AVAILABLE,
    "work_days": [0, 1, 2, 3, 4],
    "work_start": dt.time(9),
    "work_end": dt.time(18),
    "time_zone": "Asia/Shanghai",
}


@managers_only
def people_list(request: HttpRequest) -> HttpResponse:
    people = (
        Profile.objects.select_related("user", "team")
        .annotate(handle_count=Count("handles"))
        .order_by("role", "user__username")
    )
    team = request.GET.get("team", "")
    if team.isdigit():
        people = people.filter(team_id=int(team))
    return render(
        request,
        "ambassadors/people.html",
        {"people": people[:1000], "teams": Team.objects.all(), "team": team},
    )


@managers_only
def person_edit(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id) if user_id is not None else None
    initial = _initial(user) if user is not None else NEW_DEFAULTS
    form = PersonForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        username, password = data.pop("username"), data.pop("password")
        if (
            data["role"] == Role.ADMIN
            and request.user.profile.role != Role.ADMIN
            and not request.user.is_superuser
        ):
            form.add_error("role", _("Only an admin makes someone an admin."))
        else:
            if user is None:
                user = user_create(
                    username=username, password=password, role=data["role"]
                )
            data["department"] = data["department"] or ""
            try:
                person_update(user=user, actor=request.user, **data)
            except (ProgramError, ValidationError) as exc:
                form.add_error(None, getattr(exc, "message", None) or exc.messages[0])
            else:
                messages.success(request, _("Saved: %s") % user.get_username())
                return redirect("ambassadors:person_edit", user.pk)
    profile = getattr(user, "profile", None) if user else None
    return render(
        request,
        "ambassadors/person_form.html",
        {
            "form": form,
            "person": user,
            "profile": profile,
            "history": certification_history(user_id=user.pk) if user else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@managers_only
@require_POST
def person_certification(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    try:
        if request.POST.get("action") == "revoke":
            certification_revoke(
                user_id=user.pk,
                reason=request.POST.get("reason", ""),
                actor=request.user,
            )
            messages.success(request, _("Certification revoked."))
        else:
            certification_reinstate(
                user_id=user.pk, actor=request.user, note=request.POST.get("reason", "")
            )
            messages.success(request, _("Certification reinstated."))
    except ProgramError as exc:
        messages.error(request, exc.message)
    return redirect("ambassadors:person_edit", user.pk)


# --- Catalogues ----------------------------------------------------------------------


class TeamForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members"),
        queryset=Profile.objects.select_related("user").order_by("user__username"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Team
        fields = ["name", "slug", "is_default"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].label_from_instance = lambda p: p.user.get_username()
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.all())

    def clean_is_default(self):
        default = self.cleaned_data["is_default"]
        if (
            default
            and Team.objects.filter(is_default=True)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise ValidationError(
                _("Another team is the default already: untick it there first.")
            )
        return default


def _team_saved(team: Team) -> None:
    members = getattr(team, "_members", None)
    if members is not None:
        team_set_members(team=team, profiles=members)
    offer_waiting_cases(team.pk)


class _TeamCrud(Crud):
    def form_view(self, request, pk=None):
        # The members go through their service after the team row is saved.
        original = self.after_save

        def after(team):
            form_members = request.POST.getlist("members")
            team._members = list(Profile.objects.filter(pk__in=form_members))
            original(team)

        self.after_save = after
        try:
            return super().form_view(request, pk)
        finally:
            self.after_save = original


class SkillForm(forms.ModelForm):
    products = ListField(
        label=gettext_lazy("Product slugs"),
        required=False,
        help_text=gettext_lazy("Comma separated, e.g. xps, inspiron."),
    )

    class Meta:
        model = Skill
        fields = ["name", "slug", "products"]


class BrandForm(forms.ModelForm):
    aliases = ListField(
        label=gettext_lazy("Aliases"),
        required=False,
        help_text=gettext_lazy(
            "Every name people use, comma separated: 戴尔, Dell, dai er."
        ),
    )

    class Meta:
        model = Brand
        fields = ["name", "slug", "kind", "aliases"]


class ProductForm(forms.ModelForm):
    aliases = ListField(label=gettext_lazy("Aliases"), required=False)

    class Meta:
        model = ProductLine
        fields = ["brand", "name", "slug", "aliases"]

    def clean(self):
        data = super().clean()
        brand, slug = data.get("brand"), data.get("slug")
        if (
            brand
            and slug
            and ProductLine.objects.filter(brand=brand, slug=slug)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "slug", _("This brand already has a product with this slug.")
            )
        return data


def _catalogue_changed(_obj) -> None:
    # This process reads the new catalogue at once; workers within the cache's TTL.
    catalogs.clear()


teams = _TeamCrud(
    name="teams",
    model=Team,
    form=TeamForm,
    title=gettext_lazy("Teams"),
    columns=[
        ("name", gettext_lazy("Name")),
        ("slug", gettext_lazy("Slug")),
        ("is_default", gettext_lazy("Default")),
    ],
    after_save=_team_saved,
)
skills = Crud(
    name="skills",
    model=Skill,
    form=SkillForm,
    title=gettext_lazy("Skills"),
    columns=[("name", gettext_lazy("Name")), ("products", gettext_lazy("Products"))],
    after_save=lambda skill: [
        offer_waiting_cases(t) for t in Team.objects.values_list("pk", flat=True)
    ],
)
brands = Crud(
    name="brands",
    model=Brand,
    form=BrandForm,
    title=gettext_lazy("Brands and competitors"),
    columns=[
        ("name", gettext_lazy("Name")),
        ("kind", gettext_lazy("Kind")),
        ("aliases", gettext_lazy("Aliases")),
    ],
    after_save=_catalogue_changed,
)
products = Crud(
    name="products",
    model=ProductLine,
    form=ProductForm,
    title=gettext_lazy("Products"),
    columns=[
        ("brand", gettext_lazy("Brand")),
        ("name", gettext_lazy("Name")),
        ("aliases", gettext_lazy("Aliases")),
    ],
    queryset=lambda: ProductLine.objects.select_related("brand"),
    after_save=_catalogue_changed,
)
