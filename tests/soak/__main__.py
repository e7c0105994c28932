"""``python -m tests.soak --minutes 10``: the storm, with its summary printed as JSON."""

import sys

from tests.soak.storm import main

sys.exit(main())
