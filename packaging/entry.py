"""Entry point of the frozen executables (PyInstaller runs this file as ``__main__``)."""

import sys

from monitor_app.app import main

if __name__ == "__main__":
    sys.exit(main())
