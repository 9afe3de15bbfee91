import pytest


@pytest.fixture
def browser():
    """Chromium for the offline tests, which open phone-sized contexts of their own (offline, workers blocked)."""
    from fulian.core.tests.browser import chromium

    with chromium() as b:
        yield b
