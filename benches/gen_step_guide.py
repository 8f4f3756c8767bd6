#!/usr/bin/env python3
"""Writes a large generated step-by-step guide for the broken-step-ref / step-sequence
benchmark (issue 11): about 2 MB of Markdown with 30,000 step references by default.

Usage: gen_step_guide.py OUT_DIR [REFERENCES]

The guide has 1,000 step headings (some with sub-steps) and paragraphs of prose that mention
steps ("see Step 12", "Steps 3-5", "steps 1 and 7"). About one mention in twenty names a step the
guide does not have, so the rule also builds its suggestions. Deterministic (fixed seed).
"""
import os
import random
import sys

out = sys.argv[1]
refs = int(sys.argv[2]) if len(sys.argv) > 2 else 30000
steps = 1000
rng = random.Random(11)
words = ("open the console and create the token then copy the client secret into the form "
         "before you request access to the reporting api for the account").split()

os.makedirs(os.path.join(out, "content"), exist_ok=True)
lines = ["# Generated connector guide", ""]
per_step = refs // steps
made = 0
for n in range(1, steps + 1):
    title = " ".join(rng.choice(words) for _ in range(4)).capitalize()
    lines += [f"## Step {n}: {title}", ""]
    if n % 10 == 0:
        lines += [f"#### Step {n}.1: Check the {rng.choice(words)}", ""]
    count = per_step if n < steps else refs - made
    para = []
    for i in range(count):
        k = rng.randint(steps + 1, steps + 15) if rng.random() < 0.05 else rng.randint(1, steps)
        form = rng.random()
        if form < 0.7:
            mention = f"Step {k}"
        elif form < 0.85:
            mention = f"Steps {min(k, steps - 2)}-{min(k, steps - 2) + 2}"
        else:
            mention = f"steps {k} and {rng.randint(1, steps)}"
        filler = " ".join(rng.choice(words) for _ in range(6))
        para.append(f"If the {filler} fails, go back to {mention}.")
        made += 1
        if len(para) == 4:
            lines += [" ".join(para), ""]
            para = []
    if para:
        lines += [" ".join(para), ""]
with open(os.path.join(out, "content", "GUIDE.md"), "w") as f:
    f.write("\n".join(lines))
size = os.path.getsize(os.path.join(out, "content", "GUIDE.md"))
print(f"{out}/content/GUIDE.md: {size} bytes, {made} step references, {steps} steps")
