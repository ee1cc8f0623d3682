"""``python -m tui`` runs the ``stockroom`` command."""

import sys

from tui.cli import main

sys.exit(main())
