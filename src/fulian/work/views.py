"""Pages of tasks and reports (filled in by the pages' author)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not yet")


task_list = task_new = task_detail = task_completion = task_remind = task_close = task_export = _todo
recipient_detail = recipient_acknowledge = recipient_delegate = recipient_report = recipient_complete = _todo
attachment_download = template_list = template_new = _todo
