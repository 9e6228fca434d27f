#!/usr/bin/env bash
# Placeholder until the packaging issue lands: builds the Linux bundle.
echo "The Linux bundle is not built yet (packaging issue)." >&2
exit 1
