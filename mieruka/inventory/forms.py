"""Forms of the system and project pages. They only parse and validate; services save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieruka.budgets.choices import Appropriation, BudgetCategory, BudgetStage
from mieruka.core.errors import bilingual, bilingual_lazy
from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import organization_choices_tree

from .choices import DesignationField, InterfaceKind, ReportingFrequency, SystemClassification, UserGroup
from .models import BusinessFunction, InformationSystem, Project, SharedPlatform

# Mieruka's wording of Django's messages (in the page's language, chosen when shown).
BILINGUAL_MESSAGES = {
    "required": bilingual_lazy("この項目は必須です", "This field is required"),
    "invalid": bilingual_lazy("入力形式が正しくありません", "Enter a valid value"),
    "invalid_choice": bilingual_lazy("選択肢にない値です", "Select a valid choice"),
    "invalid_list": bilingual_lazy("選択肢のリストで指定してください", "Enter a list of values"),
    "invalid_pk_value": bilingual_lazy("選択肢にない値です", "Select a valid choice"),
    "max_length": bilingual_lazy("%(limit_value)d文字以内で入力してください",
                            "Use at most %(limit_value)d characters"),
    "min_value": bilingual_lazy("%(limit_value)s以上を入力してください", "Enter %(limit_value)s or more"),
    "max_digits": bilingual_lazy("桁数が多すぎます", "Too many digits"),
    "max_decimal_places": bilingual_lazy("小数は%(max)s桁までです", "At most %(max)s decimal places"),
    "max_whole_digits": bilingual_lazy("整数部の桁数が多すぎます", "Too many digits before the decimal point"),
}


class BilingualFormMixin:
    """Bilingual messages on every field, and `has-error` hints for the templates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(BILINGUAL_MESSAGES)


class OrganizationTreeChoiceField(forms.ModelChoiceField):
    """An organization select whose options are indented in tree order."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Organization.objects.all(), **kwargs)
        # A callable is re-evaluated at each render, so new organizations appear without a restart.
        self.choices = _organization_tree_choices

    def limit_to(self, organization_ids: set[int] | None) -> None:
        """Offer (and accept) only these organizations; None keeps every one."""
        if organization_ids is None:
            return
        self.queryset = Organization.objects.filter(pk__in=organization_ids)
        self.error_messages["invalid_choice"] = bilingual("自組織（配下を含む）以外の組織は指定できません",
                                                          "You may only choose your own organization or one below it")
        self.choices = lambda: [("", "---------"),
                                *((pk, label) for pk, label in organization_choices_tree() if pk in organization_ids)]


def _organization_tree_choices():
    return [("", "---------"), *organization_choices_tree()]


def limit_form_to_user(form, user, *, designations: tuple[str, ...], page=None) -> None:
    """Fit a system or project form to the person: only organizations they may choose, and the Digital
    Agency's designations shown but not editable unless they are the Digital Agency."""
    from mieruka.core.permissions import editable_organization_ids, is_digital_agency

    if user is None:
        return
    form.fields["organization"].limit_to(editable_organization_ids(user))
    if not is_digital_agency(user):
        for name in designations:
            if name in form.fields:
                form.fields[name].disabled = True
                form.fields[name].help_text = page or _("Designated by the Digital Agency; propose a change "
                                                        "from the system's page.")


class ListTextareaField(forms.CharField):
    """A list of short strings, one per line (`;` also separates, as in the interchange format)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value) or ""
        items = []
        for line in text.replace(";", "\n").splitlines():
            line = line.strip()
            if line and line not in items:
                items.append(line)
        return items

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value


REASON_HELP = _("Say why, for the change log (e.g. the budget request or the review that prompted it).")


class _ReasonMixin:
    """A "reason for change" box: required when editing, optional when registering something new."""

    def add_reason_field(self, *, required: bool) -> None:
        self.fields["reason"] = forms.CharField(
            label=_("Reason for change (変更理由)"), required=required, widget=forms.Textarea(attrs={"rows": 2}),
            help_text=REASON_HELP, max_length=2000, error_messages=BILINGUAL_MESSAGES,
        )
        if required and self.instance.pk is not None:
            # Optimistic locking: the edit is refused if the record changed since this form was shown.
            self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False,
                                                     initial=self.instance.last_updated.isoformat())

    def clean(self):
        cleaned = super().clean()
        # The edit page always sends the version; a bare POST without one (a script) is not checked.
        if "version" in self.fields and cleaned.get("version"):
            current = (type(self.instance)._default_manager.filter(pk=self.instance.pk)
                       .values_list("last_updated", flat=True).first())
            if current is not None and cleaned.get("version") != current.isoformat():
                self.add_error(None, bilingual(
                    "このレコードは、編集を始めた後に他の人が変更しました。上書きを防ぐため保存していません。"
                    "ページを再読み込みして最新の内容を確認してから、もう一度変更してください",
                    "Someone else changed this record after you started editing; to avoid overwriting their "
                    "change nothing was saved. Reload the page, check the latest values and make your change again",
                ))
        return cleaned


class SystemForm(BilingualFormMixin, _ReasonMixin, forms.ModelForm):
    organization = OrganizationTreeChoiceField(label=_("Organization"))
    functions = ListTextareaField(label=_("Business functions"), required=False,
                                  help_text=_("One per line."))
    users = forms.TypedMultipleChoiceField(
        label=_("Users"), choices=UserGroup.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    platforms = forms.ModelMultipleChoiceField(
        label=_("Shared platforms"), queryset=SharedPlatform.objects.order_by("code"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    function_tags = forms.ModelMultipleChoiceField(
        label=_("Business function tags (業務機能分類)"), queryset=BusinessFunction.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("“Suggest business functions from the text” checks the functions the name, purpose and business functions "
                    "point to; check or uncheck them before saving."),
    )

    class Meta:
        model = InformationSystem
        fields = [
            "system_id", "name_ja", "name_en", "organization", "classification", "status", "purpose", "functions",
            "function_tags", "users", "annual_users", "hosting", "platforms", "important",
            "processing_class", "architecture", "consolidation", "platform_integration", "started_on", "retired_on",
            "internal_notes",
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "retired_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "system_id": {"unique": bilingual_lazy("この情報システムIDは既に使われています",
                                              "This system ID is already in use")},
        }

    def __init__(self, *args, editing: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason_field(required=editing)
        self.fields["platforms"].label_from_instance = lambda p: f"{p.code} — {p.name_ja}"
        if editing:
            # The ID is the system's identity: fixed once registered (administrators rename it explicitly).
            self.fields["system_id"].disabled = True
            self.fields["system_id"].help_text = _("A system ID does not change once registered.")
        limit_form_to_user(self, user, designations=("important", "classification"))
        if user is not None and not editing:
            from mieruka.core.permissions import is_digital_agency

            from .services import MINISTRY_CLASSIFICATIONS

            if not is_digital_agency(user):
                self.fields["classification"].choices = [
                    (value, label) for value, label in self.fields["classification"].choices
                    if value in ("", *MINISTRY_CLASSIFICATIONS)]
                self.fields["classification"].disabled = False
                self.fields["classification"].help_text = _(
                    "Digital Agency and joint systems are designated by the Digital Agency.")

    def service_data(self) -> dict:
        """The cleaned values the services take (everything but the reason and the version)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("reason", "version")}

    @classmethod
    def initial_from(cls, data) -> dict:
        """Submitted values as initial values, to show the form again without validating it."""
        initial = {}
        for name, field in cls.base_fields.items():
            if name in data:
                multiple = isinstance(field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple)
                initial[name] = data.getlist(name) if multiple else data.get(name)
        return initial


class ProjectForm(BilingualFormMixin, _ReasonMixin, forms.ModelForm):
    organization = OrganizationTreeChoiceField(label=_("Organization"), required=False)
    system_ids = ListTextareaField(
        label=_("Systems covered (system IDs)"), required=False,
        help_text=_("One system ID per line (or separated by ;)."),
    )

    class Meta:
        model = Project
        fields = [
            "project_id", "name_ja", "organization", "phase", "purpose", "important", "starts_on", "ends_on",
            "pjmo_staff", "pjmo_external", "kpi_name", "kpi_target", "kpi_actual", "reporting_frequency",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "project_id": {"unique": bilingual_lazy("このプロジェクトIDは既に使われています",
                                               "This project ID is already in use")},
        }

    def __init__(self, *args, editing: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason_field(required=editing)
        limit_form_to_user(self, user, designations=("important", "reporting_frequency"),
                           page=_("Designated by the Digital Agency; propose a change from the project's page."))
        if self.instance.pk and not self.is_bound:
            self.initial["system_ids"] = list(self.instance.systems.order_by("system_id")
                                              .values_list("system_id", flat=True))
        # A form posted without the frequency (an older page, a script) keeps the project's own.
        self.fields["reporting_frequency"].required = False
        # Keep the reason last and the systems next to the organization, as people read the form.
        order = list(self.fields)
        order.remove("system_ids")
        order.insert(order.index("organization") + 1, "system_ids")
        self.order_fields(order)

    def clean_reporting_frequency(self):
        return self.cleaned_data.get("reporting_frequency") or self.instance.reporting_frequency

    def clean_system_ids(self):
        ids = self.cleaned_data["system_ids"]
        found = {s.system_id: s for s in InformationSystem.objects.filter(system_id__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(bilingual(
                f"登録されていない情報システムIDです: {', '.join(missing)}",
                f"Unknown system IDs: {', '.join(missing)}",
            ))
        self.systems = [found[i] for i in ids]
        return ids

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("reason", "system_ids", "version")}
        data["systems"] = getattr(self, "systems", [])
        return data


class AsOfForm(forms.Form):
    """The date picker of "show this system as it stood on <date>"."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": bilingual_lazy("日付を入力してください", "Enter a date"),
            "invalid": bilingual_lazy("日付はYYYY-MM-DDの形式で入力してください", "Enter the date as YYYY-MM-DD"),
        },
    )


class DeleteForm(BilingualFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for deletion (削除理由)"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


def _reason_field(*, required: bool = True, label=None):
    return forms.CharField(
        label=label or _("Reason for change (変更理由)"), required=required, max_length=2000,
        widget=forms.TextInput(), help_text=REASON_HELP if required else None,
    )


class YenField(forms.CharField):
    """Whole yen, written as people write it: 1,234,000 / ¥1234000 / full-width digits."""

    def to_python(self, value):
        import unicodedata

        text = unicodedata.normalize("NFKC", super().to_python(value) or "")
        text = text.replace(",", "").replace("¥", "").replace("円", "").strip()
        if text in ("",):
            return None
        if not text.isdigit():
            raise forms.ValidationError(bilingual(
                f"金額は0以上の整数（円）で入力してください（{value}）",
                f"Enter the amount as a whole number of yen, 0 or more ({value})",
            ))
        return int(text)


# The budgets app has no message catalogue; its labels are shown on these pages (forms, history diffs),
# so their translations live here. The msgids must match mieruka/budgets/{choices,models}.py exactly.
CATEGORY_CHOICES = [(BudgetCategory.DEVELOPMENT, _("Development (整備等経費)")),
                    (BudgetCategory.OPERATION, _("Operation (運用等経費)"))]
APPROPRIATION_CHOICES = [(Appropriation.DIGITAL_AGENCY, _("Digital Agency lump sum")),
                         (Appropriation.MINISTRY, _("Ministry"))]
BUDGET_LINE_FIELD_LABELS = (_("system"), _("fiscal year"), _("category"), _("stage"), _("appropriation"),
                            _("amount (yen)"), _("budget line"), _("budget lines"))


class BudgetLineForm(BilingualFormMixin, forms.Form):
    """Set one budget line of a system (create it, or change its amount)."""

    fiscal_year = forms.IntegerField(label=_("Fiscal year (Western year it starts in)"), min_value=1989,
                                     max_value=2100)
    category = forms.ChoiceField(label=pgettext_lazy("budget", "Category"), choices=CATEGORY_CHOICES)
    stage = forms.ChoiceField(label=_("Stage"), choices=BudgetStage.choices)
    appropriation = forms.ChoiceField(label=_("Appropriation"), choices=APPROPRIATION_CHOICES,
                                      initial=Appropriation.MINISTRY)
    amount_yen = YenField(label=_("Amount (yen)"), help_text=_("In yen, not million yen; 1,234,000 is accepted."))
    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].error_messages["max_value"] = bilingual(
            "%(limit_value)s以下を入力してください", "Enter %(limit_value)s or less")


class DeleteLineForm(BilingualFormMixin, forms.Form):
    """Delete one budget line or interface of a system, with a reason."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    reason = _reason_field(label=_("Reason for deletion (削除理由)"))


class InterfaceForm(BilingualFormMixin, forms.Form):
    """Add a link between this system and another one."""

    DIRECTIONS = [("out", _("Outgoing (this → other)")), ("in", _("Incoming (other → this)"))]

    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTIONS)
    other_system_id = forms.CharField(label=_("Other system (system ID)"), max_length=32)
    kind = forms.ChoiceField(label=_("Kind"), choices=InterfaceKind.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = _reason_field(required=False)

    def __init__(self, *args, system: InformationSystem, **kwargs):
        self.system = system
        super().__init__(*args, **kwargs)

    def clean_other_system_id(self):
        system_id = self.cleaned_data["other_system_id"].strip()
        other = InformationSystem.objects.filter(system_id=system_id).first()
        if other is None:
            raise forms.ValidationError(bilingual(
                f"登録されていない情報システムIDです: {system_id}", f"Unknown system ID: {system_id}"))
        if other.pk == self.system.pk:
            raise forms.ValidationError(bilingual("自システムへの連携は登録できません", "A system cannot link to itself"))
        self.other = other
        return system_id

    def endpoints(self) -> tuple[InformationSystem, InformationSystem]:
        if self.cleaned_data["direction"] == "out":
            return self.system, self.other
        return self.other, self.system


class RenameForm(BilingualFormMixin, forms.Form):
    """An administrator gives a system a new 情報システムID; the old one keeps resolving."""

    new_system_id = forms.CharField(label=_("New system ID"), max_length=32)
    reason = forms.CharField(label=_("Reason for renaming (改称理由)"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class RetireForm(BilingualFormMixin, forms.Form):
    """A ministry retires its system (廃止): the date, the reason and the successor, if any."""

    retired_on = forms.DateField(label=_("Retired on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    successor = forms.CharField(label=_("Successor system (system ID)"), max_length=32, required=False,
                                help_text=_("The system that takes over its work, if any."))
    reason = forms.CharField(label=_("Reason for retirement (廃止理由)"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)

    def clean_successor(self):
        value = self.cleaned_data["successor"].strip()
        self.successor_system = None
        if value:
            self.successor_system = InformationSystem.objects.filter(system_id=value).first()
            if self.successor_system is None:
                raise forms.ValidationError(bilingual(f"登録されていない情報システムIDです: {value}",
                                                      f"Unknown system ID: {value}"))
        return value


class ProposalForm(BilingualFormMixin, forms.Form):
    """A PJMO proposes a change of a Digital Agency designation of its system (or, with
    `designations=PROJECT_DESIGNATIONS`, of its project)."""

    field = forms.ChoiceField(label=_("Designation"), choices=DesignationField.choices)
    important = forms.TypedChoiceField(label=_("Important project (重点)"), required=False,
                                       choices=[("true", _("Yes")), ("false", _("No"))])
    classification = forms.ChoiceField(label=_("Classification"), choices=SystemClassification.choices,
                                       required=False)
    reporting_frequency = forms.ChoiceField(label=_("Reporting frequency"), choices=ReportingFrequency.choices,
                                            required=False)
    reason = forms.CharField(label=_("Reason for the proposal"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)

    def __init__(self, *args, designations: tuple[str, ...] = ("important", "classification"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [c for c in DesignationField.choices if c[0] in designations]
        for name in ("important", "classification", "reporting_frequency"):
            if name not in designations:
                del self.fields[name]

    def proposed_value(self):
        field = self.cleaned_data["field"]
        return self.cleaned_data.get(field) or ""


class DecideProposalForm(BilingualFormMixin, forms.Form):
    """The Digital Agency accepts or declines one proposal, with its reason."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))],
                                 widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the decision"), max_length=2000)
