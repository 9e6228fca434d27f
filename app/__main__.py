"""``python -m app`` runs the `overt` command."""

import sys

from app.main import main

sys.exit(main())
