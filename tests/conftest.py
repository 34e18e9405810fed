"""Make the shared test helpers (pdfmeasure) importable as top-level modules; give every test a profile."""

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True, scope="session")
def sample_profile_as_user_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test runs as a user whose config folder holds the bundled 罗源县 单位设置 (so commands find a
    profile as a set-up machine would); a test that needs none points XDG_CONFIG_HOME elsewhere."""
    from kongchuo_docs.files.resources import sample_path
    from kongchuo_docs.profile import PROFILE_NAME

    config = tmp_path_factory.mktemp("user-config")
    target = config / "kongchuo-docs" / PROFILE_NAME
    target.parent.mkdir(parents=True)
    target.write_bytes(sample_path("profile", PROFILE_NAME).read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(config))
        yield target


# ---------------------------------------------------------------- the 网页版 tests' app (tests/web_helpers.py)


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory):
    """One app per test module, closed after the module."""
    from web_helpers import shared_app

    from kongchuo_docs.web.app import close_app

    application = shared_app(tmp_path_factory.mktemp("web"))
    yield application
    close_app(application)


@pytest.fixture
def web_client(web_app):
    """A browser session of its own (no lifespan: the module's app outlives each client)."""
    from web_helpers import page_client

    return page_client(web_app)


@pytest.fixture(scope="module")
def web_rosters(tmp_path_factory: pytest.TempPathFactory):
    from web_helpers import write_rosters

    return write_rosters(tmp_path_factory.mktemp("rosters"))


@pytest.fixture
def accounts_app(tmp_path):
    """Make an app of its own (the sample 单位设置, SQLite beside it) with accounts: call it with
    用户名 → (role, unit, password), or with nothing for `web_helpers.sample_accounts()` (whose passwords
    `web_helpers.logged_in` knows); closed at the end."""
    from web_helpers import add_accounts, own_app

    from kongchuo_docs.web.app import close_app

    made = []

    def make(accounts: dict[str, tuple[str, str, str]] | None = None):
        app = own_app(tmp_path / "server")
        add_accounts(app.state.store, accounts)
        made.append(app)
        return app

    yield make
    for app in made:
        close_app(app)


@pytest.fixture(autouse=True)
def bundled_wording() -> Iterator[None]:
    """The wording folder a run chose (--templates, the profile's 模板目录) lives in the process
    environment: one CLI run is one process. Tests run many commands in one process, so each starts
    with the bundled wording and leaves no folder of its own behind for the next — removed, not
    restored, at the end (a module's fixtures run before the next test's own setup)."""
    import os

    from kongchuo_docs.wording.files import TEMPLATES_BY_ENV, TEMPLATES_ENV

    for name in (TEMPLATES_ENV, TEMPLATES_BY_ENV):
        os.environ.pop(name, None)
    yield
    for name in (TEMPLATES_ENV, TEMPLATES_BY_ENV):
        os.environ.pop(name, None)


# ---------------------------------------------------------------- the store on SQLite and on PostgreSQL


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    from pgserver import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for each backend the store runs on (every test that takes it runs on both), an empty
    store of the test's own on each."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    from pgserver import fresh_database

    url = request.getfixturevalue("postgres_url")
    if url is None:
        pytest.skip("未安装 PostgreSQL（scripts/setup.sh --dev 会安装 Debian 的 postgresql）")
    return fresh_database(url, f"t{hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:16]}")
