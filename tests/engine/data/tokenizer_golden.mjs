// Prints reference token ids for each text with @lenml/tokenizers (a port of
// transformers.js), for the C++ tokenizer test. Usage:
//   node tokenizer_golden.mjs NODE_MODULES_DIR TEXTS_JSON
// Output: {"llama2": [[ids...], ...], "llama3": [...], "qwen3": [...]}
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const [modulesDir, textsFile] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, "noop.js"));
const texts = JSON.parse(readFileSync(textsFile, "utf8"));
const out = {};
for (const name of ["llama2", "llama3", "qwen3"]) {
  const { fromPreTrained } = require(`@lenml/tokenizer-${name}`);
  const tok = fromPreTrained();
  out[name] = texts.map((t) => Array.from(tok.encode(t, { add_special_tokens: false })));
}
process.stdout.write(JSON.stringify(out));
