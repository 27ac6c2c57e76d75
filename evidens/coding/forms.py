from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidens.coding.models import Code
from evidens.processes.models import StrategyProcess


class CodeForm(forms.ModelForm):
    class Meta:
        model = Code
        fields = ["name", "parent", "description", "examples", "keywords", "colour"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "examples": forms.Textarea(attrs={"rows": 3}),
                   "keywords": forms.TextInput(), "colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args: Any, process: StrategyProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Code.objects.filter(process=process)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = parents
        parent_field.empty_label = str(_("(top level)"))

    def validate_unique(self) -> None:
        """The service checks the name within the process and says so in Danish."""


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Code.objects.none())

    def __init__(self, *args: Any, code: Code, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ModelChoiceField)
        target_field.queryset = Code.objects.filter(process_id=code.process_id).exclude(pk=code.pk)


class MemoForm(forms.Form):
    text = forms.CharField(label=_("Memo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("REFI-QDA project (.qdpx) or codebook (.qdc)"))
