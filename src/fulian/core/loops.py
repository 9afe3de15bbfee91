"""The loop of a periodic command run as a service (`outbox_send --loop`, `audit_seal --loop`): a step every
`interval` seconds, through database restarts — it waits (doubling up to `longest`) and reconnects."""

import logging
import time

from django.db import InterfaceError, OperationalError, connections


def run_every(step, *, loop: bool, interval: float, longest: float, logger: logging.Logger, report) -> None:
    """Run `step()` once, or every `interval` seconds with `loop`; `report(result, loop)` after each step."""
    pause = interval
    while True:
        try:
            result = step()
        except (OperationalError, InterfaceError) as exc:
            if not loop:
                raise
            logger.warning("database unreachable (%s); retrying in %.0f s", exc, pause)
            for connection in connections.all():
                connection.close()
            time.sleep(pause)
            pause = min(pause * 2, longest)
            continue
        pause = interval
        report(result, loop)
        if not loop:
            return
        time.sleep(interval)
