"""``python -m app`` runs the `overt` command."""

import sys

from app.cli import main

sys.exit(main())
