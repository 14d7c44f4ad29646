"""`{% options %}` writes the `<option>`s a template loop writes: values and labels escaped, the chosen one
marked."""

from django.template import Context, Template
from django.utils.safestring import mark_safe

CHOICES = [("MHLW", "厚生労働省"), ("A&B", '"Quoted" <name>'), ("X", mark_safe("<b>safe</b>")), ("", "—")]
LOOP = Template('{% for code, label in choices %}<option value="{{ code }}"{% if code == selected %} selected'
                '{% endif %}>{{ label }}</option>{% endfor %}')
TAG = Template("{% load mieruka %}{% options choices selected %}")


def test_options_are_what_the_loop_writes():
    for selected in ("MHLW", "A&B", "", None, "unknown"):
        context = {"choices": CHOICES, "selected": selected}
        assert TAG.render(Context(context)) == LOOP.render(Context(context))


def test_only_the_chosen_option_is_selected():
    html = TAG.render(Context({"choices": CHOICES, "selected": "A&B"}))
    assert html.count(" selected") == 1
    assert '<option value="A&amp;B" selected>&quot;Quoted&quot; &lt;name&gt;</option>' in html
