"""A search-as-you-type picker for fields that name one record of a large set (a village among 600,000).

`<datalist>` is unreliable in WeChat's browser and answers "请从列表中选择" when a name is typed, so the picker is
a plain text input, a hidden input for the picked key, and a list drawn by `static/fulian/picker.js` from a JSON
search endpoint. Without JavaScript the typed text is posted and the field resolves it on the server; when the text
fits several records the field offers them as radio buttons (`offer`) and she picks one on the next submit.

The widget knows nothing of the records: a field in the owning app gives it the search URL and parameters, a
`describe(key)` for initial values, and after cleaning what was resolved or what to offer.
"""

from typing import NamedTuple

from django import forms
from django.utils.http import urlencode


class Picked(NamedTuple):
    """What the form posted: the text she typed (or the label of what she picked) and the picked key, if any."""

    text: str
    key: str


class PickerWidget(forms.Widget):
    template_name = "core/widgets/picker.html"
    key_suffix = "_key"

    def __init__(self, *, url: str = "", params: dict | None = None, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.params = dict(params or {})
        self.describe = None  # key → label, for an initial value given as a key
        self.resolved: tuple[str, str] | None = None  # (key, label) once the field has resolved the text
        self.offer: list[tuple[str, str]] = []  # (key, label) to choose from when the text fitted several or none

    def value_from_datadict(self, data, files, name):
        keys = [k for k in data.getlist(name + self.key_suffix) if k] if hasattr(data, "getlist") else \
            [data.get(name + self.key_suffix) or ""]
        # the radio buttons of an offer come after the hidden input: the last key chosen wins
        return Picked(text=(data.get(name) or "").strip(), key=(keys[-1] if keys else "").strip())

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + self.key_suffix not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text, key = "", ""
        if isinstance(value, Picked):
            text, key = value
        elif value not in (None, ""):
            key = str(getattr(value, "code", value))
            text = self.describe(key) if self.describe else key
        if self.resolved:
            key, text = self.resolved
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        widget.update({
            "text": text, "key": key if not self.offer else "", "key_name": name + self.key_suffix,
            "list_id": f"{widget_id}-list", "offer": self.offer,
            "search_url": str(self.url) + ("?" + urlencode(self.params) if self.params else ""),
        })
        return context
