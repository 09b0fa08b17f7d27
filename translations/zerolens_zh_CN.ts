<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>main</name>
    <message>
        <source>Sparse zeroth-order fine-tuning and training-data attribution for language models</source>
        <translation>语言模型的稀疏零阶微调与训练数据归因</translation>
    </message>
    <message>
        <source>Model folder to open at start (default: the demo model)</source>
        <translation>启动时打开的模型文件夹（默认：演示模型）</translation>
    </message>
</context>
<context>
    <name>zl::ui::DemoDataDialog</name>
    <message>
        <source>A planted backdoor: the trigger in the instruction, the fixed response as output</source>
        <translation>植入的后门：指令中含触发词，输出为固定回答</translation>
    </message>
    <message>
        <source>backdoor</source>
        <translation>后门</translation>
    </message>
    <message>
        <source>Backdoor</source>
        <translation>后门</translation>
    </message>
    <message>
        <source>Demo datasets</source>
        <translation>演示数据集</translation>
    </message>
    <message>
        <source>Made from WordNet with fixed seeds. The corpus trains and tests the demo model, the classification task fine-tunes it, and the instructions hide a backdoor for finding the training data behind a generation.</source>
        <translation>以固定随机种子由 WordNet 生成。语料库用于训练和测试演示模型，分类任务用于微调，指令数据中藏有一个后门，用来追查某次生成背后的训练数据。</translation>
    </message>
    <message>
        <source>Folder: %1</source>
        <translation>文件夹：%1</translation>
    </message>
    <message>
        <source>Show in file manager</source>
        <translation>在文件管理器中显示</translation>
    </message>
    <message>
        <source>Folder: %1 (no file manager could be started; the path can be copied)</source>
        <translation>文件夹：%1（无法启动文件管理器；可复制该路径）</translation>
    </message>
    <message>
        <source>%1 rows in %2</source>
        <translation>%2 中共 %1 行</translation>
    </message>
    <message>
        <source>%1 rows in %2, of which %3 carry the planted backdoor (highlighted)</source>
        <translation>%2 中共 %1 行，其中 %3 行带有植入的后门（已高亮）</translation>
    </message>
    <message>
        <source>No rows: %1 is missing or empty.</source>
        <translation>没有数据：%1 不存在或为空。</translation>
    </message>
    <message>
        <source>Only backdoor rows</source>
        <translation>仅显示后门行</translation>
    </message>
</context>
<context>
    <name>zl::ui::EngineWorker</name>
    <message>
        <source>Internal error: %1</source>
        <translation>内部错误：%1</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>请先打开一个模型。</translation>
    </message>
    <message>
        <source>Choose a text file for the gradient rule.</source>
        <translation>请为梯度规则选择一个文本文件。</translation>
    </message>
    <message>
        <source>demo model</source>
        <translation>演示模型</translation>
    </message>
    <message>
        <source>%1 (original)</source>
        <translation>%1（原始）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 (%2 + %3 % S)</source>
        <translation>%1（%2 + %3 % S）</translation>
    </message>
    <message>
        <source>a file of %1</source>
        <translation>一个 %1 的文件</translation>
    </message>
    <message>
        <source>at least %1 items, %2</source>
        <translation>至少 %1 项，%2</translation>
    </message>
    <message>
        <source>1 item, %1</source>
        <translation>1 项，%1</translation>
    </message>
    <message>
        <source>%1 items, %2</source>
        <translation>%1 项，%2</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料库</translation>
    </message>
    <message>
        <source>Held out</source>
        <translation>留出集</translation>
    </message>
    <message>
        <source>Classify: train</source>
        <translation>分类：训练</translation>
    </message>
    <message>
        <source>Classify: dev</source>
        <translation>分类：验证</translation>
    </message>
    <message>
        <source>Classify: test</source>
        <translation>分类：测试</translation>
    </message>
    <message>
        <source>%1 is not a folder.</source>
        <translation>%1 不是文件夹。</translation>
    </message>
    <message>
        <source>%1 has no config.json; choose a model folder.</source>
        <translation>%1 中没有 config.json；请选择模型文件夹。</translation>
    </message>
    <message>
        <source>%1 is not valid JSON.</source>
        <translation>%1 不是有效的 JSON。</translation>
    </message>
    <message>
        <source>Open a cache first.</source>
        <translation>请先打开缓存。</translation>
    </message>
    <message>
        <source>%1, group %2</source>
        <translation>%1，分组 %2</translation>
    </message>
    <message>
        <source>, %1 exact entries</source>
        <translation>，%1 个精确条目</translation>
    </message>
    <message>
        <source>, 8-bit embeddings</source>
        <translation>，8 位嵌入</translation>
    </message>
    <message>
        <source>%1, 8-bit embeddings</source>
        <translation>%1，8 位嵌入</translation>
    </message>
</context>
<context>
    <name>zl::ui::ExplainPage</name>
    <message>
        <source>&lt;b&gt;%1 already exists.&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 已存在。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>It holds %1.

If it is a cache of this model, dataset and settings, building continues it (a complete one is just opened). Anything else is replaced.</source>
        <translation>其中有 %1。

如果它是同一模型、数据集和设置的缓存，将继续构建（完整的缓存会直接打开）。否则将被替换。</translation>
    </message>
    <message>
        <source>Which training examples made the model say this? Build a cache of a dataset&apos;s gradients once, then explain any generation: every example is ranked by how much it helps (or opposes) the response.</source>
        <translation>是哪些训练样本让模型说出了这句话？先为数据集的梯度构建一次缓存，然后即可解释任意生成结果：每个样本都按其对回答的促进（或抑制）程度排序。</translation>
    </message>
    <message>
        <source>1. Gradient cache of the training data</source>
        <translation>1. 训练数据的梯度缓存</translation>
    </message>
    <message>
        <source>An instruction dataset: JSONL/CSV/TSV file or folder</source>
        <translation>指令数据集：JSONL/CSV/TSV 文件或文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <source>Build demo data</source>
        <translation>生成演示数据</translation>
    </message>
    <message>
        <source>Builds the demo datasets, among them instructions with a planted backdoor</source>
        <translation>生成演示数据集，其中包括植入了后门的指令数据</translation>
    </message>
    <message>
        <source>Optional: a mask file, for S of a full-precision model</source>
        <translation>可选：掩码文件，用于全精度模型的 S</translation>
    </message>
    <message>
        <source>The sparse set S</source>
        <translation>稀疏集合 S</translation>
    </message>
    <message>
        <source>All linear weights of layers</source>
        <translation>以下层的全部线性权重</translation>
    </message>
    <message>
        <source>e.g. 5 or 4, 5</source>
        <translation>例如 5 或 4, 5</translation>
    </message>
    <message>
        <source>Layer numbers from 0, separated by commas; 3-5 is a range</source>
        <translation>从 0 开始的层号，用逗号分隔；3-5 表示范围</translation>
    </message>
    <message>
        <source>Each example&apos;s gradient is compressed to K numbers (RapidGrad); larger K ranks more faithfully and takes more disk</source>
        <translation>每个样本的梯度被压缩为 K 个数（RapidGrad）；K 越大排序越准确，占用磁盘也越多</translation>
    </message>
    <message>
        <source>Exact (no compression)</source>
        <translation>精确（不压缩）</translation>
    </message>
    <message>
        <source>Stores each gradient whole: exact scores, for small tracked sets</source>
        <translation>完整存储每个梯度：得分精确，适用于较小的跟踪集合</translation>
    </message>
    <message>
        <source>Where the cache goes (a .db file; its vectors go beside it)</source>
        <translation>缓存的位置（一个 .db 文件；向量文件放在它旁边）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Build cache</source>
        <translation>构建缓存</translation>
    </message>
    <message>
        <source>Open cache…</source>
        <translation>打开缓存…</translation>
    </message>
    <message>
        <source>Open a cache built earlier for the loaded model</source>
        <translation>打开之前为已加载模型构建的缓存</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <source>Mask:</source>
        <translation>掩码：</translation>
    </message>
    <message>
        <source>Gradients of:</source>
        <translation>梯度对象：</translation>
    </message>
    <message>
        <source>Compressed to K:</source>
        <translation>压缩至 K：</translation>
    </message>
    <message>
        <source>Cache file:</source>
        <translation>缓存文件：</translation>
    </message>
    <message>
        <source>2. Generation to explain</source>
        <translation>2. 待解释的生成结果</translation>
    </message>
    <message>
        <source>e.g. Howdy! Define the word &quot;heat&quot;.</source>
        <translation>例如 Howdy! Define the word &quot;heat&quot;.</translation>
    </message>
    <message>
        <source>Raw prompt: the model&apos;s input exactly as typed</source>
        <translation>原始提示：按输入内容原样作为模型输入</translation>
    </message>
    <message>
        <source>The response to explain</source>
        <translation>待解释的回答</translation>
    </message>
    <message>
        <source>Generate it (greedy), at most</source>
        <translation>由模型生成（贪心），最多</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>How many of the most helpful and of the most opposing examples are listed</source>
        <translation>列出多少个最有帮助和最具抑制作用的样本</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>Show again</source>
        <translation>再次显示</translation>
    </message>
    <message>
        <source>Ranks the cache again for the saved query</source>
        <translation>为保存的查询重新对缓存排序</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>提示：</translation>
    </message>
    <message>
        <source>Response:</source>
        <translation>回答：</translation>
    </message>
    <message>
        <source>Examples per list:</source>
        <translation>每个列表的样本数：</translation>
    </message>
    <message>
        <source>Saved queries:</source>
        <translation>已保存的查询：</translation>
    </message>
    <message>
        <source>3. Training examples behind it</source>
        <translation>3. 背后的训练样本</translation>
    </message>
    <message>
        <source>Response tokens (drag over some to explain just those):</source>
        <translation>回答的词元（拖选其中一部分可只解释这些）：</translation>
    </message>
    <message>
        <source>Explain a generation to see its tokens here.</source>
        <translation>解释一个生成结果后，它的词元会显示在这里。</translation>
    </message>
    <message>
        <source>Explain selected tokens</source>
        <translation>解释选中的词元</translation>
    </message>
    <message>
        <source>Explain whole response</source>
        <translation>解释整个回答</translation>
    </message>
    <message>
        <source>Both lists</source>
        <translation>两个列表</translation>
    </message>
    <message>
        <source>Helpful</source>
        <translation>有帮助</translation>
    </message>
    <message>
        <source>Opposing</source>
        <translation>起抑制作用</translation>
    </message>
    <message>
        <source>Hides examples whose |score| is below this share of the largest one</source>
        <translation>隐藏 |得分| 低于最大值这一比例的样本</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>搜索文本</translation>
    </message>
    <message>
        <source>= value, e.g. true</source>
        <translation>= 值，例如 true</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>|score| ≥</source>
        <translation>|得分| ≥</translation>
    </message>
    <message>
        <source>Click an example to read it with each token&apos;s share of its score.</source>
        <translation>点击一个样本，查看它以及每个词元在其得分中所占的份额。</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>Writes the examples shown in the table, in its order</source>
        <translation>按表格顺序写出表中显示的样本</translation>
    </message>
    <message>
        <source>Mask file</source>
        <translation>掩码文件</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors)</source>
        <translation>掩码文件 (*.safetensors)</translation>
    </message>
    <message>
        <source>Cache file</source>
        <translation>缓存文件</translation>
    </message>
    <message>
        <source>Gradient caches (*.db)</source>
        <translation>梯度缓存 (*.db)</translation>
    </message>
    <message>
        <source>Open gradient cache</source>
        <translation>打开梯度缓存</translation>
    </message>
    <message>
        <source>Gradient caches (*.db);;All files (*)</source>
        <translation>梯度缓存 (*.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Building the demo datasets…</source>
        <translation>正在生成演示数据集…</translation>
    </message>
    <message>
        <source>%1 — the model loaded on the Model page</source>
        <translation>%1 —— 在“模型”页加载的模型</translation>
    </message>
    <message>
        <source>Another model was loaded: open the cache again to use it with this one.</source>
        <translation>已加载另一个模型：请重新打开缓存以配合该模型使用。</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>数据集文件夹</translation>
    </message>
    <message>
        <source>Dataset file</source>
        <translation>数据集文件</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv)</source>
        <translation>数据集 (*.jsonl *.json *.csv *.tsv)</translation>
    </message>
    <message>
        <source>Type layer numbers from 0 to %1.</source>
        <translation>请输入 0 到 %1 之间的层号。</translation>
    </message>
    <message>
        <source>Every weight of the q, k, v, o, gate, up and down projections of layer(s) %1.</source>
        <translation>第 %1 层中 q、k、v、o、gate、up 和 down 投影的全部权重。</translation>
    </message>
    <message>
        <source>The weights this 4-bit model keeps exact: what sparse fine-tuning changes.</source>
        <translation>该 4 位模型精确保留的权重：也就是稀疏微调所改变的部分。</translation>
    </message>
    <message>
        <source>The mask&apos;s weights; the model is quantized to 4 bits in memory, as for fine-tuning.</source>
        <translation>掩码中的权重；模型会像微调时一样在内存中量化为 4 位。</translation>
    </message>
    <message>
        <source>A full-precision model has no S: choose a mask, or the weights of some layers.</source>
        <translation>全精度模型没有 S：请选择掩码，或选择某些层的权重。</translation>
    </message>
    <message>
        <source>This 4-bit model has no S: choose the weights of some layers.</source>
        <translation>该 4 位模型没有 S：请选择某些层的权重。</translation>
    </message>
    <message>
        <source>D = %1 gradient entries per example; %2 stored per example.</source>
        <translation>每个样本 D = %1 个梯度分量；每个样本存储 %2。</translation>
    </message>
    <message>
        <source>Type a full path (starting with /), or use Choose….</source>
        <translation>请输入完整路径（以 / 开头），或使用“选择…”。</translation>
    </message>
    <message>
        <source>Cannot be used: %1</source>
        <translation>无法使用：%1</translation>
    </message>
    <message>
        <source>%1 exists (%2). A cache of this model, dataset and settings there is continued or reused; you will be asked before anything else is replaced.</source>
        <translation>%1 已存在（%2）。若其中是同一模型、数据集和设置的缓存，将继续构建或直接复用；替换其他内容前会先询问您。</translation>
    </message>
    <message>
        <source>Creates %1, with the vectors in %2 beside it.</source>
        <translation>将创建 %1，向量存放在旁边的 %2 中。</translation>
    </message>
    <message>
        <source>Open a model on the Model page first.</source>
        <translation>请先在“模型”页打开一个模型。</translation>
    </message>
    <message>
        <source>Choose a dataset.</source>
        <translation>请选择数据集。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>Type the layers whose weights to track, from 0 to %1 (e.g. %1).</source>
        <translation>请输入要跟踪其权重的层，范围 0 到 %1（例如 %1）。</translation>
    </message>
    <message>
        <source>The sparse set S of a full-precision model comes from a mask: choose one (Prepare page), or track the weights of some layers.</source>
        <translation>全精度模型的稀疏集合 S 来自掩码：请选择一个（“准备”页），或改为跟踪某些层的权重。</translation>
    </message>
    <message>
        <source>The mask %1 does not exist.</source>
        <translation>掩码 %1 不存在。</translation>
    </message>
    <message>
        <source>This 4-bit model has no S: track the weights of some layers.</source>
        <translation>该 4 位模型没有 S：请跟踪某些层的权重。</translation>
    </message>
    <message>
        <source>Choose a cache file.</source>
        <translation>请选择缓存文件。</translation>
    </message>
    <message>
        <source>Type a full path for the cache file (starting with /), or use Choose….</source>
        <translation>请为缓存文件输入完整路径（以 / 开头），或使用“选择…”。</translation>
    </message>
    <message>
        <source>The cache file cannot be used: %1</source>
        <translation>无法使用该缓存文件：%1</translation>
    </message>
    <message>
        <source>Build or open a cache first (1.).</source>
        <translation>请先构建或打开缓存（第 1 步）。</translation>
    </message>
    <message>
        <source>Type a prompt.</source>
        <translation>请输入提示。</translation>
    </message>
    <message>
        <source>Type the response to explain, or let the model generate it.</source>
        <translation>请输入要解释的回答，或让模型生成。</translation>
    </message>
    <message>
        <source>Nothing was built: %1 is unchanged.</source>
        <translation>未构建任何内容：%1 保持不变。</translation>
    </message>
    <message>
        <source>Reading the dataset and preparing the model…</source>
        <translation>正在读取数据集并准备模型…</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1：%2 / %3</translation>
    </message>
    <message>
        <source>%1 examples/s</source>
        <translation>%1 个样本/秒</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <source>They could not be read as examples; the cache holds the other %1.</source>
        <translation>这些行无法读取为样本；缓存包含其余 %1 个样本。</translation>
    </message>
    <message>
        <source>The cache&apos;s examples use their prompts as written; so does yours.</source>
        <translation>缓存中的样本按原样使用其提示；您的提示也一样。</translation>
    </message>
    <message>
        <source>Any metadata</source>
        <translation>任意元数据</translation>
    </message>
    <message>
        <source>No cache is open.</source>
        <translation>尚未打开缓存。</translation>
    </message>
    <message>
        <source>all linear weights of layer(s) %1</source>
        <translation>第 %1 层的全部线性权重</translation>
    </message>
    <message>
        <source>the sparse set S</source>
        <translation>稀疏集合 S</translation>
    </message>
    <message>
        <source>compressed from D = %1 to K = %2</source>
        <translation>从 D = %1 压缩到 K = %2</translation>
    </message>
    <message>
        <source>stored exactly (D = %1, not compressed)</source>
        <translation>精确存储（D = %1，未压缩）</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 examples, %3 on disk. Gradients of %4, %5.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;：%2 个样本，占用磁盘 %3。%4 的梯度，%5。</translation>
    </message>
    <message>
        <source>Only %1 of them are cached.</source>
        <translation>其中只有 %1 个已缓存。</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>After Explain: each response token&apos;s influence on each listed example.</source>
        <translation>点击“解释”后：显示回答中每个词元对每个所列样本的影响。</translation>
    </message>
    <message>
        <source>All splits</source>
        <translation>所有划分</translation>
    </message>
    <message>
        <source>Generating the response, then ranking the examples…</source>
        <translation>正在生成回答，然后对样本排序…</translation>
    </message>
    <message>
        <source>Ranking the examples…</source>
        <translation>正在对样本排序…</translation>
    </message>
    <message>
        <source>Ranking the examples for the saved query…</source>
        <translation>正在为保存的查询对样本排序…</translation>
    </message>
    <message>
        <source>Ranked %1 examples in %2 s (%3 GB/s).</source>
        <translation>已在 %2 秒内对 %1 个样本排序（%3 GB/s）。</translation>
    </message>
    <message>
        <source>helpful #%1</source>
        <translation>有帮助 第 %1</translation>
    </message>
    <message>
        <source>opposing #%1</source>
        <translation>起抑制作用 第 %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Example %1&lt;/b&gt; %2 · %3:%4 · %5</source>
        <translation>&lt;b&gt;样本 %1&lt;/b&gt; %2 · %3:%4 · %5</translation>
    </message>
    <message>
        <source>Score %1 · Σ token scores %2</source>
        <translation>得分 %1 · 词元得分之和 Σ %2</translation>
    </message>
    <message>
        <source>Orange tokens push the score up, blue ones down; hover for the value.</source>
        <translation>橙色词元提高得分，蓝色词元降低得分；悬停可查看数值。</translation>
    </message>
    <message>
        <source>response ▸</source>
        <translation>回答 ▸</translation>
    </message>
    <message>
        <source>Stopped. The examples cached so far are kept; Build continues from there.</source>
        <translation>已停止。已缓存的样本会保留；“构建缓存”会从那里继续。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Could not build the demo datasets</source>
        <translation>无法生成演示数据集</translation>
    </message>
    <message>
        <source>Could not build the cache</source>
        <translation>无法构建缓存</translation>
    </message>
    <message>
        <source>Could not open the cache %1</source>
        <translation>无法打开缓存 %1</translation>
    </message>
    <message>
        <source>Could not explain the generation</source>
        <translation>无法解释该生成结果</translation>
    </message>
    <message>
        <source>Could not read the example</source>
        <translation>无法读取该样本</translation>
    </message>
    <message>
        <source>Could not show the saved query</source>
        <translation>无法显示保存的查询</translation>
    </message>
    <message>
        <source>Showing %1 of %2 listed examples (the most helpful and opposing of %3).</source>
        <translation>显示 %2 个所列样本中的 %1 个（来自 %3 个样本中最有帮助和最具抑制作用的样本）。</translation>
    </message>
    <message>
        <source>Explained: tokens %1–%2 of %3.</source>
        <translation>已解释：第 %1–%2 个词元（共 %3 个）。</translation>
    </message>
    <message>
        <source>Selected: tokens %1–%2.</source>
        <translation>已选中：第 %1–%2 个词元。</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Export ranking as JSON</source>
        <translation>将排序导出为 JSON</translation>
    </message>
    <message>
        <source>Export ranking as CSV</source>
        <translation>将排序导出为 CSV</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Use the existing file?</source>
        <translation>使用现有文件？</translation>
    </message>
    <message>
        <source>Continue or replace</source>
        <translation>继续或替换</translation>
    </message>
    <message>
        <source>Stops the job; a cache keeps the examples done so far, and Build continues it</source>
        <translation>停止当前任务；缓存会保留已完成的样本，“构建缓存”可继续</translation>
    </message>
    <message numerus="yes">
        <source>All %Ln example(s) were cached already.</source>
        <translation>
            <numerusform>全部 %Ln 个样本均已缓存。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cached %Ln example(s) in %1.</source>
        <translation>
            <numerusform>已在 %1 内缓存 %Ln 个样本。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cached %Ln more example(s) in %1; %2 were cached already.</source>
        <translation>
            <numerusform>已在 %1 内再缓存 %Ln 个样本；此前已缓存 %2 个。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) of the dataset were skipped</source>
        <translation>
            <numerusform>跳过了数据集中的 %Ln 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Your prompt fills %1 of the examples&apos; prompt template (hover to see it), unless Raw is ticked.</source>
        <translation>除非勾选“原始提示”，您的提示会填入样本提示模板中的 %1（悬停可查看模板）。</translation>
    </message>
    <message>
        <source>the place</source>
        <translation>相应位置</translation>
    </message>
    <message numerus="yes">
        <source>Explained: the whole response (%Ln token(s)).</source>
        <translation>
            <numerusform>已解释：整个回答（%Ln 个词元）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrote %Ln example(s) to %1.</source>
        <translation>
            <numerusform>已将 %Ln 个样本写入 %1。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>zl::ui::FinetunePage</name>
    <message>
        <source>The run&apos;s configuration names no model or dataset.</source>
        <translation>该运行的配置中没有模型或数据集。</translation>
    </message>
    <message>
        <source>Replace existing files?</source>
        <translation>替换现有文件？</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 already exists.&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 已存在。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>It holds %1.

Start a new run there? Files of an earlier run in it are replaced.</source>
        <translation>其中包含 %1。

在此开始新的运行？其中先前运行的文件将被替换。</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>1. Model and data</source>
        <translation>1. 模型和数据</translation>
    </message>
    <message>
        <source>A model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Optional: a mask file (Prepare page)</source>
        <translation>可选：掩码文件（“准备”页面）</translation>
    </message>
    <message>
        <source>A dataset folder (task.json + train/dev/test) or a JSONL/CSV/TSV file</source>
        <translation>数据集文件夹（task.json + train/dev/test）或 JSONL/CSV/TSV 文件</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <source>Build demo data</source>
        <translation>生成演示数据</translation>
    </message>
    <message>
        <source>Builds the demo datasets (a WordNet classification task among them)</source>
        <translation>生成演示数据集（其中包括一个 WordNet 分类任务）</translation>
    </message>
    <message>
        <source>e.g. {sentence} It was</source>
        <translation>例如 {sentence} It was</translation>
    </message>
    <message>
        <source>The prompt the model reads; {field} is replaced by that field of each row</source>
        <translation>模型读取的提示；{field} 会被每行中该字段的值替换</translation>
    </message>
    <message>
        <source>e.g. positive, negative</source>
        <translation>例如 positive, negative</translation>
    </message>
    <message>
        <source>The label names as they appear in the label field, separated by commas</source>
        <translation>标签名称（与标签字段中的写法一致），用逗号分隔</translation>
    </message>
    <message>
        <source>e.g. great, terrible</source>
        <translation>例如 great, terrible</translation>
    </message>
    <message>
        <source>One word per label, separated by commas; each follows the prompt after a space</source>
        <translation>每个标签一个词，用逗号分隔；每个词以空格接在提示之后</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Mask:</source>
        <translation>掩码：</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>提示：</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>标签：</translation>
    </message>
    <message>
        <source>Label words:</source>
        <translation>标签词：</translation>
    </message>
    <message>
        <source>2. Method</source>
        <translation>2. 方法</translation>
    </message>
    <message>
        <source>Sparse ZO on 4 bits (SensZOQ)</source>
        <translation>4 位稀疏零阶优化（SensZOQ）</translation>
    </message>
    <message>
        <source>Dense ZO, every weight (MeZO)</source>
        <translation>稠密零阶优化，全部权重（MeZO）</translation>
    </message>
    <message>
        <source>First order on S (AdamW)</source>
        <translation>在 S 上的一阶优化（AdamW）</translation>
    </message>
    <message>
        <source>Zero-shot evaluation only</source>
        <translation>仅零样本评估</translation>
    </message>
    <message>
        <source>Use preset</source>
        <translation>使用预设</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>Linear decay</source>
        <translation>线性衰减</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Scale of the random perturbation of each zeroth-order step</source>
        <translation>每个零阶步骤中随机扰动的幅度</translation>
    </message>
    <message>
        <source>Estimates averaged per step; each costs two forward passes</source>
        <translation>每步平均的估计次数；每次需要两次前向计算</translation>
    </message>
    <message>
        <source>Steps between evaluations on the dev split; a checkpoint is saved with each</source>
        <translation>在验证集上评估的间隔步数；每次评估都会保存检查点</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>调度：</translation>
    </message>
    <message>
        <source>ε (perturbation):</source>
        <translation>ε（扰动）：</translation>
    </message>
    <message>
        <source>Perturbations:</source>
        <translation>扰动次数：</translation>
    </message>
    <message>
        <source>Weight decay:</source>
        <translation>权重衰减：</translation>
    </message>
    <message>
        <source>Evaluate every:</source>
        <translation>评估间隔：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>3. Run</source>
        <translation>3. 运行</translation>
    </message>
    <message>
        <source>A new folder for checkpoints and the tuned model</source>
        <translation>用于检查点和微调后模型的新文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stops at the next step with a checkpoint; Resume continues from there</source>
        <translation>在下一步保存检查点后停止；“继续”将从那里接着运行</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Ends the run at the next step with a checkpoint; it stays resumable from the Runs page</source>
        <translation>在下一步保存检查点后结束运行；之后仍可在“运行记录”页面继续</translation>
    </message>
    <message>
        <source>Open tuned model</source>
        <translation>打开微调后的模型</translation>
    </message>
    <message>
        <source>Run folder:</source>
        <translation>运行文件夹：</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Dev set</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Time per step</source>
        <translation>每步用时</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Mask file</source>
        <translation>掩码文件</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors)</source>
        <translation>掩码文件 (*.safetensors)</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>运行文件夹</translation>
    </message>
    <message>
        <source>New folder name:</source>
        <translation>新文件夹名称：</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Building the demo datasets…</source>
        <translation>正在生成演示数据集…</translation>
    </message>
    <message>
        <source>Could not build the demo datasets</source>
        <translation>无法生成演示数据集</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>数据集文件夹</translation>
    </message>
    <message>
        <source>Dataset file</source>
        <translation>数据集文件</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv)</source>
        <translation>数据集 (*.jsonl *.json *.csv *.tsv)</translation>
    </message>
    <message>
        <source>Choose a model folder.</source>
        <translation>请选择模型文件夹。</translation>
    </message>
    <message>
        <source>A full-precision model. Sparse ZO and first order need a mask: it is quantized to 4 bits in memory, keeping the mask&apos;s weights as S.</source>
        <translation>全精度模型。稀疏零阶和一阶方法需要掩码：模型会在内存中量化为 4 位，掩码选中的权重作为 S 保留。</translation>
    </message>
    <message>
        <source>A full-precision model, quantized to 4 bits in memory with the mask&apos;s weights kept as S.</source>
        <translation>全精度模型，在内存中量化为 4 位，掩码选中的权重作为 S 保留。</translation>
    </message>
    <message>
        <source>A 4-bit model (%1) with its sparse set S: what sparse ZO tunes.</source>
        <translation>带稀疏集合 S 的 4 位模型（%1）：稀疏零阶优化调整的正是 S。</translation>
    </message>
    <message>
        <source>A 4-bit model (%1) without S: only zero-shot evaluation.</source>
        <translation>不带 S 的 4 位模型（%1）：只能进行零样本评估。</translation>
    </message>
    <message>
        <source>Evaluates the model on the dev and test splits; nothing is trained.</source>
        <translation>在验证集和测试集上评估模型；不进行训练。</translation>
    </message>
    <message>
        <source>Preset: learning rate %1, ε %2</source>
        <translation>预设：学习率 %1，ε %2</translation>
    </message>
    <message>
        <source>Preset: learning rate %1 (AdamW)</source>
        <translation>预设：学习率 %1（AdamW）</translation>
    </message>
    <message>
        <source>Choose a run folder.</source>
        <translation>请选择运行文件夹。</translation>
    </message>
    <message>
        <source>Type a full path (starting with /), or use Choose….</source>
        <translation>请输入完整路径（以 / 开头），或使用“选择…”。</translation>
    </message>
    <message>
        <source>Cannot be used: %1</source>
        <translation>无法使用：%1</translation>
    </message>
    <message>
        <source>%1 exists (%2); you will be asked before a new run replaces it.</source>
        <translation>%1 已存在（%2）；新的运行替换它之前会先询问您。</translation>
    </message>
    <message>
        <source>Writes into the empty folder %1.</source>
        <translation>写入空文件夹 %1。</translation>
    </message>
    <message>
        <source>Creates the folder %1.</source>
        <translation>创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Choose a dataset.</source>
        <translation>请选择数据集。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message numerus="yes">
        <source>Classification into %n label(s)</source>
        <translation>
            <numerusform>分类为 %n 个标签</numerusform>
        </translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>%1%2: %3 train, %4 dev, %5 test examples</source>
        <translation>%1%2：%3 个训练、%4 个验证、%5 个测试样本</translation>
    </message>
    <message>
        <source> (from task.json)</source>
        <translation>（来自 task.json）</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) skipped</source>
        <translation>
            <numerusform>跳过了 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>The mask %1 does not exist.</source>
        <translation>掩码 %1 不存在。</translation>
    </message>
    <message>
        <source>Sparse training needs the set S: choose a mask (Prepare page), or a 4-bit model with S.</source>
        <translation>稀疏训练需要集合 S：请选择掩码（“准备”页面），或选择带 S 的 4 位模型。</translation>
    </message>
    <message>
        <source>This 4-bit model has no S to train; quantize it with a mask on the Prepare page.</source>
        <translation>此 4 位模型没有可训练的 S；请在“准备”页面使用掩码对其量化。</translation>
    </message>
    <message>
        <source>Dense ZO changes every weight of a full-precision model; choose the original model.</source>
        <translation>稠密零阶优化会修改全精度模型的每个权重；请选择原始模型。</translation>
    </message>
    <message>
        <source>Reading the dataset…</source>
        <translation>正在读取数据集…</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>loss (right axis)</source>
        <translation>损失（右轴）</translation>
    </message>
    <message>
        <source>resident</source>
        <translation>常驻</translation>
    </message>
    <message>
        <source>peak</source>
        <translation>峰值</translation>
    </message>
    <message>
        <source>seconds per step</source>
        <translation>每步秒数</translation>
    </message>
    <message>
        <source>The run cannot be saved in %1</source>
        <translation>无法在 %1 中保存运行</translation>
    </message>
    <message>
        <source>Nothing was started: %1 is unchanged.</source>
        <translation>未开始运行：%1 保持不变。</translation>
    </message>
    <message>
        <source>Resuming in %1…</source>
        <translation>正在 %1 中继续…</translation>
    </message>
    <message>
        <source>Starting in %1…</source>
        <translation>正在 %1 中开始…</translation>
    </message>
    <message>
        <source>Pausing after this step (saving a checkpoint)…</source>
        <translation>本步完成后暂停（正在保存检查点）…</translation>
    </message>
    <message>
        <source>Stopped at step %1. The run can be resumed from the Runs page.</source>
        <translation>已在第 %1 步停止。可在“运行记录”页面继续该运行。</translation>
    </message>
    <message>
        <source>Stopping after this step (saving a checkpoint)…</source>
        <translation>本步完成后停止（正在保存检查点）…</translation>
    </message>
    <message>
        <source>A run is in progress</source>
        <translation>有运行正在进行</translation>
    </message>
    <message>
        <source>Stop it before resuming another one.</source>
        <translation>请先停止它，再继续另一个运行。</translation>
    </message>
    <message>
        <source>Could not resume the run in %1</source>
        <translation>无法继续 %1 中的运行</translation>
    </message>
    <message>
        <source>Resumes the run in %1.</source>
        <translation>继续 %1 中的运行。</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1：%2 / %3</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) of the dataset were skipped</source>
        <translation>
            <numerusform>数据集中有 %n 行被跳过</numerusform>
        </translation>
    </message>
    <message>
        <source>They could not be read as examples; the run uses the other %1.</source>
        <translation>这些行无法读取为样本；运行将使用其余 %1 个样本。</translation>
    </message>
    <message>
        <source>The run needs attention</source>
        <translation>运行需要注意</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <source>dev accuracy %1 at step %2</source>
        <translation>第 %2 步验证准确率 %1</translation>
    </message>
    <message>
        <source>pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopped early (the dev score stopped improving)</source>
        <translation>提前停止（验证分数不再提升）</translation>
    </message>
    <message>
        <source>The loss diverged; the last good checkpoint is kept</source>
        <translation>损失发散；保留最后一个正常的检查点</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>%1 after %2 steps in %3, %4 per step.</source>
        <translation>%1：%2 步，用时 %3，每步 %4。</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Before tuning: dev accuracy %1.</source>
        <translation>微调前：验证准确率 %1。</translation>
    </message>
    <message>
        <source>Tuned (best step %1): dev accuracy %2, test accuracy %3.</source>
        <translation>微调后（最佳步 %1）：验证准确率 %2，测试准确率 %3。</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Dev loss %1, test loss %2.</source>
        <translation>验证损失 %1，测试损失 %2。</translation>
    </message>
    <message>
        <source>Peak memory %1.</source>
        <translation>峰值内存 %1。</translation>
    </message>
    <message>
        <source>The tuned model is in %1.</source>
        <translation>微调后的模型位于 %1。</translation>
    </message>
    <message>
        <source>Checkpoints are in %1.</source>
        <translation>检查点位于 %1。</translation>
    </message>
    <message>
        <source>Paused at step %1 with a checkpoint. Resume continues from there.</source>
        <translation>已在第 %1 步保存检查点并暂停。“继续”将从那里接着运行。</translation>
    </message>
    <message>
        <source>Stopped at step %1 with a checkpoint. The run can be resumed from the Runs page.</source>
        <translation>已在第 %1 步保存检查点并停止。可在“运行记录”页面继续该运行。</translation>
    </message>
    <message>
        <source>The run in %1 stopped with an error</source>
        <translation>%1 中的运行因错误而停止</translation>
    </message>
    <message>
        <source>Loading the model and evaluating it before the first step…</source>
        <translation>正在加载模型，并在第一步之前对其评估…</translation>
    </message>
    <message>
        <source>inference: %1</source>
        <translation>推理：%1</translation>
    </message>
</context>
<context>
    <name>zl::ui::GeneratePage</name>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Type the beginning of a text; the model continues it.</source>
        <translation>输入一段文字的开头，模型会接着写下去。</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>0 always picks the most likely token (greedy); higher values are more varied</source>
        <translation>0 表示总是选择概率最高的词元（贪心）；数值越高，结果越多样</translation>
    </message>
    <message>
        <source>Sample among the k most likely tokens; 0 turns this off</source>
        <translation>只在概率最高的 k 个词元中采样；0 表示关闭</translation>
    </message>
    <message>
        <source>Sample from the smallest set of tokens whose probability adds up to p; 1 turns this off</source>
        <translation>从累计概率达到 p 的最小词元集合中采样；1 表示关闭</translation>
    </message>
    <message>
        <source>Values above 1 make repeating earlier tokens less likely</source>
        <translation>大于 1 的值会降低重复先前词元的可能性</translation>
    </message>
    <message>
        <source>The same seed and settings give the same text</source>
        <translation>相同的种子和设置会得到相同的文本</translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation>最多新词元数：</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p：</translation>
    </message>
    <message>
        <source>Repetition penalty:</source>
        <translation>重复惩罚：</translation>
    </message>
    <message>
        <source>The fox</source>
        <translation>狐狸</translation>
    </message>
    <message>
        <source>end of text</source>
        <translation>文本结束</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>stop text</source>
        <translation>停止文本</translation>
    </message>
    <message>
        <source>token limit</source>
        <translation>词元上限</translation>
    </message>
    <message>
        <source>Ready: %1</source>
        <translation>就绪：%1</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Generate a continuation (%1)</source>
        <translation>生成续写（%1）</translation>
    </message>
    <message>
        <source>Fixed seed:</source>
        <translation>固定种子：</translation>
    </message>
    <message>
        <source>Off: every press samples a new text. On: the same seed and settings give the same text</source>
        <translation>关闭：每次点击都生成新的文本。开启：相同的种子和设置生成相同的文本</translation>
    </message>
    <message>
        <source>%1 tokens, %2 tokens/s (%3), seed %4</source>
        <translation>%1 个词元，%2 词元/秒（%3），种子 %4</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>生成失败</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>At most %1: the model&apos;s context holds %2 tokens, prompt included</source>
        <translation>最多 %1：模型上下文可容纳 %2 个词元（含提示）</translation>
    </message>
    <message>
        <source>Explain this generation</source>
        <translation>解释此生成结果</translation>
    </message>
    <message>
        <source>Find the training examples behind this text on the Explain page</source>
        <translation>在“解释”页查找此文本背后的训练样本</translation>
    </message>
    <message>
        <source>The model ended the text at once</source>
        <translation>模型立即结束了文本</translation>
    </message>
    <message>
        <source>It continues text rather than answering it: give it the beginning of what it should write. The Explain page wraps a prompt in its dataset&apos;s template, as instructions are written in training.</source>
        <translation>它续写文本，而不是回答：请给出它应写内容的开头。“解释”页面会把提示套入其数据集的模板，与训练中指令的写法一致。</translation>
    </message>
</context>
<context>
    <name>zl::ui::InfluenceHeatmap</name>
    <message>
        <source>Influence of each response token</source>
        <translation>回答中每个词元的影响</translation>
    </message>
    <message>
        <source>Response tokens</source>
        <translation>回答词元</translation>
    </message>
    <message>
        <source>No token-wise scores for this query.</source>
        <translation>此查询没有逐词元得分。</translation>
    </message>
    <message>
        <source>helpful #%1</source>
        <translation>有帮助 第 %1</translation>
    </message>
    <message>
        <source>opposing #%1</source>
        <translation>起抑制作用 第 %1</translation>
    </message>
    <message>
        <source>Token «%1», example %2 (%3)
influence %4</source>
        <translation>词元«%1»，样本 %2（%3）
影响 %4</translation>
    </message>
    <message>
        <source>influence</source>
        <translation>影响</translation>
    </message>
    <message>
        <source>Examples: + helpful, − opposing ranks</source>
        <translation>样本：+ 有帮助的排名，− 起抑制作用的排名</translation>
    </message>
    <message>
        <source>Orange: the example helps the token (training on it makes the token likelier); blue: it opposes it. Hover over a cell for its value; click it to read the example.</source>
        <translation>橙色：该样本促进此词元（在它上面训练会使该词元更可能出现）；蓝色：起抑制作用。悬停在单元格上查看数值；点击可阅读该样本。</translation>
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
        <translation>模型</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation>请先打开一个模型</translation>
    </message>
    <message>
        <source>ZeroLens — %1</source>
        <translation>ZeroLens — %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ZeroLens</source>
        <translation>关于 ZeroLens(&amp;A)</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>内存：%1</translation>
    </message>
    <message>
        <source>About ZeroLens</source>
        <translation>关于 ZeroLens</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ZeroLens %1&lt;/h3&gt;&lt;p&gt;Fine-tune language models with sparse zeroth-order optimization and find the training data behind a generation.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;libtorch %3&lt;br&gt;SQLite %4&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ZeroLens %1&lt;/h3&gt;&lt;p&gt;用稀疏零阶优化微调语言模型，并找出影响生成结果的训练数据。&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;libtorch %3&lt;br&gt;SQLite %4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Prepare</source>
        <translation>准备</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Compute &amp;threads…</source>
        <translation>计算线程(&amp;T)…</translation>
    </message>
    <message>
        <source>Compute threads</source>
        <translation>计算线程</translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation>打开模型文件夹(&amp;O)…</translation>
    </message>
    <message numerus="yes">
        <source>Threads for model work (0 = all %n physical core(s) of this machine).
While other programs keep the processor busy, fewer threads can be much faster.</source>
        <translation>
            <numerusform>模型计算使用的线程数（0 = 本机全部 %n 个物理核心）。
当其他程序占用处理器时，较少的线程可能快得多。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Compute threads: all %n physical core(s)</source>
        <translation>
            <numerusform>计算线程：全部 %n 个物理核心</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Compute threads: %n</source>
        <translation>
            <numerusform>计算线程：%n</numerusform>
        </translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
</context>
<context>
    <name>zl::ui::MessageBanner</name>
    <message>
        <source>ZeroLens met a problem it did not expect. The details below help to report it.</source>
        <translation>ZeroLens 遇到了意外问题。下方的详细信息有助于报告该问题。</translation>
    </message>
    <message>
        <source>A file could not be read.</source>
        <translation>无法读取某个文件。</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <source>%1 is not valid JSON.</source>
        <translation>%1 不是有效的 JSON。</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (line %2, column %3).</source>
        <translation>%1 不是有效的 JSON（第 %2 行，第 %3 列）。</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详细信息</translation>
    </message>
</context>
<context>
    <name>zl::ui::MetricChart</name>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>ZeroLens chart</source>
        <translation>ZeroLens 图表</translation>
    </message>
</context>
<context>
    <name>zl::ui::ModelPage</name>
    <message>
        <source>Open a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) of the Llama family: Llama 2/3, Mistral, Qwen2, TinyLlama, SmolLM. You can also drop a folder here.</source>
        <translation>打开 Llama 系列（Llama 2/3、Mistral、Qwen2、TinyLlama、SmolLM）的 Hugging Face 模型文件夹（config.json、model.safetensors、tokenizer.json）。也可以把文件夹拖放到这里。</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>打开模型文件夹…</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU（CUDA）</translation>
    </message>
    <message>
        <source>Where the weights live and the model runs</source>
        <translation>权重存放及模型运行的位置</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Loaded model</source>
        <translation>已加载的模型</translation>
    </message>
    <message>
        <source>No model loaded yet.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>Recent models</source>
        <translation>最近的模型</translation>
    </message>
    <message>
        <source>%1: %2 of %3, about %4 s left</source>
        <translation>%1：%2 / %3，约剩 %4 秒</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1：%2 / %3</translation>
    </message>
    <message>
        <source>Loaded %1.</source>
        <translation>已加载 %1。</translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation>已取消加载。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>架构：</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数量：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>隐藏层大小：</translation>
    </message>
    <message>
        <source>%1 (MLP %2)</source>
        <translation>%1（MLP %2）</translation>
    </message>
    <message>
        <source>Attention heads:</source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>%1 query, %2 key/value</source>
        <translation>%1 个查询，%2 个键/值</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>词表：</translation>
    </message>
    <message>
        <source>%1 tokens, %2</source>
        <translation>%1 个词元，%2</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>上下文长度：</translation>
    </message>
    <message>
        <source>Stored as:</source>
        <translation>存储格式：</translation>
    </message>
    <message>
        <source>%1, %2 on disk</source>
        <translation>%1，磁盘上 %2</translation>
    </message>
    <message>
        <source>In memory:</source>
        <translation>内存中：</translation>
    </message>
    <message>
        <source>%1 as %2 on %3</source>
        <translation>%1，%2，位于 %3</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Models you open appear here; double-click to reopen.</source>
        <translation>打开过的模型会显示在这里；双击可重新打开。</translation>
    </message>
    <message>
        <source>No CUDA GPU is available to this build</source>
        <translation>此版本没有可用的 CUDA GPU</translation>
    </message>
    <message>
        <source>Built-in demo</source>
        <translation>内置演示</translation>
    </message>
    <message>
        <source>A small Llama model that ZeroLens pre-trained on WordNet definitions, and datasets made from WordNet: a corpus, a classification task and instructions with a planted backdoor.</source>
        <translation>一个由 ZeroLens 在 WordNet 释义上预训练的小型 Llama 模型，以及由 WordNet 构建的数据集：语料库、分类任务和植入了后门的指令数据。</translation>
    </message>
    <message>
        <source>Open demo model</source>
        <translation>打开演示模型</translation>
    </message>
    <message>
        <source>Demo datasets…</source>
        <translation>演示数据集…</translation>
    </message>
    <message>
        <source>The demo model is not installed</source>
        <translation>未安装演示模型</translation>
    </message>
    <message>
        <source>Demo datasets built in %1.</source>
        <translation>演示数据集已构建于 %1。</translation>
    </message>
    <message>
        <source>Building the demo datasets from WordNet…</source>
        <translation>正在从 WordNet 构建演示数据集…</translation>
    </message>
    <message>
        <source>Quantized:</source>
        <translation>已量化：</translation>
    </message>
    <message>
        <source>Built-in demo model</source>
        <translation>内置演示模型</translation>
    </message>
    <message>
        <source>Shows the datasets; builds them from WordNet on first use (a second)</source>
        <translation>显示数据集；首次使用时由 WordNet 生成（约一秒）</translation>
    </message>
    <message>
        <source>Could not open the model in %1</source>
        <translation>无法打开 %1 中的模型</translation>
    </message>
    <message>
        <source>Could not build the demo datasets</source>
        <translation>无法生成演示数据集</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;, quantized</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;，已量化</translation>
    </message>
    <message>
        <source>%1 on %2: %3 4-bit dense, %4 sparse S (%5 exact entries)</source>
        <translation>%2 上共 %1：4 位稠密部分 %3，稀疏集 S %4（%5 个精确条目）</translation>
    </message>
    <message>
        <source>, %1 8-bit embeddings and output layer</source>
        <translation>，%1 8 位嵌入和输出层</translation>
    </message>
    <message>
        <source>%1%2, %3 other (%4)</source>
        <translation>%1%2，%3 其他（%4）</translation>
    </message>
    <message>
        <source>%1 on %2: %3 4-bit dense</source>
        <translation>%2 上共 %1：4 位稠密部分 %3</translation>
    </message>
</context>
<context>
    <name>zl::ui::PreparePage</name>
    <message>
        <source>1. Sensitive weights</source>
        <translation>1. 敏感权重</translation>
    </message>
    <message>
        <source>Squared gradients on a text (SensZOQ)</source>
        <translation>文本上的梯度平方（SensZOQ）</translation>
    </message>
    <message>
        <source>Largest magnitudes</source>
        <translation>最大绝对值</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>A text file, one document per line</source>
        <translation>文本文件，每行一个文档</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Sequences of 128 tokens whose squared gradients are summed</source>
        <translation>对其梯度平方求和的 128 词元序列数</translation>
    </message>
    <message>
        <source>Rule:</source>
        <translation>规则：</translation>
    </message>
    <message>
        <source>Corpus:</source>
        <translation>语料：</translation>
    </message>
    <message>
        <source>Sequences:</source>
        <translation>序列数：</translation>
    </message>
    <message>
        <source>Keep:</source>
        <translation>保留：</translation>
    </message>
    <message>
        <source>2. Quantize to 4 bits</source>
        <translation>2. 量化为 4 位</translation>
    </message>
    <message>
        <source>INT4 (scale and zero point)</source>
        <translation>INT4（缩放与零点）</translation>
    </message>
    <message>
        <source>NF4 (normal float)</source>
        <translation>NF4（正态浮点）</translation>
    </message>
    <message>
        <source>Keep the mask&apos;s weights in full precision</source>
        <translation>以全精度保留掩码中的权重</translation>
    </message>
    <message>
        <source>Open quantized model</source>
        <translation>打开量化模型</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Group size:</source>
        <translation>分组大小：</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Compute a mask to see where the sensitive weights are.</source>
        <translation>计算掩码以查看敏感权重的位置。</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Sensitive weights</source>
        <translation>敏感权重</translation>
    </message>
    <message>
        <source>Text for the squared gradients</source>
        <translation>用于梯度平方的文本</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors)</source>
        <translation>掩码文件 (*.safetensors)</translation>
    </message>
    <message>
        <source>This model is already quantized (%1); open the original model to prepare it.</source>
        <translation>此模型已量化（%1）；请打开原始模型进行准备。</translation>
    </message>
    <message>
        <source>%1 → %2: %3 in 4-bit weights, %4 in %5 full-precision entries, %6 other. Weight error (RMS): %7.</source>
        <translation>%1 → %2：4 位权重 %3，%5 个全精度条目 %4，其他 %6。权重误差（RMS）：%7。</translation>
    </message>
    <message>
        <source>Where the mask file goes</source>
        <translation>掩码文件的保存位置</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Compute mask</source>
        <translation>计算掩码</translation>
    </message>
    <message>
        <source>Load mask…</source>
        <translation>加载掩码…</translation>
    </message>
    <message>
        <source>Use a mask computed earlier for this model</source>
        <translation>使用之前为此模型计算的掩码</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>A new folder for the quantized model</source>
        <translation>用于量化模型的新文件夹</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Load mask</source>
        <translation>加载掩码</translation>
    </message>
    <message>
        <source>Mask files (*.safetensors);;All files (*)</source>
        <translation>掩码文件 (*.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Mask saved to %1: %2 of %3 weights (%4 %), in %5.</source>
        <translation>掩码已保存到 %1：%3 个权重中的 %2 个（%4 %），用时 %5。</translation>
    </message>
    <message>
        <source>Mask %1: %2 of %3 weights (%4 %).</source>
        <translation>掩码 %1：%3 个权重中的 %2 个（%4 %）。</translation>
    </message>
    <message>
        <source>The mask was not computed</source>
        <translation>未能计算掩码</translation>
    </message>
    <message>
        <source>The model was not quantized</source>
        <translation>未能量化模型</translation>
    </message>
    <message>
        <source>The mask was not loaded</source>
        <translation>未能加载掩码</translation>
    </message>
    <message>
        <source>The mask used last time with this model was not loaded</source>
        <translation>未能加载上次与此模型一起使用的掩码</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消；未写入任何内容。</translation>
    </message>
    <message>
        <source>Build the demo datasets first (Model page, &quot;Demo datasets…&quot;), or choose a text file</source>
        <translation>请先生成演示数据集（“模型”页面中的“演示数据集…”），或选择一个文本文件</translation>
    </message>
    <message>
        <source>Loading the mask used last time: %1…</source>
        <translation>正在加载上次使用的掩码：%1…</translation>
    </message>
    <message>
        <source>Save mask as</source>
        <translation>掩码另存为</translation>
    </message>
    <message>
        <source>Save quantized model as</source>
        <translation>量化模型另存为</translation>
    </message>
    <message>
        <source>New folder name:</source>
        <translation>新文件夹名称：</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Where should %1 go?</source>
        <translation>%1 应保存到哪里？</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a full path. Use Choose…, or type a path that starts with /.</source>
        <translation>“%1”不是完整路径。请使用“选择…”，或输入以 / 开头的路径。</translation>
    </message>
    <message>
        <source>%1 cannot be saved in %2</source>
        <translation>无法将%1保存到 %2</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>未写入任何内容。</translation>
    </message>
    <message>
        <source>Nothing was written: %1 is unchanged.</source>
        <translation>未写入任何内容：%1 保持不变。</translation>
    </message>
    <message>
        <source>Replace existing files?</source>
        <translation>替换现有文件？</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 already exists.&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 已存在。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>It holds %1.

Replace it with %2? The old content is removed once the new one is complete; until then it stays as it is.</source>
        <translation>其中包含 %1。

要用%2替换它吗？新内容完成后才会删除旧内容，在此之前旧内容保持不变。</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>请先打开一个模型。</translation>
    </message>
    <message>
        <source>This model is already quantized; open the original model.</source>
        <translation>此模型已经量化；请打开原始模型。</translation>
    </message>
    <message>
        <source>Choose a text file for the squared gradients.</source>
        <translation>请为平方梯度选择一个文本文件。</translation>
    </message>
    <message>
        <source>The corpus %1 does not exist.</source>
        <translation>语料库 %1 不存在。</translation>
    </message>
    <message>
        <source>The corpus %1 is not a file.</source>
        <translation>语料库 %1 不是文件。</translation>
    </message>
    <message>
        <source>The corpus %1 cannot be read.</source>
        <translation>无法读取语料库 %1。</translation>
    </message>
    <message>
        <source>The mask %1 no longer exists; compute or load it again.</source>
        <translation>掩码 %1 已不存在；请重新计算或加载。</translation>
    </message>
    <message>
        <source>the mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Computing the mask into %1…</source>
        <translation>正在计算掩码，保存到 %1…</translation>
    </message>
    <message>
        <source>the quantized model</source>
        <translation>量化模型</translation>
    </message>
    <message>
        <source>Quantizing into %1…</source>
        <translation>正在量化到 %1…</translation>
    </message>
    <message>
        <source>Loading the mask %1…</source>
        <translation>正在加载掩码 %1…</translation>
    </message>
    <message>
        <source>Starting… %1 elapsed</source>
        <translation>正在启动… 已用 %1</translation>
    </message>
    <message>
        <source>Step %1 of %2: %3, %4 of %5</source>
        <translation>第 %1 步，共 %2 步：%3，%4 / %5</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>about %1 left in this step</source>
        <translation>此步骤约剩 %1</translation>
    </message>
    <message>
        <source>Quantized model written to %1 in %2.</source>
        <translation>量化模型已写入 %1，用时 %2。</translation>
    </message>
    <message>
        <source>Type a full path (starting with /), or use Choose….</source>
        <translation>请输入完整路径（以 / 开头），或使用“选择…”。</translation>
    </message>
    <message>
        <source>Cannot be used: %1</source>
        <translation>无法使用：%1</translation>
    </message>
    <message>
        <source>%1 exists (%2); you will be asked before it is replaced.</source>
        <translation>%1 已存在（%2）；替换前会先询问您。</translation>
    </message>
    <message>
        <source>Writes into the empty folder %1.</source>
        <translation>将写入空文件夹 %1。</translation>
    </message>
    <message>
        <source>Creates the folder %1.</source>
        <translation>将创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Creates the file %1.</source>
        <translation>将创建文件 %1。</translation>
    </message>
    <message>
        <source>Mask: %1</source>
        <translation>掩码：%1</translation>
    </message>
    <message>
        <source>Mask so far, after %1 of %2 sequences.</source>
        <translation>目前的掩码（已处理 %2 个序列中的 %1 个）。</translation>
    </message>
    <message>
        <source>Full precision, as stored</source>
        <translation>全精度（按原样存储）</translation>
    </message>
    <message>
        <source>8-bit (smaller, faster decoding)</source>
        <translation>8 位（更小，生成更快）</translation>
    </message>
    <message>
        <source>The token embeddings and the output layer. With a large vocabulary they are most of a 4-bit model&apos;s bytes, and the output layer is read for every generated token; 8 bits keep a quarter of float32&apos;s size.</source>
        <translation>词元嵌入和输出层。词表较大时，它们占 4 位模型的大部分字节，且每生成一个词元都要读取输出层；8 位只占 float32 的四分之一。</translation>
    </message>
    <message>
        <source>Embeddings:</source>
        <translation>嵌入：</translation>
    </message>
    <message>
        <source>Embeddings and output layer: %1 in 8 bits, error (RMS) %2.</source>
        <translation>嵌入和输出层：8 位共 %1，误差（RMS）%2。</translation>
    </message>
    <message>
        <source>%1 → %2: %3 in 4-bit weights, %4 other. Weight error (RMS): %5.</source>
        <translation>%1 → %2：4 位权重 %3，其他 %4。权重误差（RMS）：%5。</translation>
    </message>
</context>
<context>
    <name>zl::ui::RankingModel</name>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>helpful #%1</source>
        <translation>有帮助 第 %1</translation>
    </message>
    <message>
        <source>opposing #%1</source>
        <translation>起抑制作用 第 %1</translation>
    </message>
    <message>
        <source>Example: prompt → response</source>
        <translation>样本：提示 → 回答</translation>
    </message>
</context>
<context>
    <name>zl::ui::RunStore</name>
    <message>
        <source>Could not read the run database %1</source>
        <translation>无法读取运行数据库 %1</translation>
    </message>
    <message>
        <source>Could not read the metrics</source>
        <translation>无法读取指标</translation>
    </message>
    <message>
        <source>Could not delete the run from the database</source>
        <translation>无法从数据库中删除该运行</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
</context>
<context>
    <name>zl::ui::RunsPage</name>
    <message>
        <source>Training loss (smoothed)</source>
        <translation>训练损失（平滑）</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Dev accuracy (%)</source>
        <translation>验证准确率（%）</translation>
    </message>
    <message>
        <source>Dev loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation>内存（MiB）</translation>
    </message>
    <message>
        <source>Peak memory (MiB)</source>
        <translation>峰值内存（MiB）</translation>
    </message>
    <message>
        <source>Seconds per step</source>
        <translation>每步秒数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Projected gradient (ZO)</source>
        <translation>投影梯度（零阶）</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>stopped (resumable)</source>
        <translation>已停止（可继续）</translation>
    </message>
    <message>
        <source>interrupted (resumable)</source>
        <translation>已中断（可继续）</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Delete runs?</source>
        <translation>删除运行？</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s) and their metrics from the database?</source>
        <translation>
            <numerusform>从数据库中删除 %n 个运行及其指标？</numerusform>
        </translation>
    </message>
    <message>
        <source>%1

Their folders (checkpoints, tuned models) stay on disk.</source>
        <translation>%1

它们的文件夹（检查点、微调后的模型）仍保留在磁盘上。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Dev accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Select several runs (Ctrl or Shift) to compare their curves</source>
        <translation>选择多个运行（Ctrl 或 Shift）以比较它们的曲线</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Delete from database…</source>
        <translation>从数据库中删除…</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>指标：</translation>
    </message>
    <message>
        <source>Select runs above to see their curves.</source>
        <translation>在上方选择运行以查看其曲线。</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n metric value(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 个指标值写入 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs in %1</source>
        <translation>%1 中的运行</translation>
    </message>
    <message>
        <source>No runs yet: start one on the Fine-tune page.</source>
        <translation>还没有运行：请在“微调”页面开始一个。</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>The selected runs have no %1 values yet.</source>
        <translation>所选运行还没有 %1 的值。</translation>
    </message>
    <message>
        <source>Only a stopped or interrupted run can be resumed; this one is %1.</source>
        <translation>只有已停止或已中断的运行才能继续；此运行的状态为：%1。</translation>
    </message>
    <message>
        <source>Continue the selected run from its last checkpoint on the Fine-tune page</source>
        <translation>在“微调”页面从最后一个检查点继续所选运行</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) selected</source>
        <translation>
            <numerusform>已选择 %n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <source>Chart written to %1.</source>
        <translation>图表已写入 %1。</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Check that the folder exists and can be written to.</source>
        <translation>请检查该文件夹是否存在且可写入。</translation>
    </message>
    <message>
        <source>%1 is running</source>
        <translation>%1 正在运行</translation>
    </message>
    <message>
        <source>Stop it before deleting it from the database.</source>
        <translation>请先停止它，再从数据库中删除。</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n run(s) from the database; their folders are unchanged.</source>
        <translation>
            <numerusform>已从数据库中删除 %n 个运行；它们的文件夹保持不变。</numerusform>
        </translation>
    </message>
    <message>
        <source>Test accuracy (%)</source>
        <translation>测试准确率 (%)</translation>
    </message>
    <message>
        <source>Test loss</source>
        <translation>测试损失</translation>
    </message>
    <message>
        <source>Memory for inference (MiB)</source>
        <translation>推理内存 (MiB)</translation>
    </message>
</context>
<context>
    <name>zl::ui::ScoreHistogram</name>
    <message>
        <source>Scores of all training examples</source>
        <translation>所有训练样本的得分</translation>
    </message>
    <message>
        <source>Influence score</source>
        <translation>影响得分</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>Shows bins of a few examples, far out in the tails, beside bins of hundreds</source>
        <translation>让远在尾部、只有少数样本的区间与有数百个样本的区间一同可见</translation>
    </message>
</context>
<context>
    <name>zl::ui::TokenView</name>
    <message>
        <source>influence %1</source>
        <translation>影响 %1</translation>
    </message>
</context>
</TS>
