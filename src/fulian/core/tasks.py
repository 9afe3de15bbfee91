from django_tasks import task

from .imports import import_job_execute


@task()
def import_job_run(job_id: int) -> None:
    import_job_execute(job_id)
