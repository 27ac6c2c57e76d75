from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from evidens.core.forms import DateInput
from evidens.processes.models import BudgetLine, Milestone, Phase, Role, SteeringGroupSeat, StrategyProcess
from evidens.processes.services import PROCESS_FACT_FIELDS


class ProcessFactsForm(forms.ModelForm):
    class Meta:
        model = StrategyProcess
        fields = PROCESS_FACT_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "description", "start_date", "end_date", "state"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_date"]
        widgets = {"due_date": DateInput()}


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "budgeted", "spent"]


class SteeringSeatForm(forms.ModelForm):
    class Meta:
        model = SteeringGroupSeat
        fields = ["person_name", "organisation", "role"]


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()])
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Password for a new user"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Only needed when the user does not exist yet."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
