"""``python -m recoupe``: the same command line as ``recoupe``."""

from .cli import main

main()
