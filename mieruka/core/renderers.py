"""The form renderer: Django's, with the select box written in Python.

Every list page has a filter form of a dozen selects, one of them the organization tree (about 230
entries); Django renders each option through two included templates, which made the selects a quarter of
a list page's time. The select and its options are written here from the same context the templates
receive (Django's `optgroups`: which option is selected, its attributes), into the same HTML, byte for
byte; any other template, or a widget with templates of its own, goes through Django's templates.
"""

from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT_TEMPLATE and widget is not None and _plain_options(widget):
            return select_html(widget)
        return super().render(template_name, context, request)


def _plain_options(widget: dict) -> bool:
    return all(option["template_name"] == OPTION_TEMPLATE
               for _group, options, _index in widget["optgroups"] for option in options)


def _text(value) -> str:
    """`{{ value }}` in a template: localized, then escaped unless marked safe."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` (a safe value stays safe: the filter is marked `is_safe`)."""
    text = stringformat(value, "s")
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: `False` leaves the attribute out, `True` writes its name alone."""
    return "".join(
        f" {_text(name)}" if value is True else f" {_text(name)}=\"{_formatted(value)}\""
        for name, value in attrs.items() if value is not False
    )


def select_html(widget: dict) -> str:
    """What select.html and select_option.html make of `widget` (Django's renderer strips the result)."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                         f'{_text(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))
