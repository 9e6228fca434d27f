"""``python -m app`` runs the `overt` command."""

import sys

from app.cli.main import main

sys.exit(main())
