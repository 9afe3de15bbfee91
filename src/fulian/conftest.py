"""Named people in a small real-shaped tree, as the house style asks.

河北省 ─ 石家庄市 ─ 正定县 ─ 正定镇 ─ 恒东社区, 张家庄村
                          └ 新安镇 ─ 西柏棠村
                  └ 行唐县 ─ 龙州镇 ─ 南关村
黑龙江省 ─ 哈尔滨市 ─ 道里区 ─ 新阳路街道 ─ 新阳社区
"""

import os

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from fulian.accounts.tests.factories import UserFactory
from fulian.core.pinyin import name_initials, name_pinyin
from fulian.core.policy import Role
from fulian.orgs.divisions import Division, divisions_load
from fulian.orgs.models import Unit

TREE = [
    ("130000000000", 1, "河北省"),
    ("130100000000", 2, "石家庄市"),
    ("130123000000", 3, "正定县"),
    ("130123100000", 4, "正定镇"),
    ("130123100001", 5, "恒东社区"),
    ("130123100210", 5, "张家庄村"),
    ("130123101000", 4, "新安镇"),
    ("130123101201", 5, "西柏棠村"),
    ("130125000000", 3, "行唐县"),
    ("130125100000", 4, "龙州镇"),
    ("130125100201", 5, "南关村"),
    ("230000000000", 1, "黑龙江省"),
    ("230100000000", 2, "哈尔滨市"),
    ("230102000000", 3, "道里区"),
    ("230102001000", 4, "新阳路街道"),
    ("230102001001", 5, "新阳社区"),
]


@pytest.hookimpl(trylast=True)  # after pytest-django's order: database tests, then transactional ones, then the rest
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test` runs `pytest -n 2`) the browser tests go first: the longest ones start
    first instead of making the other worker wait at the end (../../conftest.py deals each browser module out whole).
    The rest keep pytest-django's order. Without -n nothing moves."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: item.get_closest_marker("browser") is None)  # stable: the rest keep their order


def division(code, level, name):
    return Division(code, level, name, name_initials(name), name_pinyin(name))


@pytest.fixture(autouse=True)
def _isolated_files_and_immediate_tasks(settings, tmp_path):
    """Uploads go to a temporary folder; background tasks run at once (one test drives the real worker)."""
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak from one test into the next
    # the duty of a second factor is tested where it is built (accounts/tests/test_twofactor*.py); elsewhere a
    # signed-in leader acts as force_login left her, as before the duty existed
    settings.SECOND_FACTOR_REQUIRED = False
    # likewise the concurrent-session limit (accounts/tests/test_sessions.py): a test may sign one cadre in from
    # more browsers than the limit without the first being signed out
    settings.SESSIONS_PER_ACCOUNT = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # pages render static URLs without a collectstatic manifest (the compressed storage has its own test)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # one counter row per figure, so a test may read a province's row; spreading has its own test (test_tallies)
    settings.FIGURE_SLOTS = 1


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still (same hasher, same `argon2$…` hashes), with its smallest cost: the production one (100 MB,
    ~0.1 s of two cores a hash) took more than half of the suite's time, a fixture's cadre costing one hash each.
    The browser tests' servers and `manage.py` subprocesses keep the production settings."""

    time_cost = 1
    memory_cost = 8  # KiB, argon2's least for one lane
    parallelism = 1


@pytest.fixture(autouse=True)
def _cheap_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["fulian.conftest.CheapArgon2PasswordHasher"]


@pytest.fixture
def tree(db):
    divisions_load(divisions=[division(*row) for row in TREE])
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def unit(tree):
    """unit("正定县") — a unit of the fixture tree by name."""
    by_name = {u.name: u for u in tree.values()}
    return lambda name: by_name[name]


@pytest.fixture
def province_admin(unit):
    return UserFactory(username="province-admin", unit=unit("河北省"), roles=[Role.SYSADMIN])


@pytest.fixture
def province_chair(unit):
    return UserFactory(username="province-chair", unit=unit("河北省"), roles=[Role.CHAIR])


@pytest.fixture
def county_chair(unit):
    return UserFactory(username="county-chair", unit=unit("正定县"), roles=[Role.CHAIR])


@pytest.fixture
def village_cadre(unit):
    return UserFactory(username="village-cadre", unit=unit("恒东社区"), roles=[Role.STAFF])


@pytest.fixture
def sibling_county_cadre(unit):
    """A cadre of the county next door: must see nothing of 正定县."""
    return UserFactory(username="sibling-cadre", unit=unit("行唐县"), roles=[Role.CHAIR])


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for():
    """An API client holding a fresh bearer token of `user`."""
    from fulian.accounts.services import token_create

    def make(user):
        _token, key = token_create(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return make
