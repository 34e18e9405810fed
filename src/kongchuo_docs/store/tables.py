"""The store's tables (SQLAlchemy 2 declarative). Changing one means a new Alembic revision in
``migrations/versions``; the revision, not `metadata.create_all`, builds a database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

AREA_CODE_CHARS = 6  # GB/T 2260 行政区划代码
PREFIX_MAX_CHARS = 20  # 机关代字, e.g. 某教综
STATUS_TAKEN = "取号"  # number taken, the document being written
STATUS_ISSUED = "已发文"
STATUS_VOID = "作废"
STATUSES = (STATUS_TAKEN, STATUS_ISSUED, STATUS_VOID)


class Base(DeclarativeBase):
    pass


class NumberCounter(Base):
    """The last 顺序号 given for one 代字 in one calendar year (GB/T 9704 §7.2.4: numbers run per year)."""

    __tablename__ = "number_counter"

    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(PREFIX_MAX_CHARS), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class RegisterEntry(Base):
    """One line of the 发文登记簿: a number given, and what was issued under it."""

    __tablename__ = "register_entry"
    __table_args__ = (UniqueConstraint("area_code", "prefix", "year", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS), index=True)
    prefix: Mapped[str] = mapped_column(String(PREFIX_MAX_CHARS))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)  # 顺序号
    number: Mapped[str] = mapped_column(Text)  # 发文字号
    title: Mapped[str] = mapped_column(Text, default="")
    genre: Mapped[str] = mapped_column(Text, default="")  # 文种
    recipients: Mapped[str] = mapped_column(Text, default="")  # 主送
    copies_to: Mapped[str] = mapped_column(Text, default="")  # 抄送
    secrecy: Mapped[str] = mapped_column(Text, default="")  # 密级
    urgency: Mapped[str] = mapped_column(Text, default="")  # 紧急程度
    signers: Mapped[str] = mapped_column(Text, default="")  # 签发人
    issuer: Mapped[str] = mapped_column(Text, default="")  # 责任者 (发文机关)
    written_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 成文日期
    printed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 印发日期
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    copies: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 份数
    attachments: Mapped[int] = mapped_column(Integer, default=0)  # 附件数
    status: Mapped[str] = mapped_column(String(10), default=STATUS_TAKEN)
    remark: Mapped[str] = mapped_column(Text, default="")  # 备注
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime)


USER_NAME_MAX_CHARS = 32  # 用户名
ROLE_MAX_CHARS = 4  # 教育局, 乡镇, 学校
TOKEN_HASH_CHARS = 64  # SHA-256 of a session id, hex


class AccountRow(Base):
    """A person's account at the shared page: her 用户名 (unique in the county), role, unit and the
    argon2 hash of her password. A disabled account cannot log in and has no session."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("area_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS), index=True)
    name: Mapped[str] = mapped_column(String(USER_NAME_MAX_CHARS))  # 用户名
    role: Mapped[str] = mapped_column(String(ROLE_MAX_CHARS))
    unit: Mapped[str] = mapped_column(Text)  # the 教育局, 乡镇 or 学校 as 单位设置 names it
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, with its parameters and salt
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    locked_until: Mapped[float | None] = mapped_column(Float, nullable=True)  # login lockout's end (epoch s)


class LoginSession(Base):
    """A logged-in session: only the SHA-256 of its id is kept (a copy of the database logs nobody in)."""

    __tablename__ = "login_session"

    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_CHARS), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One line of the 操作日志: who did what and when — never a child's name or ID number."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    account: Mapped[str] = mapped_column(Text, default="")  # 用户名 ("" without accounts)
    role: Mapped[str] = mapped_column(String(ROLE_MAX_CHARS), default="")
    unit: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text)  # 登录, 生成, 保存单位设置…
    task: Mapped[str] = mapped_column(Text, default="")  # a declared task's title
    counts: Mapped[str] = mapped_column(Text, default="")  # "写出 3 个文件，2 处错误"
    files: Mapped[str] = mapped_column(Text, default="")  # uploaded file names, joined by 、
    outcome: Mapped[str] = mapped_column(Text, default="")  # 成功, 失败: …


DRAFT_OWNER_CHARS = 200  # "用户:" + a 用户名, or "会话:" + a session id


class NoticeDraft(Base):
    """A 写通知 form as its owner left it (the page's values as JSON), kept until `saved_at` is older
    than the page's keeping time. Never children's data: a notice names none."""

    __tablename__ = "notice_draft"
    __table_args__ = (UniqueConstraint("area_code", "owner"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS), index=True)
    owner: Mapped[str] = mapped_column(String(DRAFT_OWNER_CHARS))
    form: Mapped[str] = mapped_column(Text)  # JSON: {"values": {…}, "seal": bool, "attachments": […]}
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime)


UPLOAD_VALID = "有效"
UPLOAD_FAILED = "有错误"
UNIT_MAX_CHARS = 100  # a 乡镇 or 学校 name as 单位设置 lists it


class Round(Base):
    """A 报送 round: the 教育局 asks its units for one filled form by a deadline."""

    __tablename__ = "report_round"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS), index=True)
    name: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(20))  # one of rounds.forms.ROUND_FORMS
    deadline: Mapped[dt.date] = mapped_column(Date)
    units: Mapped[list[str]] = mapped_column(JSON)  # the units expected, in the 单位设置's order
    opened_by: Mapped[str] = mapped_column(Text, default="")  # 用户名 ("" without accounts)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class RoundUpload(Base):
    """One file a unit sent to a round, as sent (every upload kept; the latest valid one counts)."""

    __tablename__ = "round_upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("report_round.id", ondelete="CASCADE"), index=True)
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS))
    unit: Mapped[str] = mapped_column(String(UNIT_MAX_CHARS))
    uploader: Mapped[str] = mapped_column(Text, default="")
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    file_name: Mapped[str] = mapped_column(Text)  # as she named it: shown only, never a path
    data: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(10))  # UPLOAD_VALID or UPLOAD_FAILED
    problems: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # rows: severity, where, message, value
    error_workbook: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # the marked copy


JOB_ID_CHARS = 32  # secrets.token_urlsafe(16) is 22


class KeptJob(Base):
    """A 网页版 job kept across restarts (issue 21 #5): who asked for it, what and when, the files she
    uploaded (the names she gave them, bytes) and how many it wrote. Its result lives in the server's
    job folder (``serve --work-dir``), not here; nothing of a roster's rows is in this table."""

    __tablename__ = "kept_job"

    id: Mapped[str] = mapped_column(String(JOB_ID_CHARS), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(AREA_CODE_CHARS), index=True)
    owner: Mapped[str] = mapped_column(Text)  # "账号:用户名", or a browser session's id without accounts
    account: Mapped[str] = mapped_column(String(USER_NAME_MAX_CHARS), default="")  # "" without accounts
    role: Mapped[str] = mapped_column(String(ROLE_MAX_CHARS))
    unit: Mapped[str] = mapped_column(Text, default="")
    task: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))  # queued, running, done, failed
    inputs: Mapped[list] = mapped_column(JSON)  # [[name she gave, bytes], …]
    outputs: Mapped[int] = mapped_column(Integer, default=0)  # files written
    result_bytes: Mapped[int] = mapped_column(Integer, default=0)  # the zip's size
    made_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
