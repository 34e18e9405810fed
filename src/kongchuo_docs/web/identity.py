"""Who is asking: the account behind a request and what its role may do.

Roles (issue 21): the 教育局 has the 单位设置, 模板, accounts and every unit's data; a 乡镇 or a 学校
has its own unit only. With accounts in the store (`kongchuo-docs users add`), `web.gate` sets
`request.state.account` from the session for every request. Without accounts (one person on her own
PC, or one shared 访问密码) the one person using the page is the 教育局: `current_account` then gives
`BUREAU_ACCOUNT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from fastapi import HTTPException, Request

if TYPE_CHECKING:
    from ..profile.model import Profile
    from ..profile.scope import RowScope

Role = Literal["教育局", "乡镇", "学校"]
ROLES: tuple[Role, ...] = ("教育局", "乡镇", "学校")
BUREAU: Role = "教育局"
BUREAU_ONLY: frozenset[Role] = frozenset({BUREAU})
EVERY_ROLE: frozenset[Role] = frozenset(ROLES)

# What each role may open, in one place: a page (its path and every path under it) → the roles that
# may. The county's pages and tasks — 整改通知 for every unit, 汇总, 登记表汇总, 单位设置, 模板, 账号,
# 操作日志 — are the 教育局's; a 乡镇 or 学校 writes its own 通知, and its 责任书 (甲方 its own), 登记表
# (填报单位 its own), 自查报告 (单位名称 its own) and letters (its schools' roster rows) only for its own
# units (`Account.row_scope`; a 乡镇's are itself and its 学校). A path not
# listed (首页, 登录, a job's page: `job_pages.own_job` decides) is open to every role.
PAGE_ROLES: dict[str, frozenset[Role]] = {
    "/notice": EVERY_ROLE,
    "/batch/build": EVERY_ROLE,
    "/letters": EVERY_ROLE,
    "/batch/rectification": BUREAU_ONLY,
    "/batch/register-build": EVERY_ROLE,
    "/batch/compile": BUREAU_ONLY,
    "/batch/register-merge": BUREAU_ONLY,
    "/batch/agreements": EVERY_ROLE,
    "/batch/self-check": EVERY_ROLE,
    "/rounds": EVERY_ROLE,  # a unit its own 报送; the round overview and opening: the 教育局 (web/rounds.py)
    "/forms": EVERY_ROLE,
    "/numbers": BUREAU_ONLY,
    "/templates": BUREAU_ONLY,
    "/settings": BUREAU_ONLY,
    "/accounts": BUREAU_ONLY,
    "/audit": BUREAU_ONLY,
}
FORBIDDEN = "这个页面只供教育局使用：请联系教育局的管理员。"


@dataclass(frozen=True)
class Account:
    """A person at the page: `name` her 用户名 ("" without accounts), `role`, and `unit` the name of her
    乡镇 or 学校 as 单位设置 lists it (for a 教育局 account the profile's 教育局; "" without accounts)."""

    name: str
    role: Role
    unit: str = ""

    @property
    def is_bureau(self) -> bool:
        return self.role == BUREAU

    def may_see(self, unit: str) -> bool:
        """Whether this account may see a unit's data (its uploads, its jobs)."""
        return self.is_bureau or unit == self.unit

    def may_open(self, path: str) -> bool:
        """Whether this account's role may open `path` (`PAGE_ROLES`)."""
        page = next((p for p in PAGE_ROLES if path == p or path.startswith((f"{p}/", f"{p}.", f"{p}?"))), None)
        return page is None or self.role in PAGE_ROLES[page]

    def row_scope(self, profile: Profile) -> RowScope | None:
        """The units whose rows this account may use (`profile.scope.RowScope`): None (all) for the
        教育局; a 学校 its own; a 乡镇 its own and the 学校 of 单位设置 that name it as their 乡镇."""
        from ..profile.scope import RowScope

        if self.is_bureau:
            return None
        schools = ({self.unit} if self.role == "学校" else
                   {s.name for s in profile.schools if s.township == self.unit})  # fmt: skip
        return RowScope(self.unit, frozenset(schools), profile.county)


BUREAU_ACCOUNT = Account(name="", role=BUREAU)


def current_account(request: Request) -> Account:
    """The account of the request's session (a FastAPI dependency)."""
    account = getattr(request.state, "account", None)
    return account if isinstance(account, Account) else BUREAU_ACCOUNT


def require_bureau(request: Request) -> Account:
    """The request's account when it is the 教育局's, else a Chinese 403 (a FastAPI dependency)."""
    account = current_account(request)
    if not account.is_bureau:
        raise HTTPException(403, FORBIDDEN)
    return account


def require_role(request: Request) -> None:
    """A Chinese 403 for a page the account's role may not open (`PAGE_ROLES`; every page's
    dependency)."""
    if not current_account(request).may_open(request.url.path):
        raise HTTPException(403, FORBIDDEN)


def job_scope(params: dict[str, Any], profile: Profile) -> RowScope | None:
    """The units whose rows a job's account may use (`Account.row_scope`), from the ``scope`` [role,
    unit] `job_pages.start_job` put into the job's parameters: None (all) without one. Every task of
    the page takes its account's rows through this one scope (letters, 自查报告, 登记表, 责任书)."""
    if not params.get("scope"):
        return None
    role, unit = params["scope"]
    return Account("", role, unit).row_scope(profile)
