"""Panels that higher apps add to the review page, through a registry reviews owns (it never imports them).

An app registers from its `AppConfig.ready()`: `review_panels.register(name=…, template=…, context=…)`;
`context(request, review=Review)` returns the template's context, or None to show nothing.
"""

from mieruka.core.panels import PanelRegistry

review_panels = PanelRegistry()
