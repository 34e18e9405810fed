"""Every task declared once; the command line and the web page are made from the declarations."""

from .catalog import TASKS
from .model import TODAY, InputFile, Option, OptionError, Outcome, Run, Task

__all__ = ["TASKS", "TODAY", "InputFile", "Option", "OptionError", "Outcome", "Run", "Task"]
