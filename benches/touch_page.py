#!/usr/bin/env python3
"""Edits one page for the one-page rebuild benchmark: appends a closing paragraph with a run
number, or bumps the number when it is there, so every run gives the page text no earlier run
gave (a rebuild cannot reuse a page rendered two builds ago). Removing the last paragraph
restores the corpus's text."""

import re
import sys

MARK = re.compile(r"\nEdited for the one-page rebuild benchmark \(run (\d+)\)\.\n\Z")

path = sys.argv[1]
text = open(path, encoding="utf-8").read()
found = MARK.search(text)
run = int(found.group(1)) + 1 if found else 1
if found:
    text = text[: found.start()]
text += f"\nEdited for the one-page rebuild benchmark (run {run}).\n"
open(path, "w", encoding="utf-8").write(text)
