<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>zl::ui::EngineWorker</name>
    <message>
        <source>Internal error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>zl::ui::GeneratePage</name>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the beginning of a text; the model continues it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 always picks the most likely token (greedy); higher values are more varied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample among the k most likely tokens; 0 turns this off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample from the smallest set of tokens whose probability adds up to p; 1 turns this off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values above 1 make repeating earlier tokens less likely</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same seed and settings give the same text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repetition penalty:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The fox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>end of text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stop text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens, %2 tokens/s (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>zl::ui::MainWindow</name>
    <message>
        <source>ZeroLens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ZeroLens — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About ZeroLens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About ZeroLens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;ZeroLens %1&lt;/h3&gt;&lt;p&gt;Fine-tune language models with sparse zeroth-order optimization and find the training data behind a generation.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;libtorch %3&lt;br&gt;SQLite %4&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>zl::ui::ModelPage</name>
    <message>
        <source>Open a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) of the Llama family: Llama 2/3, Mistral, Qwen2, TinyLlama, SmolLM. You can also drop a folder here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the weights live and the model runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 of %3, about %4 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open the model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (MLP %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention heads:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 query, %2 key/value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 on disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 as %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models you open appear here; double-click to reopen.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
