"""Run the command line as ``python -m glossator``."""

import sys

from glossator.cli import main

sys.exit(main())
