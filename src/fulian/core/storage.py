"""Private files (uploaded rosters and their error reports, which hold full ID numbers): kept under PRIVATE_ROOT,
outside MEDIA_ROOT, so no web server serves them; they are read only through scoped, logged views and deleted
after IMPORT_RETENTION_DAYS by `manage.py imports_purge`."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL: serve them through a view that checks scope and logs")
