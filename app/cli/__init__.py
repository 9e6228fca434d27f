"""The `overt` command line: argument parsing, shared CLI plumbing, one module per sub-command."""
