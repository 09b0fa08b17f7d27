#!/usr/bin/env bash
# Rebuilds the shipped demo model from scratch: WordNet datasets, tokenizer,
# pre-training. Run it only when this recipe changes; it takes ~30 minutes on
# 2 cores. Usage: resources/demo/rebuild.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="${1:-$here/../../build/release}/app/zerolens-cli"
work="${ZL_DEMO_WORK:-$HOME/.cache/zerolens/demo-rebuild}"
mkdir -p "$work"
"$cli" build-demo-data "$work/data" --seed 1234
"$cli" train-tokenizer --corpus "$work/data/corpus/train.txt" --out "$work/tokenizer.json" --vocab-size 4096
"$cli" pretrain --corpus "$work/data/corpus/train.txt" --heldout "$work/data/corpus/heldout.txt" \
  --config "$here/architecture.json" --tokenizer "$work/tokenizer.json" --out "$work/model" \
  --steps 1600 --batch 16 --seq-len 128 --lr 2e-3 --warmup 100 --min-lr-ratio 0.1 --weight-decay 0.1 \
  --clip 1.0 --eval-every 100 --checkpoint-every 100 --seed 1 --export-dtype BF16
mkdir -p "$here/model"
cp "$work/model/config.json" "$work/model/model.safetensors" "$work/model/tokenizer.json" \
  "$work/model/tokenizer_config.json" "$here/model/"
cp "$work/data/WORDNET-LICENSE" "$here/model/WORDNET-LICENSE"
echo "demo model written to $here/model"
