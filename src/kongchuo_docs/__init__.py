"""控辍保学文书工具箱 (kongchuo-docs): YAML/Excel → 公文 DOCX, PDF and XLSX."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kongchuo-docs")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.0.0+checkout"
