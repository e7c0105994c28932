"""Run Camera Monitor from a source checkout: ``python main.py [LAYOUT.json]``."""

import sys

from monitor_app.app import main

if __name__ == "__main__":
    sys.exit(main())
