# SPDX-License-Identifier: MIT
# fasterapi/__main__.py: `python -m fasterapi` runs the command line (see cli.py)
from fasterapi.cli import main

main()
