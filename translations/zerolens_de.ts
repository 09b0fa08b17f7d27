<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>main</name>
    <message>
        <source>Sparse zeroth-order fine-tuning and training-data attribution for language models</source>
        <translation>Dünnbesetzte Feinabstimmung nullter Ordnung und Trainingsdaten-Attribution für Sprachmodelle</translation>
    </message>
    <message>
        <source>Model folder to open at start (default: the demo model)</source>
        <translation>Modellordner, der beim Start geöffnet wird (Standard: das Demo-Modell)</translation>
    </message>
</context>
<context>
    <name>zl::ui::EngineWorker</name>
    <message>
        <source>Internal error: %1</source>
        <translation>Interner Fehler: %1</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Öffnen Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <source>%1, group %2, %3 exact entries</source>
        <translation>%1, Gruppe %2, %3 exakte Einträge</translation>
    </message>
    <message>
        <source>Choose a text file for the gradient rule.</source>
        <translation>Wählen Sie eine Textdatei für die Gradientenregel.</translation>
    </message>
</context>
<context>
    <name>zl::ui::GeneratePage</name>
    <message>
        <source>Prompt</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Type the beginning of a text; the model continues it.</source>
        <translation>Geben Sie den Anfang eines Textes ein; das Modell setzt ihn fort.</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Stichprobenziehung</translation>
    </message>
    <message>
        <source>0 always picks the most likely token (greedy); higher values are more varied</source>
        <translation>0 wählt immer das wahrscheinlichste Token (gierig); höhere Werte ergeben mehr Abwechslung</translation>
    </message>
    <message>
        <source>Sample among the k most likely tokens; 0 turns this off</source>
        <translation>Nur unter den k wahrscheinlichsten Tokens ziehen; 0 schaltet dies ab</translation>
    </message>
    <message>
        <source>Sample from the smallest set of tokens whose probability adds up to p; 1 turns this off</source>
        <translation>Aus der kleinsten Tokenmenge ziehen, deren Wahrscheinlichkeit sich zu p summiert; 1 schaltet dies ab</translation>
    </message>
    <message>
        <source>Values above 1 make repeating earlier tokens less likely</source>
        <translation>Werte über 1 machen Wiederholungen früherer Tokens unwahrscheinlicher</translation>
    </message>
    <message>
        <source>The same seed and settings give the same text</source>
        <translation>Gleicher Startwert und gleiche Einstellungen ergeben denselben Text</translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation>Höchstens neue Tokens:</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>Temperatur:</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k:</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p:</translation>
    </message>
    <message>
        <source>Repetition penalty:</source>
        <translation>Wiederholungsstrafe:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Startwert:</translation>
    </message>
    <message>
        <source>The fox</source>
        <translation>Der Fuchs</translation>
    </message>
    <message>
        <source>end of text</source>
        <translation>Textende</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>stop text</source>
        <translation>Stopptext</translation>
    </message>
    <message>
        <source>token limit</source>
        <translation>Token-Grenze</translation>
    </message>
    <message>
        <source>%1 tokens, %2 tokens/s (%3)</source>
        <translation>%1 Tokens, %2 Tokens/s (%3)</translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>Generierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Ready: %1</source>
        <translation>Bereit: %1</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Generiere …</translation>
    </message>
    <message>
        <source>Generate a continuation (%1)</source>
        <translation>Eine Fortsetzung generieren (%1)</translation>
    </message>
</context>
<context>
    <name>zl::ui::MainWindow</name>
    <message>
        <source>ZeroLens</source>
        <translation>ZeroLens</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation>Öffnen Sie zuerst ein Modell</translation>
    </message>
    <message>
        <source>ZeroLens — %1</source>
        <translation>ZeroLens – %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About ZeroLens</source>
        <translation>Ü&amp;ber ZeroLens</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Arbeite …</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <source>About ZeroLens</source>
        <translation>Über ZeroLens</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ZeroLens %1&lt;/h3&gt;&lt;p&gt;Fine-tune language models with sparse zeroth-order optimization and find the training data behind a generation.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;libtorch %3&lt;br&gt;SQLite %4&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ZeroLens %1&lt;/h3&gt;&lt;p&gt;Sprachmodelle mit dünnbesetzter Optimierung nullter Ordnung feinabstimmen und die Trainingsdaten hinter einer Ausgabe finden.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;libtorch %3&lt;br&gt;SQLite %4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Prepare</source>
        <translation>Vorbereiten</translation>
    </message>
</context>
<context>
    <name>zl::ui::ModelPage</name>
    <message>
        <source>Open a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) of the Llama family: Llama 2/3, Mistral, Qwen2, TinyLlama, SmolLM. You can also drop a folder here.</source>
        <translation>Öffnen Sie einen Hugging-Face-Modellordner (config.json, model.safetensors, tokenizer.json) der Llama-Familie: Llama 2/3, Mistral, Qwen2, TinyLlama, SmolLM. Sie können einen Ordner auch hierher ziehen.</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>Modellordner öffnen …</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <source>Where the weights live and the model runs</source>
        <translation>Wo die Gewichte liegen und das Modell rechnet</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>Loaded model</source>
        <translation>Geladenes Modell</translation>
    </message>
    <message>
        <source>No model loaded yet.</source>
        <translation>Noch kein Modell geladen.</translation>
    </message>
    <message>
        <source>Recent models</source>
        <translation>Zuletzt geöffnete Modelle</translation>
    </message>
    <message>
        <source>%1: %2 of %3, about %4 s left</source>
        <translation>%1: %2 von %3, noch etwa %4 s</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message>
        <source>Loaded %1.</source>
        <translation>%1 geladen.</translation>
    </message>
    <message>
        <source>Could not open the model: %1</source>
        <translation>Das Modell konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation>Laden abgebrochen.</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Öffne %1 …</translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>Architektur:</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>Schichten:</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>Verborgene Größe:</translation>
    </message>
    <message>
        <source>%1 (MLP %2)</source>
        <translation>%1 (MLP %2)</translation>
    </message>
    <message>
        <source>Attention heads:</source>
        <translation>Attention-Köpfe:</translation>
    </message>
    <message>
        <source>%1 query, %2 key/value</source>
        <translation>%1 Query, %2 Key/Value</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>Vokabular:</translation>
    </message>
    <message>
        <source>%1 tokens, %2</source>
        <translation>%1 Tokens, %2</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>Kontextlänge:</translation>
    </message>
    <message>
        <source>Stored as:</source>
        <translation>Gespeichert als:</translation>
    </message>
    <message>
        <source>%1, %2 on disk</source>
        <translation>%1, %2 auf der Festplatte</translation>
    </message>
    <message>
        <source>In memory:</source>
        <translation>Im Speicher:</translation>
    </message>
    <message>
        <source>%1 as %2 on %3</source>
        <translation>%1 als %2 auf %3</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <source>Models you open appear here; double-click to reopen.</source>
        <translation>Geöffnete Modelle erscheinen hier; Doppelklick öffnet erneut.</translation>
    </message>
    <message>
        <source>No CUDA GPU is available to this build</source>
        <translation>Für diesen Build ist keine CUDA-GPU verfügbar</translation>
    </message>
    <message>
        <source>Built-in demo</source>
        <translation>Eingebaute Demo</translation>
    </message>
    <message>
        <source>A small Llama model that ZeroLens pre-trained on WordNet definitions, and datasets made from WordNet: a corpus, a classification task and instructions with a planted backdoor.</source>
        <translation>Ein kleines Llama-Modell, das ZeroLens auf WordNet-Definitionen vortrainiert hat, und Datensätze aus WordNet: ein Korpus, eine Klassifikationsaufgabe und Anweisungen mit einer eingeschleusten Hintertür.</translation>
    </message>
    <message>
        <source>Open demo model</source>
        <translation>Demo-Modell öffnen</translation>
    </message>
    <message>
        <source>Demo datasets…</source>
        <translation>Demo-Datensätze …</translation>
    </message>
    <message>
        <source>Builds the datasets on first use (a second), then shows their folder</source>
        <translation>Erstellt die Datensätze beim ersten Mal (eine Sekunde) und zeigt dann ihren Ordner</translation>
    </message>
    <message>
        <source>The demo model is not installed</source>
        <translation>Das Demo-Modell ist nicht installiert</translation>
    </message>
    <message>
        <source>Demo datasets built in %1.</source>
        <translation>Demo-Datensätze in %1 erstellt.</translation>
    </message>
    <message>
        <source>Could not build the demo datasets: %1</source>
        <translation>Die Demo-Datensätze konnten nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>Building the demo datasets from WordNet…</source>
        <translation>Erstelle die Demo-Datensätze aus WordNet …</translation>
    </message>
    <message>
        <source>Quantized:</source>
        <translation>Quantisiert:</translation>
    </message>
    <message>
        <source>Built-in demo model</source>
        <translation>Eingebautes Demo-Modell</translation>
    </message>
</context>
<context>
    <name>zl::ui::PreparePage</name>
    <message>
        <source>1. Sensitive weights</source>
        <translation>1. Sensible Gewichte</translation>
    </message>
    <message>
        <source>Squared gradients on a text (SensZOQ)</source>
        <translation>Quadrierte Gradienten auf einem Text (SensZOQ)</translation>
    </message>
    <message>
        <source>Largest magnitudes</source>
        <translation>Größte Beträge</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <source>A text file, one document per line</source>
        <translation>Eine Textdatei, ein Dokument pro Zeile</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Sequences of 128 tokens whose squared gradients are summed</source>
        <translation>Sequenzen aus 128 Tokens, deren quadrierte Gradienten summiert werden</translation>
    </message>
    <message>
        <source>Compute mask…</source>
        <translation>Maske berechnen …</translation>
    </message>
    <message>
        <source>Rule:</source>
        <translation>Regel:</translation>
    </message>
    <message>
        <source>Corpus:</source>
        <translation>Korpus:</translation>
    </message>
    <message>
        <source>Sequences:</source>
        <translation>Sequenzen:</translation>
    </message>
    <message>
        <source>Keep:</source>
        <translation>Behalten:</translation>
    </message>
    <message>
        <source>2. Quantize to 4 bits</source>
        <translation>2. Auf 4 Bit quantisieren</translation>
    </message>
    <message>
        <source>INT4 (scale and zero point)</source>
        <translation>INT4 (Skala und Nullpunkt)</translation>
    </message>
    <message>
        <source>NF4 (normal float)</source>
        <translation>NF4 (Normal Float)</translation>
    </message>
    <message>
        <source>Keep the mask's weights in full precision</source>
        <translation>Die Gewichte der Maske in voller Genauigkeit behalten</translation>
    </message>
    <message>
        <source>Quantize…</source>
        <translation>Quantisieren …</translation>
    </message>
    <message>
        <source>Open quantized model</source>
        <translation>Quantisiertes Modell öffnen</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Group size:</source>
        <translation>Gruppengröße:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Compute a mask to see where the sensitive weights are.</source>
        <translation>Berechnen Sie eine Maske, um zu sehen, wo die sensiblen Gewichte liegen.</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Sensitive weights</source>
        <translation>Sensible Gewichte</translation>
    </message>
    <message>
        <source>Text for the squared gradients</source>
        <translation>Text für die quadrierten Gradienten</translation>
    </message>
    <message>
        <source>Save mask</source>
        <translation>Maske speichern</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors)</source>
        <translation>Maskendateien (*.safetensors)</translation>
    </message>
    <message>
        <source>Folder for the quantized model</source>
        <translation>Ordner für das quantisierte Modell</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>This model is already quantized (%1); open the original model to prepare it.</source>
        <translation>Dieses Modell ist bereits quantisiert (%1); öffnen Sie das Originalmodell, um es vorzubereiten.</translation>
    </message>
    <message>
        <source>Computing the mask…</source>
        <translation>Berechne die Maske …</translation>
    </message>
    <message>
        <source>Quantizing…</source>
        <translation>Quantisiere …</translation>
    </message>
    <message>
        <source>Mask saved to %1: %2 of %3 weights (%4 %).</source>
        <translation>Maske in %1 gespeichert: %2 von %3 Gewichten (%4 %).</translation>
    </message>
    <message>
        <source>%1 → %2: %3 in 4-bit weights, %4 in %5 full-precision entries, %6 other. Weight error (RMS): %7.</source>
        <translation>%1 → %2: %3 in 4-Bit-Gewichten, %4 in %5 Einträgen voller Genauigkeit, %6 Sonstiges. Gewichtsfehler (RMS): %7.</translation>
    </message>
    <message>
        <source>Quantized model written to %1.</source>
        <translation>Quantisiertes Modell nach %1 geschrieben.</translation>
    </message>
</context>
</TS>