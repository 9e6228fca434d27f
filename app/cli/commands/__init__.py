"""One module per `overt` sub-command family; each exposes ``register(subparsers)``."""
