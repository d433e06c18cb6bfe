"""Run the command line as ``python -m glossator``."""

import sys

from glossator.cli import main

if __name__ == "__main__":  # not when worker processes re-import the main module
    sys.exit(main())
