#!/usr/bin/env bash
# Moves PATH (when it exists) into TRASH under a new name instead of deleting it, so that the
# benchmark's timed runs never create files right after a mass delete: ext4 skips inodes freed
# in the last 60–300 s when it allocates new ones (fs/ext4/ialloc.c, recently_deleted), which
# made the floor's `write` swing from 0.3 to 4 s. TRASH must be on PATH's file system (a rename,
# not a copy); benches/build.sh deletes it once all timed runs are over.
# Usage: benches/set_aside.sh PATH TRASH
set -euo pipefail
[ -e "$1" ] || exit 0
mkdir -p "$2"
mv "$1" "$(mktemp -d -p "$2")/"
