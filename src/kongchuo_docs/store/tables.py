"""The store's tables (SQLAlchemy 2 declarative). Changing one means a new Alembic revision in
``migrations/versions``; the revision, not `metadata.create_all`, builds a database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint
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
