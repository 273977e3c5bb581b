"""Forms for the 组织 pages. They only parse and validate input; services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.organisation.access import Access
from jixiao.organisation.models import ORGANISATION_KINDS, UnitKind


class UnitForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    code = forms.CharField(label=gettext_lazy("编码"), max_length=50)
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        choices=[
            (k.value, k.label) for k in UnitKind if k not in (*ORGANISATION_KINDS, UnitKind.COUNTY)
        ],
    )
    parent = forms.ModelChoiceField(label=gettext_lazy("上级单位"), queryset=None)
    sort = forms.IntegerField(label=gettext_lazy("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args, access: Access, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = access.units()
        self.fields["parent"].initial = access.org
        self.access = access

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if self.access.units().filter(code=code).exists():
            raise forms.ValidationError(_("编码 %(code)s 已被使用") % {"code": code})
        return code


class PersonForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    code = forms.CharField(label=gettext_lazy("工号"), max_length=50)
    post = forms.CharField(label=gettext_lazy("职务"), max_length=100, required=False)
    unit = forms.ModelChoiceField(label=gettext_lazy("所在单位"), queryset=None)

    def __init__(self, *args, access: Access, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units()
        self.access = access

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if self.access.people().filter(code=code).exists():
            raise forms.ValidationError(_("工号 %(code)s 已被使用") % {"code": code})
        return code


class TaskForceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    leader = forms.ModelChoiceField(label=gettext_lazy("组长"), queryset=None)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("组员"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, access: Access, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = access.people().select_related("unit").order_by("unit__sort", "code")
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people
        self.access = access

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.access.org.task_forces.filter(name=name).exists():
            raise forms.ValidationError(_("已有名为 %(name)s 的指挥组") % {"name": name})
        return name
