"""Who is asking: the account behind a request and what its role may do.

Roles (issue 21): the 教育局 has the 单位设置, 模板, accounts and every unit's data; a 乡镇 or a 学校
has its own unit only. With accounts in the store (`kongchuo-docs users add`), `web.gate` sets
`request.state.account` from the session for every request. Without accounts (one person on her own
PC, or one shared 访问密码) the one person using the page is the 教育局: `current_account` then gives
`BUREAU_ACCOUNT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import HTTPException, Request

Role = Literal["教育局", "乡镇", "学校"]
ROLES: tuple[Role, ...] = ("教育局", "乡镇", "学校")
BUREAU: Role = "教育局"
BUREAU_PAGES = ("/settings", "/templates", "/accounts", "/audit")  # the 教育局's alone (a Chinese 403 for others)


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


BUREAU_ACCOUNT = Account(name="", role=BUREAU)


def current_account(request: Request) -> Account:
    """The account of the request's session (a FastAPI dependency)."""
    account = getattr(request.state, "account", None)
    return account if isinstance(account, Account) else BUREAU_ACCOUNT


def require_bureau(request: Request) -> Account:
    """The request's account when it is the 教育局's, else a Chinese 403 (a FastAPI dependency)."""
    account = current_account(request)
    if not account.is_bureau:
        raise HTTPException(403, "这个页面只供教育局使用：请联系教育局的管理员。")
    return account
