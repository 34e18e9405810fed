"""The store: one database for what outlives a run — the 发文登记簿 now; accounts, 报送 rounds and jobs
of the shared service next. SQLite beside the 单位设置 by default, PostgreSQL by URL; every row carries
the county's 行政区划代码 so one server can hold several counties apart.

Modules: `database` (URL, open, migrate), `tables`, `register` (发文登记簿), `issuing` (发文字号: 自动 in a
run), `rounds` (报送 rounds and their uploads). The package imports nothing itself, so a run that
never touches the store never loads SQLAlchemy.
"""
