#!/usr/bin/env python3
"""Build, check or serve this site: ``python build.py [build|check|serve] --help``."""

import sys

try:
    from glossator.cli import main
except ModuleNotFoundError as error:  # a dependency is missing, not glossator itself
    sys.exit(f"glossator: missing dependency '{error.name}'. Install the project first:  pip install -e .")

if __name__ == "__main__":
    sys.exit(main())
