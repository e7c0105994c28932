"""`python -m monitor_app` starts the application."""

import sys

from monitor_app.app import main

sys.exit(main())
