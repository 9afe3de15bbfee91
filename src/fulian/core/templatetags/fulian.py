from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ rates|get:code }}: a value of a dict by a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def entry_stamp(form: str):
    """The burden meter's signed render stamp for a cadre form (core.burden)."""
    from django.utils.html import format_html

    from fulian.core.burden import FIELD, entry_stamp_value

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, entry_stamp_value(form))
