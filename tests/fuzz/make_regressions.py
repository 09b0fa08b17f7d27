#!/usr/bin/env python3
"""Writes the hand-made regression inputs for the parser defects of issue 7
that fuzzing with small inputs does not reach (deep nesting needs inputs of
hundreds of KiB; the others need a known bad pattern). Files found by the
fuzzers themselves are copied into regressions/<target>/ as they are.
Usage: tests/fuzz/make_regressions.py (from anywhere)"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "corpus")
OUT = os.path.join(HERE, "regressions")


def put(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def nested_arrays(depth):
    return "[" * depth + "]" * depth


def nested(depth, kind, inner_key):
    """{"type": kind, inner_key: [{"type": kind, inner_key: [ ... ]}]} `depth` levels deep."""
    return ('{"type":"%s","%s":[' % (kind, inner_key)) * depth + "]}" * depth


def seed(target, name):
    with open(os.path.join(SEEDS, target, name), "rb") as f:
        return f.read()


# config.json: a wrong-typed value that is 100k arrays deep; the error message
# printed it with the recursive dump().
config = json.loads(seed("model_config", "sample_llama.json"))
text = json.dumps(config)
put("model_config", "deep_nesting_in_wrong_typed_value.json",
    text.replace('"vocab_size": %d' % config["vocab_size"], '"vocab_size": ' + nested_arrays(100000)))
# An unused key 100k levels deep.
put("model_config", "deep_nesting_in_unused_key.json", text[:-1] + ', "unused": ' + nested_arrays(100000) + "}")

# tokenizer.json: deep values where the pipeline is built from copies.
tok = json.loads(seed("tokenizer_json", "sample_bytelevel.json").split(b"\0")[0])
base = json.dumps(tok)


def with_key(key, value_text):
    t = dict(tok)
    t[key] = "@@"
    return json.dumps(t).replace('"@@"', value_text)


# Deep values are 100k arrays (two bytes a level): the copy overflowed the
# stack before any type check. Nested Sequences cost 38 bytes a level, so
# 20k of them (quadratic copying, a hang) is the one large file here.
put("tokenizer_json", "deep_normalizer.json", with_key("normalizer", nested_arrays(100000)))
put("tokenizer_json", "deep_decoder.json", with_key("decoder", nested_arrays(100000)))
put("tokenizer_json", "deep_post_processor.json", with_key("post_processor", nested_arrays(100000)))
put("tokenizer_json", "nested_pre_tokenizer_sequence_20k.json",
    with_key("pre_tokenizer", nested(20000, "Sequence", "pretokenizers")))
t = dict(tok)
t["model"] = dict(tok["model"])
t["model"]["merges"] = "@@"
put("tokenizer_json", "deep_merges.json", json.dumps(t).replace('"@@"', nested_arrays(100000)))
# A Split regex with catastrophic backtracking, and the text (after the NUL) it
# backtracks on: PCRE2's match limit must end it with an error, not a hang.
put("tokenizer_json", "split_regex_catastrophic_backtracking.json",
    with_key("pre_tokenizer", json.dumps(
        {"type": "Split", "pattern": {"Regex": "(a+)+$"}, "behavior": "Isolated", "invert": False}))
    + "\0" + "a" * 1000 + "!")


# tokenizer.model: one piece of 256 KiB appended to a real model (field 1,
# repeated SentencePiece); extracting merges was quadratic in a piece's length.
def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def field(num, wire, payload):
    key = varint(num << 3 | wire)
    if wire == 2:
        return key + varint(len(payload)) + payload
    return key + payload


piece = field(1, 2, b"\xe2\x96\x81" + b"x" * (256 * 1024)) + field(2, 5, struct.pack("<f", -1.0)) + field(3, 0, b"\x01")
put("sentencepiece_model", "huge_piece_256k.model", seed("sentencepiece_model", "bpe_byte_fallback.model") +
    field(1, 2, piece))
