"""Sections that other apps add to a page they do not own (the woman's page, the unit page, the portal home).

The owning app renders `panels_for(page, request, obj)` where the sections go; each app that has something to
show registers `panel_register(page, order=…, template=…, context=fn)` in its AppConfig.ready, where `fn(request,
obj)` returns the template's context, or None to show nothing. So people imports none of contacts, cases or
evaluation, and a new module adds its section to the woman's page by registering one.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable


_panels: dict[str, list[Panel]] = defaultdict(list)


def panel_register(page: str, *, order: int, template: str, context: Callable) -> None:
    panel = Panel(order, template, context)
    if panel not in _panels[page]:
        _panels[page].append(panel)
        _panels[page].sort(key=lambda p: p.order)


def panels_for(page: str, request, obj) -> list[str]:
    """The rendered sections (our own templates, autoescaped) in order."""
    html = []
    for panel in _panels[page]:
        context = panel.context(request, obj)
        if context is not None:
            html.append(mark_safe(render_to_string(panel.template, context, request=request)))  # noqa: S308
    return html
