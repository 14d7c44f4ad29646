"""Select boxes come out of the project's form renderer exactly as Django's templates write them: the
chosen entries, groups, attributes and escaping of the filter forms stay what people and tests see."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import override

from mieruka.core.renderers import FormRenderer
from mieruka.inventory.filtersets import InformationSystemFilterSet
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class Choices(forms.Form):
    grouped = forms.ChoiceField(required=False, choices=[
        ("", "—"), ("Group <1> & co", [("x&y", "X <b>"), (1, 2026)]), ("plain", mark_safe("<em>safe</em>"))])
    several = forms.MultipleChoiceField(required=False, choices=[(1, "a"), (2, "b"), (3, "c")], widget=forms.SelectMultiple(
        attrs={"data-note": 'say "hi"', "disabled": True, "hidden": False}))
    maybe = forms.NullBooleanField()
    custom = forms.ChoiceField(required=False, choices=[("a", "A")],
                               widget=forms.Select(attrs={"class": mark_safe("a&amp;b")}))


def _both(form):
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({"id": bound.auto_id})
        yield (widget.render(bound.html_name, bound.value(), attrs=attrs, renderer=DjangoTemplates()),
               widget.render(bound.html_name, bound.value(), attrs=attrs, renderer=FormRenderer()))


def test_selects_match_djangos_templates_byte_for_byte():
    for data in ({}, {"grouped": "x&y", "several": ["1", "3"], "maybe": "true"}, {"grouped": "1", "maybe": "false"}):
        for django_html, ours in _both(Choices(data)):
            assert ours == django_html


def test_a_selects_own_option_template_is_still_used():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Marked(choices=[("a", "A")])
    assert widget.render("x", "a", renderer=FormRenderer()) == widget.render("x", "a", renderer=DjangoTemplates())
    assert "<option" not in widget.render("x", "a", renderer=FormRenderer())


class SystemFilterFormTests(PortfolioTestCase):
    def test_the_systems_filter_form_is_unchanged_in_both_languages(self):
        factories.system(organization=self.mhlw_bureau, name_ja="基幹システム")
        for language in ("ja", "en"):
            with override(language):
                form = InformationSystemFilterSet(
                    QueryDict("organization=MHLW&status=operation&budget_fy=2020"),
                    queryset=InformationSystem.objects.all()).form
                form.is_valid()
                for django_html, ours in _both(form):
                    assert ours == django_html
