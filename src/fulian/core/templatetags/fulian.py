from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ rates|get:code }}: a value of a dict by a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None
