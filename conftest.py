"""How pytest-xdist deals the suite out to its workers (`make test` runs `pytest -n 2 --dist load`).

xdist's controller process reads this file (it collects no test, so it never reads src/fulian/conftest.py). The
dealing is xdist's loadscope one, with a scope per test, except that a browser test module (`*browser*.py`: one
server per module, started by a module-scoped fixture) is one scope, run by one worker from start to end. Whole
browser modules go out first (src/fulian/conftest.py puts the browser tests at the front under xdist), then the
other tests one by one in their collection order, to whichever worker has less than three waiting: each worker
runs its tests in pytest-django's order (database tests, then transactional ones, whose flush empties the rows the
data migrations seeded), which xdist's loadfile and loadscope, moving whole files, do not keep.
"""

from pathlib import PurePosixPath


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "load":
        return None  # another --dist: xdist's own
    from xdist.scheduler import LoadScopeScheduling

    class BrowserModulesWhole(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if "browser" in PurePosixPath(module).name else nodeid

    return BrowserModulesWhole(config, log)
