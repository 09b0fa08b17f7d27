#!/usr/bin/env python3
"""Shrinks a real tokenizer.json to a fuzz seed of a few KiB: the same
normalizer, pre-tokenizer, post-processor and decoder, the first `keep` vocab
entries, the merges among them and a few added tokens renumbered to follow.
Usage: trim_tokenizer.py IN OUT [keep]"""
import json
import sys

src, dst = sys.argv[1], sys.argv[2]
keep = int(sys.argv[3]) if len(sys.argv) > 3 else 300
tok = json.load(open(src, encoding="utf-8"))
model = tok["model"]
vocab = {t: i for t, i in model["vocab"].items() if i < keep}
model["vocab"] = vocab
merges = []
for m in model.get("merges", []):
    a, b = m.split(" ", 1) if isinstance(m, str) else m
    if a in vocab and b in vocab and a + b in vocab:
        merges.append(m)
model["merges"] = merges[:80]

renumber = {}
added = []
for t in tok.get("added_tokens", [])[:4]:
    renumber[t["id"]] = keep + len(added)
    t["id"] = renumber[t["id"]]
    added.append(t)
tok["added_tokens"] = added


def fix_ids(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "ids" and isinstance(v, list):
                node[k] = [renumber.get(i, i % keep) for i in v]
            elif k == "id" and isinstance(v, int):
                node[k] = renumber.get(v, v % keep)
            else:
                fix_ids(v)
    elif isinstance(node, list):
        for v in node:
            fix_ids(v)


fix_ids(tok.get("post_processor"))
with open(dst, "w", encoding="utf-8") as f:
    json.dump(tok, f, ensure_ascii=False, separators=(",", ":"))
