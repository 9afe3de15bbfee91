"""Workers keep running when the database restarts: they wait (a growing pause) and reconnect."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import OperationalError

from fulian.core import loops
from fulian.core.management.commands import audit_seal as seal_command
from fulian.core.management.commands import outbox_send as outbox_command
from fulian.core.management.commands import tasks_worker as worker_command


@pytest.fixture(autouse=True)
def _no_real_connections(monkeypatch):
    """The commands close their broken connections; here there are none to close (and the tests' own stay)."""
    for module in (worker_command, loops):
        monkeypatch.setattr(module, "connections", SimpleNamespace(all=lambda: []))
    monkeypatch.setattr(worker_command, "import_jobs_recover", lambda: 0)


def test_the_task_worker_restarts_after_the_database_comes_back(monkeypatch):
    calls, pauses = [], []

    def db_worker(name, **options):
        calls.append(name)
        if len(calls) <= 2:
            raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(worker_command, "call_command", db_worker)
    monkeypatch.setattr(worker_command.time, "sleep", pauses.append)
    call_command("tasks_worker")
    assert calls == ["db_worker"] * 3 and pauses == [1.0, 2.0]


def test_the_task_worker_gives_up_only_when_told(monkeypatch):
    def down(name, **options):
        raise OperationalError("connection refused")

    monkeypatch.setattr(worker_command, "call_command", down)
    monkeypatch.setattr(worker_command.time, "sleep", lambda s: None)
    with pytest.raises(OperationalError):
        call_command("tasks_worker", max_restarts=3)


@pytest.mark.parametrize(("command", "module", "step", "result"), [
    ("outbox_send", outbox_command, "outbox_send", {"sent": 1, "failed": 0}),
    ("audit_seal", seal_command, "seal_all", 1),
])
def test_the_service_loops_survive_a_database_restart(monkeypatch, command, module, step, result):
    answers = iter([OperationalError("terminating connection"), result, SystemExit(0)])
    pauses = []

    def run(**kwargs):
        answer = next(answers)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    monkeypatch.setattr(module, step, run)
    monkeypatch.setattr(loops.time, "sleep", pauses.append)
    with pytest.raises(SystemExit):
        call_command(command, loop=True, interval=5)
    assert pauses == [5, 5]  # one pause after the failure, one after the step
