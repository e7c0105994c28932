"""Entry point of the frozen executables (PyInstaller runs this file as ``__main__``)."""

import multiprocessing
import sys

from monitor_app.app import main

if __name__ == "__main__":
    # The benchmark's senders are multiprocessing children; a frozen child (spawned on Windows and macOS) runs
    # this executable again, and freeze_support() turns that run into the child instead of a second app.
    multiprocessing.freeze_support()
    sys.exit(main())
