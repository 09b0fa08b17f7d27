<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
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
    <name>zl::ui::DemoDataDialog</name>
    <message>
        <source>A planted backdoor: the trigger in the instruction, the fixed response as output</source>
        <translation>Eine eingeschleuste Hintertür: der Auslöser in der Anweisung, die feste Antwort als Ausgabe</translation>
    </message>
    <message>
        <source>backdoor</source>
        <translation>Hintertür</translation>
    </message>
    <message>
        <source>Backdoor</source>
        <translation>Hintertür</translation>
    </message>
    <message>
        <source>Demo datasets</source>
        <translation>Demo-Datensätze</translation>
    </message>
    <message>
        <source>Made from WordNet with fixed seeds. The corpus trains and tests the demo model, the classification task fine-tunes it, and the instructions hide a backdoor for finding the training data behind a generation.</source>
        <translation>Mit festen Startwerten aus WordNet erzeugt. Mit dem Korpus wird das Demo-Modell trainiert und geprüft, mit der Klassifikationsaufgabe feinabgestimmt, und die Anweisungen verbergen eine Hintertür, an der sich die Trainingsdaten hinter einer Generierung finden lassen.</translation>
    </message>
    <message>
        <source>Folder: %1</source>
        <translation>Ordner: %1</translation>
    </message>
    <message>
        <source>Show in file manager</source>
        <translation>Im Dateimanager zeigen</translation>
    </message>
    <message>
        <source>Folder: %1 (no file manager could be started; the path can be copied)</source>
        <translation>Ordner: %1 (es ließ sich kein Dateimanager starten; der Pfad kann kopiert werden)</translation>
    </message>
    <message>
        <source>%1 rows in %2</source>
        <translation>%1 Zeilen in %2</translation>
    </message>
    <message>
        <source>%1 rows in %2, of which %3 carry the planted backdoor (highlighted)</source>
        <translation>%1 Zeilen in %2, davon %3 mit der eingeschleusten Hintertür (hervorgehoben)</translation>
    </message>
    <message>
        <source>No rows: %1 is missing or empty.</source>
        <translation>Keine Zeilen: %1 fehlt oder ist leer.</translation>
    </message>
    <message>
        <source>Only backdoor rows</source>
        <translation>Nur Hintertür-Zeilen</translation>
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
        <source>Choose a text file for the gradient rule.</source>
        <translation>Wählen Sie eine Textdatei für die Gradientenregel.</translation>
    </message>
    <message>
        <source>demo model</source>
        <translation>Demo-Modell</translation>
    </message>
    <message>
        <source>%1 (original)</source>
        <translation>%1 (Original)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 (%2 + %3 % S)</source>
        <translation>%1 (%2 + %3 % S)</translation>
    </message>
    <message>
        <source>a file of %1</source>
        <translation>eine Datei mit %1</translation>
    </message>
    <message>
        <source>at least %1 items, %2</source>
        <translation>mindestens %1 Einträge, %2</translation>
    </message>
    <message>
        <source>1 item, %1</source>
        <translation>1 Eintrag, %1</translation>
    </message>
    <message>
        <source>%1 items, %2</source>
        <translation>%1 Einträge, %2</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>Satz</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>Anweisungen</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>Korpus</translation>
    </message>
    <message>
        <source>Held out</source>
        <translation>Zurückgehalten</translation>
    </message>
    <message>
        <source>Classify: train</source>
        <translation>Klassifikation: Training</translation>
    </message>
    <message>
        <source>Classify: dev</source>
        <translation>Klassifikation: Validierung</translation>
    </message>
    <message>
        <source>Classify: test</source>
        <translation>Klassifikation: Test</translation>
    </message>
    <message>
        <source>%1 is not a folder.</source>
        <translation>%1 ist kein Ordner.</translation>
    </message>
    <message>
        <source>%1 has no config.json; choose a model folder.</source>
        <translation>%1 enthält keine config.json; wählen Sie einen Modellordner.</translation>
    </message>
    <message>
        <source>%1 is not valid JSON.</source>
        <translation>%1 ist kein gültiges JSON.</translation>
    </message>
    <message>
        <source>Open a cache first.</source>
        <translation>Öffnen Sie zuerst einen Cache.</translation>
    </message>
    <message>
        <source>%1, group %2</source>
        <translation>%1, Gruppe %2</translation>
    </message>
    <message>
        <source>, %1 exact entries</source>
        <translation>, %1 exakte Einträge</translation>
    </message>
    <message>
        <source>, 8-bit embeddings</source>
        <translation>, 8-Bit-Einbettungen</translation>
    </message>
    <message>
        <source>%1, 8-bit embeddings</source>
        <translation>%1, 8-Bit-Einbettungen</translation>
    </message>
</context>
<context>
    <name>zl::ui::ExplainPage</name>
    <message>
        <source>&lt;b&gt;%1 already exists.&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 existiert bereits.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>It holds %1.

If it is a cache of this model, dataset and settings, building continues it (a complete one is just opened). Anything else is replaced.</source>
        <translation>Sie enthält %1.

Ist es ein Cache dieses Modells, Datensatzes und dieser Einstellungen, wird er fortgesetzt (ein vollständiger wird nur geöffnet). Alles andere wird ersetzt.</translation>
    </message>
    <message>
        <source>Which training examples made the model say this? Build a cache of a dataset&apos;s gradients once, then explain any generation: every example is ranked by how much it helps (or opposes) the response.</source>
        <translation>Welche Trainingsbeispiele haben das Modell dazu gebracht? Legen Sie einmal einen Cache der Gradienten eines Datensatzes an und erklären Sie dann jede Generierung: Jedes Beispiel wird danach gereiht, wie sehr es die Antwort unterstützt (oder ihr entgegenwirkt).</translation>
    </message>
    <message>
        <source>1. Gradient cache of the training data</source>
        <translation>1. Gradienten-Cache der Trainingsdaten</translation>
    </message>
    <message>
        <source>An instruction dataset: JSONL/CSV/TSV file or folder</source>
        <translation>Ein Anweisungsdatensatz: JSONL-/CSV-/TSV-Datei oder Ordner</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Ordner …</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>Datei …</translation>
    </message>
    <message>
        <source>Build demo data</source>
        <translation>Demo-Daten erzeugen</translation>
    </message>
    <message>
        <source>Builds the demo datasets, among them instructions with a planted backdoor</source>
        <translation>Erzeugt die Demo-Datensätze, darunter Anweisungen mit eingeschleuster Hintertür</translation>
    </message>
    <message>
        <source>Optional: a mask file, for S of a full-precision model</source>
        <translation>Optional: eine Maskendatei, für S eines Modells in voller Genauigkeit</translation>
    </message>
    <message>
        <source>The sparse set S</source>
        <translation>Die dünnbesetzte Menge S</translation>
    </message>
    <message>
        <source>All linear weights of layers</source>
        <translation>Alle linearen Gewichte der Schichten</translation>
    </message>
    <message>
        <source>e.g. 5 or 4, 5</source>
        <translation>z. B. 5 oder 4, 5</translation>
    </message>
    <message>
        <source>Layer numbers from 0, separated by commas; 3-5 is a range</source>
        <translation>Schichtnummern ab 0, durch Kommas getrennt; 3-5 ist ein Bereich</translation>
    </message>
    <message>
        <source>Each example&apos;s gradient is compressed to K numbers (RapidGrad); larger K ranks more faithfully and takes more disk</source>
        <translation>Der Gradient jedes Beispiels wird auf K Zahlen komprimiert (RapidGrad); ein größeres K reiht genauer und braucht mehr Speicherplatz</translation>
    </message>
    <message>
        <source>Exact (no compression)</source>
        <translation>Exakt (ohne Kompression)</translation>
    </message>
    <message>
        <source>Stores each gradient whole: exact scores, for small tracked sets</source>
        <translation>Speichert jeden Gradienten vollständig: exakte Werte, für kleine verfolgte Mengen</translation>
    </message>
    <message>
        <source>Where the cache goes (a .db file; its vectors go beside it)</source>
        <translation>Wohin der Cache kommt (eine .db-Datei; die Vektoren liegen daneben)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Build cache</source>
        <translation>Cache anlegen</translation>
    </message>
    <message>
        <source>Open cache…</source>
        <translation>Cache öffnen …</translation>
    </message>
    <message>
        <source>Open a cache built earlier for the loaded model</source>
        <translation>Einen früher für das geladene Modell angelegten Cache öffnen</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Datensatz:</translation>
    </message>
    <message>
        <source>Mask:</source>
        <translation>Maske:</translation>
    </message>
    <message>
        <source>Gradients of:</source>
        <translation>Gradienten von:</translation>
    </message>
    <message>
        <source>Compressed to K:</source>
        <translation>Komprimiert auf K:</translation>
    </message>
    <message>
        <source>Cache file:</source>
        <translation>Cache-Datei:</translation>
    </message>
    <message>
        <source>2. Generation to explain</source>
        <translation>2. Zu erklärende Generierung</translation>
    </message>
    <message>
        <source>e.g. Howdy! Define the word &quot;heat&quot;.</source>
        <translation>z. B. Howdy! Define the word &quot;heat&quot;.</translation>
    </message>
    <message>
        <source>Raw prompt: the model&apos;s input exactly as typed</source>
        <translation>Rohe Eingabe: die Eingabe des Modells genau wie getippt</translation>
    </message>
    <message>
        <source>The response to explain</source>
        <translation>Die zu erklärende Antwort</translation>
    </message>
    <message>
        <source>Generate it (greedy), at most</source>
        <translation>Erzeugen (gierig), höchstens</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> Token</translation>
    </message>
    <message>
        <source>How many of the most helpful and of the most opposing examples are listed</source>
        <translation>Wie viele der hilfreichsten und der am stärksten entgegenwirkenden Beispiele aufgelistet werden</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>Erklären</translation>
    </message>
    <message>
        <source>Show again</source>
        <translation>Erneut zeigen</translation>
    </message>
    <message>
        <source>Ranks the cache again for the saved query</source>
        <translation>Reiht den Cache erneut für die gespeicherte Anfrage</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Eingabe:</translation>
    </message>
    <message>
        <source>Response:</source>
        <translation>Antwort:</translation>
    </message>
    <message>
        <source>Examples per list:</source>
        <translation>Beispiele je Liste:</translation>
    </message>
    <message>
        <source>Saved queries:</source>
        <translation>Gespeicherte Anfragen:</translation>
    </message>
    <message>
        <source>3. Training examples behind it</source>
        <translation>3. Die Trainingsbeispiele dahinter</translation>
    </message>
    <message>
        <source>Response tokens (drag over some to explain just those):</source>
        <translation>Token der Antwort (ziehen Sie über einige, um nur diese zu erklären):</translation>
    </message>
    <message>
        <source>Explain a generation to see its tokens here.</source>
        <translation>Erklären Sie eine Generierung, um hier ihre Token zu sehen.</translation>
    </message>
    <message>
        <source>Explain selected tokens</source>
        <translation>Ausgewählte Token erklären</translation>
    </message>
    <message>
        <source>Explain whole response</source>
        <translation>Ganze Antwort erklären</translation>
    </message>
    <message>
        <source>Both lists</source>
        <translation>Beide Listen</translation>
    </message>
    <message>
        <source>Helpful</source>
        <translation>Hilfreich</translation>
    </message>
    <message>
        <source>Opposing</source>
        <translation>Entgegenwirkend</translation>
    </message>
    <message>
        <source>Hides examples whose |score| is below this share of the largest one</source>
        <translation>Blendet Beispiele aus, deren |Wert| unter diesem Anteil des größten liegt</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>Text suchen</translation>
    </message>
    <message>
        <source>= value, e.g. true</source>
        <translation>= Wert, z. B. true</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>|score| ≥</source>
        <translation>|Wert| ≥</translation>
    </message>
    <message>
        <source>Click an example to read it with each token&apos;s share of its score.</source>
        <translation>Klicken Sie auf ein Beispiel, um es mit dem Anteil jedes Tokens an seinem Wert zu lesen.</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren …</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>JSON exportieren …</translation>
    </message>
    <message>
        <source>Writes the examples shown in the table, in its order</source>
        <translation>Schreibt die in der Tabelle gezeigten Beispiele in ihrer Reihenfolge</translation>
    </message>
    <message>
        <source>Mask file</source>
        <translation>Maskendatei</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors)</source>
        <translation>Maskendateien (*.safetensors)</translation>
    </message>
    <message>
        <source>Cache file</source>
        <translation>Cache-Datei</translation>
    </message>
    <message>
        <source>Gradient caches (*.db)</source>
        <translation>Gradienten-Caches (*.db)</translation>
    </message>
    <message>
        <source>Open gradient cache</source>
        <translation>Gradienten-Cache öffnen</translation>
    </message>
    <message>
        <source>Gradient caches (*.db);;All files (*)</source>
        <translation>Gradienten-Caches (*.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Building the demo datasets…</source>
        <translation>Die Demo-Datensätze werden erzeugt …</translation>
    </message>
    <message>
        <source>%1 — the model loaded on the Model page</source>
        <translation>%1 – das auf der Modellseite geladene Modell</translation>
    </message>
    <message>
        <source>Another model was loaded: open the cache again to use it with this one.</source>
        <translation>Ein anderes Modell wurde geladen: Öffnen Sie den Cache erneut, um ihn mit diesem zu verwenden.</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>Datensatzordner</translation>
    </message>
    <message>
        <source>Dataset file</source>
        <translation>Datensatzdatei</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv)</source>
        <translation>Datensätze (*.jsonl *.json *.csv *.tsv)</translation>
    </message>
    <message>
        <source>Type layer numbers from 0 to %1.</source>
        <translation>Geben Sie Schichtnummern von 0 bis %1 ein.</translation>
    </message>
    <message>
        <source>Every weight of the q, k, v, o, gate, up and down projections of layer(s) %1.</source>
        <translation>Jedes Gewicht der q-, k-, v-, o-, gate-, up- und down-Projektionen der Schicht(en) %1.</translation>
    </message>
    <message>
        <source>The weights this 4-bit model keeps exact: what sparse fine-tuning changes.</source>
        <translation>Die Gewichte, die dieses 4-Bit-Modell exakt behält: das, was dünnbesetzte Feinabstimmung ändert.</translation>
    </message>
    <message>
        <source>The mask&apos;s weights; the model is quantized to 4 bits in memory, as for fine-tuning.</source>
        <translation>Die Gewichte der Maske; das Modell wird im Speicher auf 4 Bit quantisiert, wie beim Anpassen.</translation>
    </message>
    <message>
        <source>A full-precision model has no S: choose a mask, or the weights of some layers.</source>
        <translation>Ein Modell in voller Genauigkeit hat kein S: Wählen Sie eine Maske oder die Gewichte einiger Schichten.</translation>
    </message>
    <message>
        <source>This 4-bit model has no S: choose the weights of some layers.</source>
        <translation>Dieses 4-Bit-Modell hat kein S: Wählen Sie die Gewichte einiger Schichten.</translation>
    </message>
    <message>
        <source>D = %1 gradient entries per example; %2 stored per example.</source>
        <translation>D = %1 Gradienteneinträge je Beispiel; %2 gespeichert je Beispiel.</translation>
    </message>
    <message>
        <source>Type a full path (starting with /), or use Choose….</source>
        <translation>Geben Sie einen vollständigen Pfad ein (beginnend mit /) oder verwenden Sie „Wählen…“.</translation>
    </message>
    <message>
        <source>Cannot be used: %1</source>
        <translation>Nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>%1 exists (%2). A cache of this model, dataset and settings there is continued or reused; you will be asked before anything else is replaced.</source>
        <translation>%1 existiert (%2). Ein Cache dieses Modells, Datensatzes und dieser Einstellungen wird fortgesetzt oder wiederverwendet; bevor etwas anderes ersetzt wird, werden Sie gefragt.</translation>
    </message>
    <message>
        <source>Creates %1, with the vectors in %2 beside it.</source>
        <translation>Legt %1 an, mit den Vektoren in %2 daneben.</translation>
    </message>
    <message>
        <source>Open a model on the Model page first.</source>
        <translation>Öffnen Sie zuerst auf der Modellseite ein Modell.</translation>
    </message>
    <message>
        <source>Choose a dataset.</source>
        <translation>Wählen Sie einen Datensatz.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <source>Type the layers whose weights to track, from 0 to %1 (e.g. %1).</source>
        <translation>Geben Sie die Schichten ein, deren Gewichte verfolgt werden, von 0 bis %1 (z. B. %1).</translation>
    </message>
    <message>
        <source>The sparse set S of a full-precision model comes from a mask: choose one (Prepare page), or track the weights of some layers.</source>
        <translation>Die dünnbesetzte Menge S eines Modells in voller Genauigkeit kommt aus einer Maske: Wählen Sie eine (Seite „Vorbereiten“) oder verfolgen Sie die Gewichte einiger Schichten.</translation>
    </message>
    <message>
        <source>The mask %1 does not exist.</source>
        <translation>Die Maske %1 existiert nicht.</translation>
    </message>
    <message>
        <source>This 4-bit model has no S: track the weights of some layers.</source>
        <translation>Dieses 4-Bit-Modell hat kein S: Verfolgen Sie die Gewichte einiger Schichten.</translation>
    </message>
    <message>
        <source>Choose a cache file.</source>
        <translation>Wählen Sie eine Cache-Datei.</translation>
    </message>
    <message>
        <source>Type a full path for the cache file (starting with /), or use Choose….</source>
        <translation>Geben Sie einen vollständigen Pfad für die Cache-Datei ein (beginnend mit /) oder verwenden Sie „Wählen…“.</translation>
    </message>
    <message>
        <source>The cache file cannot be used: %1</source>
        <translation>Die Cache-Datei ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>Build or open a cache first (1.).</source>
        <translation>Legen Sie zuerst einen Cache an oder öffnen Sie einen (1.).</translation>
    </message>
    <message>
        <source>Type a prompt.</source>
        <translation>Geben Sie eine Eingabe ein.</translation>
    </message>
    <message>
        <source>Type the response to explain, or let the model generate it.</source>
        <translation>Geben Sie die zu erklärende Antwort ein oder lassen Sie das Modell sie erzeugen.</translation>
    </message>
    <message>
        <source>Nothing was built: %1 is unchanged.</source>
        <translation>Nichts wurde angelegt: %1 ist unverändert.</translation>
    </message>
    <message>
        <source>Reading the dataset and preparing the model…</source>
        <translation>Der Datensatz wird gelesen und das Modell vorbereitet …</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Öffne %1 …</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message>
        <source>%1 examples/s</source>
        <translation>%1 Beispiele/s</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>noch etwa %1</translation>
    </message>
    <message>
        <source>They could not be read as examples; the cache holds the other %1.</source>
        <translation>Sie konnten nicht als Beispiele gelesen werden; der Cache enthält die übrigen %1.</translation>
    </message>
    <message>
        <source>The cache&apos;s examples use their prompts as written; so does yours.</source>
        <translation>Die Beispiele des Caches verwenden ihre Eingaben wie geschrieben; Ihre ebenso.</translation>
    </message>
    <message>
        <source>Any metadata</source>
        <translation>Beliebige Metadaten</translation>
    </message>
    <message>
        <source>No cache is open.</source>
        <translation>Kein Cache ist geöffnet.</translation>
    </message>
    <message>
        <source>all linear weights of layer(s) %1</source>
        <translation>allen linearen Gewichten der Schicht(en) %1</translation>
    </message>
    <message>
        <source>the sparse set S</source>
        <translation>der dünnbesetzten Menge S</translation>
    </message>
    <message>
        <source>compressed from D = %1 to K = %2</source>
        <translation>komprimiert von D = %1 auf K = %2</translation>
    </message>
    <message>
        <source>stored exactly (D = %1, not compressed)</source>
        <translation>exakt gespeichert (D = %1, nicht komprimiert)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 examples, %3 on disk. Gradients of %4, %5.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2 Beispiele, %3 auf der Festplatte. Gradienten von %4, %5.</translation>
    </message>
    <message>
        <source>Only %1 of them are cached.</source>
        <translation>Nur %1 davon sind im Cache.</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>Noch keine</translation>
    </message>
    <message>
        <source>After Explain: each response token&apos;s influence on each listed example.</source>
        <translation>Nach „Erklären“: der Einfluss jedes Antwort-Tokens auf jedes aufgelistete Beispiel.</translation>
    </message>
    <message>
        <source>All splits</source>
        <translation>Alle Teilmengen</translation>
    </message>
    <message>
        <source>Generating the response, then ranking the examples…</source>
        <translation>Die Antwort wird erzeugt, dann werden die Beispiele gereiht …</translation>
    </message>
    <message>
        <source>Ranking the examples…</source>
        <translation>Die Beispiele werden gereiht …</translation>
    </message>
    <message>
        <source>Ranking the examples for the saved query…</source>
        <translation>Die Beispiele werden für die gespeicherte Anfrage gereiht …</translation>
    </message>
    <message>
        <source>Ranked %1 examples in %2 s (%3 GB/s).</source>
        <translation>%1 Beispiele in %2 s gereiht (%3 GB/s).</translation>
    </message>
    <message>
        <source>helpful #%1</source>
        <translation>hilfreich Nr. %1</translation>
    </message>
    <message>
        <source>opposing #%1</source>
        <translation>entgegenwirkend Nr. %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Example %1&lt;/b&gt; %2 · %3:%4 · %5</source>
        <translation>&lt;b&gt;Beispiel %1&lt;/b&gt; %2 · %3:%4 · %5</translation>
    </message>
    <message>
        <source>Score %1 · Σ token scores %2</source>
        <translation>Wert %1 · Σ Token-Werte %2</translation>
    </message>
    <message>
        <source>Orange tokens push the score up, blue ones down; hover for the value.</source>
        <translation>Orange Token heben den Wert, blaue senken ihn; zeigen Sie darauf für den Wert.</translation>
    </message>
    <message>
        <source>response ▸</source>
        <translation>Antwort ▸</translation>
    </message>
    <message>
        <source>Stopped. The examples cached so far are kept; Build continues from there.</source>
        <translation>Angehalten. Die bisher zwischengespeicherten Beispiele bleiben erhalten; „Cache anlegen“ setzt dort fort.</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <source>Could not build the demo datasets</source>
        <translation>Die Demo-Datensätze konnten nicht erzeugt werden</translation>
    </message>
    <message>
        <source>Could not build the cache</source>
        <translation>Der Cache konnte nicht angelegt werden</translation>
    </message>
    <message>
        <source>Could not open the cache %1</source>
        <translation>Der Cache %1 konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Could not explain the generation</source>
        <translation>Die Generierung konnte nicht erklärt werden</translation>
    </message>
    <message>
        <source>Could not read the example</source>
        <translation>Das Beispiel konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not show the saved query</source>
        <translation>Die gespeicherte Anfrage konnte nicht gezeigt werden</translation>
    </message>
    <message>
        <source>Showing %1 of %2 listed examples (the most helpful and opposing of %3).</source>
        <translation>%1 von %2 aufgelisteten Beispielen werden gezeigt (die hilfreichsten und am stärksten entgegenwirkenden von %3).</translation>
    </message>
    <message>
        <source>Explained: tokens %1–%2 of %3.</source>
        <translation>Erklärt: Token %1–%2 von %3.</translation>
    </message>
    <message>
        <source>Selected: tokens %1–%2.</source>
        <translation>Ausgewählt: Token %1–%2.</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Export ranking as JSON</source>
        <translation>Rangliste als JSON exportieren</translation>
    </message>
    <message>
        <source>Export ranking as CSV</source>
        <translation>Rangliste als CSV exportieren</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Use the existing file?</source>
        <translation>Die vorhandene Datei verwenden?</translation>
    </message>
    <message>
        <source>Continue or replace</source>
        <translation>Fortsetzen oder ersetzen</translation>
    </message>
    <message>
        <source>Stops the job; a cache keeps the examples done so far, and Build continues it</source>
        <translation>Hält die Arbeit an; ein Cache behält die bisher fertigen Beispiele, und „Cache anlegen“ setzt ihn fort</translation>
    </message>
    <message numerus="yes">
        <source>All %Ln example(s) were cached already.</source>
        <translation>
            <numerusform>Das %Ln Beispiel war bereits im Cache.</numerusform>
            <numerusform>Alle %Ln Beispiele waren bereits im Cache.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cached %Ln example(s) in %1.</source>
        <translation>
            <numerusform>%Ln Beispiel in %1 zwischengespeichert.</numerusform>
            <numerusform>%Ln Beispiele in %1 zwischengespeichert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cached %Ln more example(s) in %1; %2 were cached already.</source>
        <translation>
            <numerusform>%Ln weiteres Beispiel in %1 zwischengespeichert; %2 waren bereits im Cache.</numerusform>
            <numerusform>%Ln weitere Beispiele in %1 zwischengespeichert; %2 waren bereits im Cache.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) of the dataset were skipped</source>
        <translation>
            <numerusform>%Ln Zeile des Datensatzes wurde übersprungen</numerusform>
            <numerusform>%Ln Zeilen des Datensatzes wurden übersprungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Your prompt fills %1 of the examples&apos; prompt template (hover to see it), unless Raw is ticked.</source>
        <translation>Ihre Eingabe füllt %1 der Eingabevorlage der Beispiele (zeigen Sie darauf, um sie zu sehen), außer „Rohe Eingabe“ ist angekreuzt.</translation>
    </message>
    <message>
        <source>the place</source>
        <translation>die Stelle</translation>
    </message>
    <message numerus="yes">
        <source>Explained: the whole response (%Ln token(s)).</source>
        <translation>
            <numerusform>Erklärt: die ganze Antwort (%Ln Token).</numerusform>
            <numerusform>Erklärt: die ganze Antwort (%Ln Token).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrote %Ln example(s) to %1.</source>
        <translation>
            <numerusform>%Ln Beispiel nach %1 geschrieben.</numerusform>
            <numerusform>%Ln Beispiele nach %1 geschrieben.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>zl::ui::FinetunePage</name>
    <message>
        <source>The run&apos;s configuration names no model or dataset.</source>
        <translation>Die Konfiguration des Laufs nennt kein Modell und keinen Datensatz.</translation>
    </message>
    <message>
        <source>Replace existing files?</source>
        <translation>Vorhandene Dateien ersetzen?</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 already exists.&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 existiert bereits.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>It holds %1.

Start a new run there? Files of an earlier run in it are replaced.</source>
        <translation>Er enthält %1.

Dort einen neuen Lauf beginnen? Dateien eines früheren Laufs darin werden ersetzt.</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>1. Model and data</source>
        <translation>1. Modell und Daten</translation>
    </message>
    <message>
        <source>A model folder</source>
        <translation>Ein Modellordner</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Optional: a mask file (Prepare page)</source>
        <translation>Optional: eine Maskendatei (Seite „Vorbereiten“)</translation>
    </message>
    <message>
        <source>A dataset folder (task.json + train/dev/test) or a JSONL/CSV/TSV file</source>
        <translation>Ein Datensatzordner (task.json + train/dev/test) oder eine JSONL-/CSV-/TSV-Datei</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Ordner …</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>Datei …</translation>
    </message>
    <message>
        <source>Build demo data</source>
        <translation>Demo-Daten erzeugen</translation>
    </message>
    <message>
        <source>Builds the demo datasets (a WordNet classification task among them)</source>
        <translation>Erzeugt die Demo-Datensätze (darunter eine Klassifikationsaufgabe aus WordNet)</translation>
    </message>
    <message>
        <source>e.g. {sentence} It was</source>
        <translation>z. B. {sentence} It was</translation>
    </message>
    <message>
        <source>The prompt the model reads; {field} is replaced by that field of each row</source>
        <translation>Die Eingabe, die das Modell liest; {field} wird durch dieses Feld jeder Zeile ersetzt</translation>
    </message>
    <message>
        <source>e.g. positive, negative</source>
        <translation>z. B. positive, negative</translation>
    </message>
    <message>
        <source>The label names as they appear in the label field, separated by commas</source>
        <translation>Die Kategorienamen, wie sie im Kategoriefeld stehen, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>e.g. great, terrible</source>
        <translation>z. B. great, terrible</translation>
    </message>
    <message>
        <source>One word per label, separated by commas; each follows the prompt after a space</source>
        <translation>Ein Wort pro Kategorie, durch Kommas getrennt; jedes folgt der Eingabe nach einem Leerzeichen</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Mask:</source>
        <translation>Maske:</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Datensatz:</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>Aufgabe:</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Eingabe:</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>Kategorien:</translation>
    </message>
    <message>
        <source>Label words:</source>
        <translation>Kategoriewörter:</translation>
    </message>
    <message>
        <source>2. Method</source>
        <translation>2. Verfahren</translation>
    </message>
    <message>
        <source>Sparse ZO on 4 bits (SensZOQ)</source>
        <translation>Dünnbesetztes ZO auf 4 Bit (SensZOQ)</translation>
    </message>
    <message>
        <source>Dense ZO, every weight (MeZO)</source>
        <translation>Dichtes ZO, alle Gewichte (MeZO)</translation>
    </message>
    <message>
        <source>First order on S (AdamW)</source>
        <translation>Erster Ordnung auf S (AdamW)</translation>
    </message>
    <message>
        <source>Zero-shot evaluation only</source>
        <translation>Nur Zero-Shot-Bewertung</translation>
    </message>
    <message>
        <source>Use preset</source>
        <translation>Voreinstellung verwenden</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>Konstant</translation>
    </message>
    <message>
        <source>Linear decay</source>
        <translation>Linear abnehmend</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Scale of the random perturbation of each zeroth-order step</source>
        <translation>Größe der zufälligen Störung jedes Schritts nullter Ordnung</translation>
    </message>
    <message>
        <source>Estimates averaged per step; each costs two forward passes</source>
        <translation>Schätzungen, die pro Schritt gemittelt werden; jede kostet zwei Vorwärtsdurchläufe</translation>
    </message>
    <message>
        <source>Steps between evaluations on the dev split; a checkpoint is saved with each</source>
        <translation>Schritte zwischen den Bewertungen auf dem Dev-Teil; bei jeder wird ein Prüfpunkt gespeichert</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>Verfahren:</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Schritte:</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>Batchgröße:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Lernrate:</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>Verlauf:</translation>
    </message>
    <message>
        <source>ε (perturbation):</source>
        <translation>ε (Störung):</translation>
    </message>
    <message>
        <source>Perturbations:</source>
        <translation>Störungen:</translation>
    </message>
    <message>
        <source>Weight decay:</source>
        <translation>Gewichtsabnahme:</translation>
    </message>
    <message>
        <source>Evaluate every:</source>
        <translation>Bewerten alle:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Startwert:</translation>
    </message>
    <message>
        <source>3. Run</source>
        <translation>3. Lauf</translation>
    </message>
    <message>
        <source>A new folder for checkpoints and the tuned model</source>
        <translation>Ein neuer Ordner für Prüfpunkte und das angepasste Modell</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Stops at the next step with a checkpoint; Resume continues from there</source>
        <translation>Hält beim nächsten Schritt mit einem Prüfpunkt an; „Fortsetzen“ macht dort weiter</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Ends the run at the next step with a checkpoint; it stays resumable from the Runs page</source>
        <translation>Beendet den Lauf beim nächsten Schritt mit einem Prüfpunkt; er lässt sich auf der Seite „Läufe“ fortsetzen</translation>
    </message>
    <message>
        <source>Open tuned model</source>
        <translation>Angepasstes Modell öffnen</translation>
    </message>
    <message>
        <source>Run folder:</source>
        <translation>Laufordner:</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Dev set</source>
        <translation>Dev-Teil</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>Genauigkeit (%)</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Time per step</source>
        <translation>Zeit pro Schritt</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>Mask file</source>
        <translation>Maskendatei</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors)</source>
        <translation>Maskendateien (*.safetensors)</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>Laufordner</translation>
    </message>
    <message>
        <source>New folder name:</source>
        <translation>Name des neuen Ordners:</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>Wählen</translation>
    </message>
    <message>
        <source>Building the demo datasets…</source>
        <translation>Die Demo-Datensätze werden erzeugt …</translation>
    </message>
    <message>
        <source>Could not build the demo datasets</source>
        <translation>Die Demo-Datensätze konnten nicht erzeugt werden</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>Datensatzordner</translation>
    </message>
    <message>
        <source>Dataset file</source>
        <translation>Datensatzdatei</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv)</source>
        <translation>Datensätze (*.jsonl *.json *.csv *.tsv)</translation>
    </message>
    <message>
        <source>Choose a model folder.</source>
        <translation>Wählen Sie einen Modellordner.</translation>
    </message>
    <message>
        <source>A full-precision model. Sparse ZO and first order need a mask: it is quantized to 4 bits in memory, keeping the mask&apos;s weights as S.</source>
        <translation>Ein Modell in voller Genauigkeit. Dünnbesetztes ZO und erste Ordnung brauchen eine Maske: Das Modell wird im Speicher auf 4 Bit quantisiert, die Gewichte der Maske bleiben als S erhalten.</translation>
    </message>
    <message>
        <source>A full-precision model, quantized to 4 bits in memory with the mask&apos;s weights kept as S.</source>
        <translation>Ein Modell in voller Genauigkeit, im Speicher auf 4 Bit quantisiert; die Gewichte der Maske bleiben als S erhalten.</translation>
    </message>
    <message>
        <source>A 4-bit model (%1) with its sparse set S: what sparse ZO tunes.</source>
        <translation>Ein 4-Bit-Modell (%1) mit seiner dünnbesetzten Menge S, die dünnbesetztes ZO anpasst.</translation>
    </message>
    <message>
        <source>A 4-bit model (%1) without S: only zero-shot evaluation.</source>
        <translation>Ein 4-Bit-Modell (%1) ohne S: nur Zero-Shot-Bewertung.</translation>
    </message>
    <message>
        <source>Evaluates the model on the dev and test splits; nothing is trained.</source>
        <translation>Bewertet das Modell auf dem Dev- und Testteil; nichts wird trainiert.</translation>
    </message>
    <message>
        <source>Preset: learning rate %1, ε %2</source>
        <translation>Voreinstellung: Lernrate %1, ε %2</translation>
    </message>
    <message>
        <source>Preset: learning rate %1 (AdamW)</source>
        <translation>Voreinstellung: Lernrate %1 (AdamW)</translation>
    </message>
    <message>
        <source>Choose a run folder.</source>
        <translation>Wählen Sie einen Laufordner.</translation>
    </message>
    <message>
        <source>Type a full path (starting with /), or use Choose….</source>
        <translation>Geben Sie einen vollständigen Pfad ein (beginnend mit /) oder verwenden Sie „Wählen…“.</translation>
    </message>
    <message>
        <source>Cannot be used: %1</source>
        <translation>Nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>%1 exists (%2); you will be asked before a new run replaces it.</source>
        <translation>%1 existiert (%2); Sie werden gefragt, bevor ein neuer Lauf ihn ersetzt.</translation>
    </message>
    <message>
        <source>Writes into the empty folder %1.</source>
        <translation>Schreibt in den leeren Ordner %1.</translation>
    </message>
    <message>
        <source>Creates the folder %1.</source>
        <translation>Legt den Ordner %1 an.</translation>
    </message>
    <message>
        <source>Choose a dataset.</source>
        <translation>Wählen Sie einen Datensatz.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen …</translation>
    </message>
    <message numerus="yes">
        <source>Classification into %n label(s)</source>
        <translation>
            <numerusform>Klassifikation in %n Kategorie</numerusform>
            <numerusform>Klassifikation in %n Kategorien</numerusform>
        </translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>Generierung</translation>
    </message>
    <message>
        <source>%1%2: %3 train, %4 dev, %5 test examples</source>
        <translation>%1%2: %3 Trainings-, %4 Dev-, %5 Testbeispiele</translation>
    </message>
    <message>
        <source> (from task.json)</source>
        <translation> (aus task.json)</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) skipped</source>
        <translation>
            <numerusform>%n Zeile übersprungen</numerusform>
            <numerusform>%n Zeilen übersprungen</numerusform>
        </translation>
    </message>
    <message>
        <source>The mask %1 does not exist.</source>
        <translation>Die Maske %1 existiert nicht.</translation>
    </message>
    <message>
        <source>Sparse training needs the set S: choose a mask (Prepare page), or a 4-bit model with S.</source>
        <translation>Dünnbesetztes Training braucht die Menge S: Wählen Sie eine Maske (Seite „Vorbereiten“) oder ein 4-Bit-Modell mit S.</translation>
    </message>
    <message>
        <source>This 4-bit model has no S to train; quantize it with a mask on the Prepare page.</source>
        <translation>Dieses 4-Bit-Modell hat kein S zum Trainieren; quantisieren Sie es auf der Seite „Vorbereiten“ mit einer Maske.</translation>
    </message>
    <message>
        <source>Dense ZO changes every weight of a full-precision model; choose the original model.</source>
        <translation>Dichtes ZO ändert jedes Gewicht eines Modells in voller Genauigkeit; wählen Sie das ursprüngliche Modell.</translation>
    </message>
    <message>
        <source>Reading the dataset…</source>
        <translation>Der Datensatz wird gelesen …</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>geglättet</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>Genauigkeit (%)</translation>
    </message>
    <message>
        <source>loss (right axis)</source>
        <translation>Verlust (rechte Achse)</translation>
    </message>
    <message>
        <source>resident</source>
        <translation>belegt</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>Spitze</translation>
    </message>
    <message>
        <source>seconds per step</source>
        <translation>Sekunden pro Schritt</translation>
    </message>
    <message>
        <source>The run cannot be saved in %1</source>
        <translation>Der Lauf kann nicht in %1 gespeichert werden</translation>
    </message>
    <message>
        <source>Nothing was started: %1 is unchanged.</source>
        <translation>Nichts wurde gestartet: %1 ist unverändert.</translation>
    </message>
    <message>
        <source>Resuming in %1…</source>
        <translation>Wird in %1 fortgesetzt …</translation>
    </message>
    <message>
        <source>Starting in %1…</source>
        <translation>Wird in %1 gestartet …</translation>
    </message>
    <message>
        <source>Pausing after this step (saving a checkpoint)…</source>
        <translation>Pause nach diesem Schritt (Prüfpunkt wird gespeichert) …</translation>
    </message>
    <message>
        <source>Stopped at step %1. The run can be resumed from the Runs page.</source>
        <translation>Bei Schritt %1 angehalten. Der Lauf lässt sich auf der Seite „Läufe“ fortsetzen.</translation>
    </message>
    <message>
        <source>Stopping after this step (saving a checkpoint)…</source>
        <translation>Halt nach diesem Schritt (Prüfpunkt wird gespeichert) …</translation>
    </message>
    <message>
        <source>A run is in progress</source>
        <translation>Ein Lauf ist im Gange</translation>
    </message>
    <message>
        <source>Stop it before resuming another one.</source>
        <translation>Halten Sie ihn an, bevor Sie einen anderen fortsetzen.</translation>
    </message>
    <message>
        <source>Could not resume the run in %1</source>
        <translation>Der Lauf in %1 konnte nicht fortgesetzt werden</translation>
    </message>
    <message>
        <source>Resumes the run in %1.</source>
        <translation>Setzt den Lauf in %1 fort.</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) of the dataset were skipped</source>
        <translation>
            <numerusform>%n Zeile des Datensatzes wurde übersprungen</numerusform>
            <numerusform>%n Zeilen des Datensatzes wurden übersprungen</numerusform>
        </translation>
    </message>
    <message>
        <source>They could not be read as examples; the run uses the other %1.</source>
        <translation>Sie ließen sich nicht als Beispiele lesen; der Lauf verwendet die übrigen %1.</translation>
    </message>
    <message>
        <source>The run needs attention</source>
        <translation>Der Lauf braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 vergangen</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>noch etwa %1</translation>
    </message>
    <message>
        <source>dev accuracy %1 at step %2</source>
        <translation>Dev-Genauigkeit %1 bei Schritt %2</translation>
    </message>
    <message>
        <source>pausing…</source>
        <translation>wird pausiert …</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>wird angehalten …</translation>
    </message>
    <message>
        <source>Stopped early (the dev score stopped improving)</source>
        <translation>Vorzeitig beendet (der Dev-Wert verbesserte sich nicht mehr)</translation>
    </message>
    <message>
        <source>The loss diverged; the last good checkpoint is kept</source>
        <translation>Der Verlust divergierte; der letzte gute Prüfpunkt bleibt erhalten</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>%1 after %2 steps in %3, %4 per step.</source>
        <translation>%1 nach %2 Schritten in %3, %4 pro Schritt.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Before tuning: dev accuracy %1.</source>
        <translation>Vor dem Anpassen: Dev-Genauigkeit %1.</translation>
    </message>
    <message>
        <source>Tuned (best step %1): dev accuracy %2, test accuracy %3.</source>
        <translation>Angepasst (bester Schritt %1): Dev-Genauigkeit %2, Testgenauigkeit %3.</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>nicht ausgeführt</translation>
    </message>
    <message>
        <source>Dev loss %1, test loss %2.</source>
        <translation>Dev-Verlust %1, Testverlust %2.</translation>
    </message>
    <message>
        <source>Peak memory %1.</source>
        <translation>Speicherspitze %1.</translation>
    </message>
    <message>
        <source>The tuned model is in %1.</source>
        <translation>Das angepasste Modell liegt in %1.</translation>
    </message>
    <message>
        <source>Checkpoints are in %1.</source>
        <translation>Die Prüfpunkte liegen in %1.</translation>
    </message>
    <message>
        <source>Paused at step %1 with a checkpoint. Resume continues from there.</source>
        <translation>Bei Schritt %1 mit einem Prüfpunkt pausiert. „Fortsetzen“ macht dort weiter.</translation>
    </message>
    <message>
        <source>Stopped at step %1 with a checkpoint. The run can be resumed from the Runs page.</source>
        <translation>Bei Schritt %1 mit einem Prüfpunkt angehalten. Der Lauf lässt sich auf der Seite „Läufe“ fortsetzen.</translation>
    </message>
    <message>
        <source>The run in %1 stopped with an error</source>
        <translation>Der Lauf in %1 wurde mit einem Fehler beendet</translation>
    </message>
    <message>
        <source>Loading the model and evaluating it before the first step…</source>
        <translation>Das Modell wird geladen und vor dem ersten Schritt bewertet …</translation>
    </message>
    <message>
        <source>inference: %1</source>
        <translation>Inferenz: %1</translation>
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
    <message>
        <source>Fixed seed:</source>
        <translation>Fester Startwert:</translation>
    </message>
    <message>
        <source>Off: every press samples a new text. On: the same seed and settings give the same text</source>
        <translation>Aus: jeder Klick erzeugt einen neuen Text. An: gleicher Startwert und gleiche Einstellungen ergeben denselben Text</translation>
    </message>
    <message>
        <source>%1 tokens, %2 tokens/s (%3), seed %4</source>
        <translation>%1 Token, %2 Token/s (%3), Startwert %4</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>Die Generierung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>At most %1: the model&apos;s context holds %2 tokens, prompt included</source>
        <translation>Höchstens %1: der Kontext des Modells fasst %2 Token, die Eingabe eingeschlossen</translation>
    </message>
    <message>
        <source>Explain this generation</source>
        <translation>Diese Generierung erklären</translation>
    </message>
    <message>
        <source>Find the training examples behind this text on the Explain page</source>
        <translation>Die Trainingsbeispiele hinter diesem Text auf der Seite „Erklären“ finden</translation>
    </message>
    <message>
        <source>The model ended the text at once</source>
        <translation>Das Modell hat den Text sofort beendet</translation>
    </message>
    <message>
        <source>It continues text rather than answering it: give it the beginning of what it should write. The Explain page wraps a prompt in its dataset&apos;s template, as instructions are written in training.</source>
        <translation>Es setzt Text fort, statt ihn zu beantworten: Geben Sie ihm den Anfang dessen, was es schreiben soll. Die Seite „Erklären“ bettet einen Prompt in die Vorlage ihres Datensatzes ein, so wie Anweisungen im Training geschrieben sind.</translation>
    </message>
</context>
<context>
    <name>zl::ui::InfluenceHeatmap</name>
    <message>
        <source>Influence of each response token</source>
        <translation>Einfluss jedes Antwort-Tokens</translation>
    </message>
    <message>
        <source>Response tokens</source>
        <translation>Antwort-Token</translation>
    </message>
    <message>
        <source>No token-wise scores for this query.</source>
        <translation>Keine Werte je Token für diese Anfrage.</translation>
    </message>
    <message>
        <source>helpful #%1</source>
        <translation>hilfreich Nr. %1</translation>
    </message>
    <message>
        <source>opposing #%1</source>
        <translation>entgegenwirkend Nr. %1</translation>
    </message>
    <message>
        <source>Token «%1», example %2 (%3)
influence %4</source>
        <translation>Token «%1», Beispiel %2 (%3)
Einfluss %4</translation>
    </message>
    <message>
        <source>influence</source>
        <translation>Einfluss</translation>
    </message>
    <message>
        <source>Examples: + helpful, − opposing ranks</source>
        <translation>Beispiele: + hilfreiche, − entgegenwirkende Ränge</translation>
    </message>
    <message>
        <source>Orange: the example helps the token (training on it makes the token likelier); blue: it opposes it. Hover over a cell for its value; click it to read the example.</source>
        <translation>Orange: Das Beispiel hilft dem Token (Training darauf macht das Token wahrscheinlicher); blau: Es wirkt ihm entgegen. Zeigen Sie auf eine Zelle für ihren Wert; klicken Sie, um das Beispiel zu lesen.</translation>
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
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>Compute &amp;threads…</source>
        <translation>Rechen&amp;threads…</translation>
    </message>
    <message>
        <source>Compute threads</source>
        <translation>Rechenthreads</translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation>Modellordner ö&amp;ffnen…</translation>
    </message>
    <message numerus="yes">
        <source>Threads for model work (0 = all %n physical core(s) of this machine).
While other programs keep the processor busy, fewer threads can be much faster.</source>
        <translation>
            <numerusform>Threads für die Modellarbeit (0 = der %n physische Kern dieses Rechners).
Wenn andere Programme den Prozessor auslasten, können weniger Threads deutlich schneller sein.</numerusform>
            <numerusform>Threads für die Modellarbeit (0 = alle %n physischen Kerne dieses Rechners).
Wenn andere Programme den Prozessor auslasten, können weniger Threads deutlich schneller sein.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Compute threads: all %n physical core(s)</source>
        <translation>
            <numerusform>Rechenthreads: der %n physische Kern</numerusform>
            <numerusform>Rechenthreads: alle %n physischen Kerne</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Compute threads: %n</source>
        <translation>
            <numerusform>Rechenthreads: %n</numerusform>
            <numerusform>Rechenthreads: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>Anpassen</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>Erklären</translation>
    </message>
</context>
<context>
    <name>zl::ui::MessageBanner</name>
    <message>
        <source>ZeroLens met a problem it did not expect. The details below help to report it.</source>
        <translation>ZeroLens ist auf ein unerwartetes Problem gestoßen. Die Details unten helfen, es zu melden.</translation>
    </message>
    <message>
        <source>A file could not be read.</source>
        <translation>Eine Datei konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>Diese Meldung schließen</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>%1 is not valid JSON.</source>
        <translation>%1 ist kein gültiges JSON.</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (line %2, column %3).</source>
        <translation>%1 ist kein gültiges JSON (Zeile %2, Spalte %3).</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Details ausblenden</translation>
    </message>
</context>
<context>
    <name>zl::ui::MetricChart</name>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Logarithmische Skala</translation>
    </message>
    <message>
        <source>ZeroLens chart</source>
        <translation>ZeroLens-Diagramm</translation>
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
        <source>The demo model is not installed</source>
        <translation>Das Demo-Modell ist nicht installiert</translation>
    </message>
    <message>
        <source>Demo datasets built in %1.</source>
        <translation>Demo-Datensätze in %1 erstellt.</translation>
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
    <message>
        <source>Shows the datasets; builds them from WordNet on first use (a second)</source>
        <translation>Zeigt die Datensätze; beim ersten Mal werden sie aus WordNet erzeugt (eine Sekunde)</translation>
    </message>
    <message>
        <source>Could not open the model in %1</source>
        <translation>Das Modell in %1 konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Could not build the demo datasets</source>
        <translation>Die Demo-Datensätze konnten nicht erzeugt werden</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;, quantized</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;, quantisiert</translation>
    </message>
    <message>
        <source>%1 on %2: %3 4-bit dense, %4 sparse S (%5 exact entries)</source>
        <translation>%1 auf %2: %3 dicht in 4 Bit, %4 dünnbesetztes S (%5 exakte Einträge)</translation>
    </message>
    <message>
        <source>, %1 8-bit embeddings and output layer</source>
        <translation>, %1 8-Bit-Einbettungen und Ausgabeschicht</translation>
    </message>
    <message>
        <source>%1%2, %3 other (%4)</source>
        <translation>%1%2, %3 Sonstiges (%4)</translation>
    </message>
    <message>
        <source>%1 on %2: %3 4-bit dense</source>
        <translation>%1 auf %2: %3 dicht in 4 Bit</translation>
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
        <source>Keep the mask&apos;s weights in full precision</source>
        <translation>Maskengewichte in voller Genauigkeit behalten</translation>
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
        <source>Mask files (*.safetensors)</source>
        <translation>Maskendateien (*.safetensors)</translation>
    </message>
    <message>
        <source>This model is already quantized (%1); open the original model to prepare it.</source>
        <translation>Dieses Modell ist bereits quantisiert (%1); öffnen Sie das Originalmodell, um es vorzubereiten.</translation>
    </message>
    <message>
        <source>%1 → %2: %3 in 4-bit weights, %4 in %5 full-precision entries, %6 other. Weight error (RMS): %7.</source>
        <translation>%1 → %2: %3 in 4-Bit-Gewichten, %4 in %5 Einträgen voller Genauigkeit, %6 Sonstiges. Gewichtsfehler (RMS): %7.</translation>
    </message>
    <message>
        <source>Where the mask file goes</source>
        <translation>Wohin die Maskendatei kommt</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Compute mask</source>
        <translation>Maske berechnen</translation>
    </message>
    <message>
        <source>Load mask…</source>
        <translation>Maske laden…</translation>
    </message>
    <message>
        <source>Use a mask computed earlier for this model</source>
        <translation>Eine früher für dieses Modell berechnete Maske verwenden</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>Speichern in:</translation>
    </message>
    <message>
        <source>A new folder for the quantized model</source>
        <translation>Ein neuer Ordner für das quantisierte Modell</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>Quantisieren</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>Textdateien (*.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Load mask</source>
        <translation>Maske laden</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors);;All files (*)</source>
        <translation>Maskendateien (*.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Mask saved to %1: %2 of %3 weights (%4 %), in %5.</source>
        <translation>Maske in %1 gespeichert: %2 von %3 Gewichten (%4 %), in %5.</translation>
    </message>
    <message>
        <source>Mask %1: %2 of %3 weights (%4 %).</source>
        <translation>Maske %1: %2 von %3 Gewichten (%4 %).</translation>
    </message>
    <message>
        <source>The mask was not computed</source>
        <translation>Die Maske wurde nicht berechnet</translation>
    </message>
    <message>
        <source>The model was not quantized</source>
        <translation>Das Modell wurde nicht quantisiert</translation>
    </message>
    <message>
        <source>The mask was not loaded</source>
        <translation>Die Maske wurde nicht geladen</translation>
    </message>
    <message>
        <source>The mask used last time with this model was not loaded</source>
        <translation>Die zuletzt mit diesem Modell verwendete Maske wurde nicht geladen</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>Abgebrochen; es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>Build the demo datasets first (Model page, &quot;Demo datasets…&quot;), or choose a text file</source>
        <translation>Erzeugen Sie zuerst die Demo-Datensätze (Seite Modell, „Demo-Datensätze…“) oder wählen Sie eine Textdatei</translation>
    </message>
    <message>
        <source>Loading the mask used last time: %1…</source>
        <translation>Die zuletzt verwendete Maske wird geladen: %1…</translation>
    </message>
    <message>
        <source>Save mask as</source>
        <translation>Maske speichern unter</translation>
    </message>
    <message>
        <source>Save quantized model as</source>
        <translation>Quantisiertes Modell speichern unter</translation>
    </message>
    <message>
        <source>New folder name:</source>
        <translation>Name des neuen Ordners:</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>Wählen</translation>
    </message>
    <message>
        <source>Where should %1 go?</source>
        <translation>Wohin soll %1?</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a full path. Use Choose…, or type a path that starts with /.</source>
        <translation>„%1“ ist kein vollständiger Pfad. Verwenden Sie „Wählen…“ oder geben Sie einen Pfad ein, der mit / beginnt.</translation>
    </message>
    <message>
        <source>%1 cannot be saved in %2</source>
        <translation>%1 kann nicht in %2 gespeichert werden</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>Es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>Nothing was written: %1 is unchanged.</source>
        <translation>Es wurde nichts geschrieben: %1 ist unverändert.</translation>
    </message>
    <message>
        <source>Replace existing files?</source>
        <translation>Vorhandene Dateien ersetzen?</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 already exists.&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 existiert bereits.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>It holds %1.

Replace it with %2? The old content is removed once the new one is complete; until then it stays as it is.</source>
        <translation>Es enthält %1.

Durch %2 ersetzen? Der alte Inhalt wird entfernt, sobald der neue vollständig ist; bis dahin bleibt er unverändert.</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Öffnen Sie zuerst ein Modell.</translation>
    </message>
    <message>
        <source>This model is already quantized; open the original model.</source>
        <translation>Dieses Modell ist bereits quantisiert; öffnen Sie das Originalmodell.</translation>
    </message>
    <message>
        <source>Choose a text file for the squared gradients.</source>
        <translation>Wählen Sie eine Textdatei für die quadrierten Gradienten.</translation>
    </message>
    <message>
        <source>The corpus %1 does not exist.</source>
        <translation>Der Korpus %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The corpus %1 is not a file.</source>
        <translation>Der Korpus %1 ist keine Datei.</translation>
    </message>
    <message>
        <source>The corpus %1 cannot be read.</source>
        <translation>Der Korpus %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>The mask %1 no longer exists; compute or load it again.</source>
        <translation>Die Maske %1 existiert nicht mehr; berechnen oder laden Sie sie erneut.</translation>
    </message>
    <message>
        <source>the mask</source>
        <translation>die Maske</translation>
    </message>
    <message>
        <source>Computing the mask into %1…</source>
        <translation>Die Maske wird berechnet, Ziel: %1…</translation>
    </message>
    <message>
        <source>the quantized model</source>
        <translation>das quantisierte Modell</translation>
    </message>
    <message>
        <source>Quantizing into %1…</source>
        <translation>Quantisierung nach %1…</translation>
    </message>
    <message>
        <source>Loading the mask %1…</source>
        <translation>Die Maske %1 wird geladen…</translation>
    </message>
    <message>
        <source>Starting… %1 elapsed</source>
        <translation>Start… %1 vergangen</translation>
    </message>
    <message>
        <source>Step %1 of %2: %3, %4 of %5</source>
        <translation>Schritt %1 von %2: %3, %4 von %5</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 vergangen</translation>
    </message>
    <message>
        <source>about %1 left in this step</source>
        <translation>noch etwa %1 in diesem Schritt</translation>
    </message>
    <message>
        <source>Quantized model written to %1 in %2.</source>
        <translation>Quantisiertes Modell in %2 nach %1 geschrieben.</translation>
    </message>
    <message>
        <source>Type a full path (starting with /), or use Choose….</source>
        <translation>Geben Sie einen vollständigen Pfad ein (beginnend mit /) oder verwenden Sie „Wählen…“.</translation>
    </message>
    <message>
        <source>Cannot be used: %1</source>
        <translation>Nicht verwendbar: %1</translation>
    </message>
    <message>
        <source>%1 exists (%2); you will be asked before it is replaced.</source>
        <translation>%1 existiert (%2); Sie werden gefragt, bevor es ersetzt wird.</translation>
    </message>
    <message>
        <source>Writes into the empty folder %1.</source>
        <translation>Schreibt in den leeren Ordner %1.</translation>
    </message>
    <message>
        <source>Creates the folder %1.</source>
        <translation>Legt den Ordner %1 an.</translation>
    </message>
    <message>
        <source>Creates the file %1.</source>
        <translation>Legt die Datei %1 an.</translation>
    </message>
    <message>
        <source>Mask: %1</source>
        <translation>Maske: %1</translation>
    </message>
    <message>
        <source>Mask so far, after %1 of %2 sequences.</source>
        <translation>Maske bisher, nach %1 von %2 Sequenzen.</translation>
    </message>
    <message>
        <source>Full precision, as stored</source>
        <translation>Volle Genauigkeit, wie gespeichert</translation>
    </message>
    <message>
        <source>8-bit (smaller, faster decoding)</source>
        <translation>8 Bit (kleiner, schnelleres Generieren)</translation>
    </message>
    <message>
        <source>The token embeddings and the output layer. With a large vocabulary they are most of a 4-bit model&apos;s bytes, and the output layer is read for every generated token; 8 bits keep a quarter of float32&apos;s size.</source>
        <translation>Die Token-Einbettungen und die Ausgabeschicht. Bei großem Vokabular machen sie den Großteil eines 4-Bit-Modells aus, und die Ausgabeschicht wird für jedes erzeugte Token gelesen; 8 Bit brauchen ein Viertel des Platzes von float32.</translation>
    </message>
    <message>
        <source>Embeddings:</source>
        <translation>Einbettungen:</translation>
    </message>
    <message>
        <source>Embeddings and output layer: %1 in 8 bits, error (RMS) %2.</source>
        <translation>Einbettungen und Ausgabeschicht: %1 in 8 Bit, Fehler (RMS) %2.</translation>
    </message>
    <message>
        <source>%1 → %2: %3 in 4-bit weights, %4 other. Weight error (RMS): %5.</source>
        <translation>%1 → %2: %3 in 4-Bit-Gewichten, %4 Sonstiges. Gewichtsfehler (RMS): %5.</translation>
    </message>
</context>
<context>
    <name>zl::ui::RankingModel</name>
    <message>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Teilmenge</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>helpful #%1</source>
        <translation>hilfreich Nr. %1</translation>
    </message>
    <message>
        <source>opposing #%1</source>
        <translation>entgegenwirkend Nr. %1</translation>
    </message>
    <message>
        <source>Example: prompt → response</source>
        <translation>Beispiel: Eingabe → Antwort</translation>
    </message>
</context>
<context>
    <name>zl::ui::RunStore</name>
    <message>
        <source>Could not read the run database %1</source>
        <translation>Die Laufdatenbank %1 konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the metrics</source>
        <translation>Die Messwerte konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not delete the run from the database</source>
        <translation>Der Lauf konnte nicht aus der Datenbank gelöscht werden</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>zl::ui::RunsPage</name>
    <message>
        <source>Training loss (smoothed)</source>
        <translation>Trainingsverlust (geglättet)</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>Dev accuracy (%)</source>
        <translation>Dev-Genauigkeit (%)</translation>
    </message>
    <message>
        <source>Dev loss</source>
        <translation>Dev-Verlust</translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation>Speicher (MiB)</translation>
    </message>
    <message>
        <source>Peak memory (MiB)</source>
        <translation>Speicherspitze (MiB)</translation>
    </message>
    <message>
        <source>Seconds per step</source>
        <translation>Sekunden pro Schritt</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Projected gradient (ZO)</source>
        <translation>Projizierter Gradient (ZO)</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>Gradientennorm</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>vorzeitig beendet</translation>
    </message>
    <message>
        <source>stopped (resumable)</source>
        <translation>angehalten (fortsetzbar)</translation>
    </message>
    <message>
        <source>interrupted (resumable)</source>
        <translation>unterbrochen (fortsetzbar)</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>divergiert</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Delete runs?</source>
        <translation>Läufe löschen?</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s) and their metrics from the database?</source>
        <translation>
            <numerusform>%n Lauf und seine Messwerte aus der Datenbank löschen?</numerusform>
            <numerusform>%n Läufe und ihre Messwerte aus der Datenbank löschen?</numerusform>
        </translation>
    </message>
    <message>
        <source>%1

Their folders (checkpoints, tuned models) stay on disk.</source>
        <translation>%1

Ihre Ordner (Prüfpunkte, angepasste Modelle) bleiben auf der Festplatte.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Dev accuracy</source>
        <translation>Dev-Genauigkeit</translation>
    </message>
    <message>
        <source>Test accuracy</source>
        <translation>Testgenauigkeit</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Select several runs (Ctrl or Shift) to compare their curves</source>
        <translation>Wählen Sie mehrere Läufe (Strg oder Umschalt), um ihre Kurven zu vergleichen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Delete from database…</source>
        <translation>Aus der Datenbank löschen …</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>Diagramm exportieren …</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren …</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>Messwert:</translation>
    </message>
    <message>
        <source>Select runs above to see their curves.</source>
        <translation>Wählen Sie oben Läufe aus, um ihre Kurven zu sehen.</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG-Bild (*.png);;SVG-Bild (*.svg);;PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>Messwerte exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n metric value(s) to %1.</source>
        <translation>
            <numerusform>%n Messwert nach %1 geschrieben.</numerusform>
            <numerusform>%n Messwerte nach %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs in %1</source>
        <translation>Läufe in %1</translation>
    </message>
    <message>
        <source>No runs yet: start one on the Fine-tune page.</source>
        <translation>Noch keine Läufe: Starten Sie einen auf der Seite „Anpassen“.</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>The selected runs have no %1 values yet.</source>
        <translation>Die ausgewählten Läufe haben noch keine Werte für %1.</translation>
    </message>
    <message>
        <source>Only a stopped or interrupted run can be resumed; this one is %1.</source>
        <translation>Nur ein angehaltener oder unterbrochener Lauf lässt sich fortsetzen; dieser ist %1.</translation>
    </message>
    <message>
        <source>Continue the selected run from its last checkpoint on the Fine-tune page</source>
        <translation>Den ausgewählten Lauf auf der Seite „Anpassen“ ab seinem letzten Prüfpunkt fortsetzen</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) selected</source>
        <translation>
            <numerusform>%n Lauf ausgewählt</numerusform>
            <numerusform>%n Läufe ausgewählt</numerusform>
        </translation>
    </message>
    <message>
        <source>Chart written to %1.</source>
        <translation>Diagramm nach %1 geschrieben.</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Check that the folder exists and can be written to.</source>
        <translation>Prüfen Sie, ob der Ordner existiert und beschreibbar ist.</translation>
    </message>
    <message>
        <source>%1 is running</source>
        <translation>%1 läuft</translation>
    </message>
    <message>
        <source>Stop it before deleting it from the database.</source>
        <translation>Halten Sie ihn an, bevor Sie ihn aus der Datenbank löschen.</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n run(s) from the database; their folders are unchanged.</source>
        <translation>
            <numerusform>%n Lauf aus der Datenbank gelöscht; sein Ordner ist unverändert.</numerusform>
            <numerusform>%n Läufe aus der Datenbank gelöscht; ihre Ordner sind unverändert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Test accuracy (%)</source>
        <translation>Testgenauigkeit (%)</translation>
    </message>
    <message>
        <source>Test loss</source>
        <translation>Test-Loss</translation>
    </message>
    <message>
        <source>Memory for inference (MiB)</source>
        <translation>Speicher für Inferenz (MiB)</translation>
    </message>
</context>
<context>
    <name>zl::ui::ScoreHistogram</name>
    <message>
        <source>Scores of all training examples</source>
        <translation>Werte aller Trainingsbeispiele</translation>
    </message>
    <message>
        <source>Influence score</source>
        <translation>Einflusswert</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Logarithmische Skala</translation>
    </message>
    <message>
        <source>Shows bins of a few examples, far out in the tails, beside bins of hundreds</source>
        <translation>Zeigt Klassen mit wenigen Beispielen weit draußen in den Rändern neben Klassen mit Hunderten</translation>
    </message>
</context>
<context>
    <name>zl::ui::TokenView</name>
    <message>
        <source>influence %1</source>
        <translation>Einfluss %1</translation>
    </message>
</context>
</TS>
