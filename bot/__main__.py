"""`python -m bot` runs the same command line as `toolkit-bot`."""

import sys

from bot.cli import main

sys.exit(main())
