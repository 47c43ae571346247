"""Allow ``python -m jobframe_lint``."""

import sys

from jobframe_lint.cli import main

sys.exit(main())
