"""``python -m kongchuo_docs`` runs the command line."""

from .cli import main

main()
