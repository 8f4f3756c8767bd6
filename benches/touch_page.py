#!/usr/bin/env python3
"""Edits one page for the one-page rebuild benchmark: adds or removes a closing paragraph, so
every run changes the page's bytes (and its content hash) and the corpus returns to its
original text every second run."""

import sys

MARK = "\nEdited for the one-page rebuild benchmark.\n"

path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = text[: -len(MARK)] if text.endswith(MARK) else text + MARK
open(path, "w", encoding="utf-8").write(text)
