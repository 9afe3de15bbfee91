"""QR codes as inline SVG (segno): for certificates' verification links, and next for activity check-in and
survey links. Made from our own URLs; no image service, nothing loaded from elsewhere."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(data: str, *, scale: int = 3) -> str:
    return mark_safe(segno.make(data, error="m").svg_inline(scale=scale, title="QR"))  # noqa: S308  (segno's own SVG)
