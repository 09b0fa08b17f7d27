// Reading fine-tuning datasets (JSONL, CSV, TSV; single files or task folders)
// into formatted examples; see zerolens/dataset.h.
#include "zerolens/dataset.h"

#include "io/json_file.h"
#include "io/text_file.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <random>
#include <set>

namespace zl {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Row = std::map<std::string, std::string>;

/// Largest dataset file read (a million short rows is ~100 MiB).
constexpr std::uint64_t kMaxDatasetBytes = 1ull << 30;

// Stanford Alpaca's prompt (tatsu-lab/stanford_alpaca, train.py PROMPT_DICT).
const char* const kAlpacaWithInput =
    "Below is an instruction that describes a task, paired with an input that provides further context. "
    "Write a response that appropriately completes the request.\n\n"
    "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n";
const char* const kAlpacaNoInput = "Below is an instruction that describes a task. "
                                   "Write a response that appropriately completes the request.\n\n"
                                   "### Instruction:\n{instruction}\n\n### Response:\n";

struct RowError {
    std::string message;
};

struct SourceRow {
    Row fields;
    std::int64_t line = 0;
};

// One line at a time, tracking line numbers; CSV fields may span lines inside quotes.
std::vector<SourceRow> parseDelimited(const std::string& text, char sep, bool quotes, const fs::path& file, bool strict,
                                      std::vector<std::string>& warnings)
{
    std::vector<std::vector<std::string>> records;
    std::vector<std::int64_t> lines;
    std::vector<std::string> record;
    std::string field;
    bool inQuotes = false, fieldStarted = false;
    std::int64_t line = 1, recordLine = 1;
    auto endField = [&] {
        record.push_back(std::move(field));
        field.clear();
        fieldStarted = false;
    };
    auto endRecord = [&] {
        endField();
        if (!(record.size() == 1 && record[0].empty())) {
            records.push_back(std::move(record));
            lines.push_back(recordLine);
        }
        record.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inQuotes) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                inQuotes = false;
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (quotes && c == '"' && !fieldStarted) {
            inQuotes = true;
            fieldStarted = true;
        } else if (c == sep) {
            endField();
        } else if (c == '\n') {
            if (!field.empty() && field.back() == '\r')
                field.pop_back();
            endRecord();
            recordLine = ++line;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (inQuotes)
        throw FormatError(file.string() + ":" + std::to_string(recordLine) + ": a quoted field is never closed");
    if (!field.empty() || !record.empty())
        endRecord();
    if (records.empty())
        return {};
    const auto header = records.front();
    std::vector<SourceRow> rows;
    for (std::size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != header.size()) {
            const std::string why = file.string() + ":" + std::to_string(lines[r]) + ": " +
                                    std::to_string(records[r].size()) + " fields, the header has " +
                                    std::to_string(header.size());
            if (strict)
                throw FormatError(why);
            warnings.push_back(why + " (row skipped)");
            continue;
        }
        SourceRow row{{}, lines[r]};
        for (std::size_t c = 0; c < header.size(); ++c)
            row.fields[header[c]] = records[r][c];
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<SourceRow> parseJsonLines(const std::string& text, const fs::path& file, bool strict,
                                      std::vector<std::string>& warnings)
{
    std::vector<SourceRow> rows;
    std::int64_t line = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = std::min(text.find('\n', pos), text.size());
        const std::string_view content(text.data() + pos, end - pos);
        pos = end + 1;
        ++line;
        if (content.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        const std::string where = file.string() + ":" + std::to_string(line);
        try {
            const json j = io::parseJson(content, where);
            if (!j.is_object())
                throw FormatError(where + ": expected a JSON object, found " + io::describeJson(j));
            SourceRow row{{}, line};
            for (const auto& [key, value] : j.items())
                row.fields[key] = value.is_string() ? value.get<std::string>() : value.dump();
            rows.push_back(std::move(row));
        } catch (const FormatError& e) {
            if (strict)
                throw;
            warnings.push_back(std::string(e.what()) + " (line skipped)");
        }
    }
    return rows;
}

// Start offsets of the top-level elements of a JSON array, found by tracking
// strings and nesting (so each row can name its line).
std::vector<std::size_t> arrayElementStarts(const std::string& text, std::size_t open)
{
    std::vector<std::size_t> starts;
    int depth = 0;
    bool inString = false, expectElement = true;
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (depth == 0 && expectElement && c != ']') {
            starts.push_back(i);
            expectElement = false;
        }
        if (c == '"')
            inString = true;
        else if (c == '[' || c == '{')
            ++depth;
        else if ((c == ']' || c == '}') && depth-- == 0)
            break;
        else if (c == ',' && depth == 0)
            expectElement = true;
    }
    return starts;
}

// A JSON array of objects (Alpaca's alpaca_data.json). The whole file must parse.
std::vector<SourceRow> parseJsonArray(const std::string& text, std::size_t open, const fs::path& file, bool strict,
                                      std::vector<std::string>& warnings)
{
    const json all = io::parseJson(text, file.string());
    if (!all.is_array())
        throw FormatError(file.string() + ": expected a JSON array of objects, found " + io::describeJson(all));
    const auto starts = arrayElementStarts(text, open);
    std::vector<SourceRow> rows;
    std::size_t counted = 0;
    std::int64_t line = 1;
    for (std::size_t e = 0; e < all.size(); ++e) {
        if (e < starts.size()) {
            line += static_cast<std::int64_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                                         text.begin() + static_cast<std::ptrdiff_t>(starts[e]), '\n'));
            counted = starts[e];
        }
        const auto& j = all[e];
        if (!j.is_object()) {
            const std::string why = file.string() + ":" + std::to_string(line) + ": element " + std::to_string(e) +
                                    " is " + io::describeJson(j) + ", not an object";
            if (strict)
                throw FormatError(why);
            warnings.push_back(why + " (element skipped)");
            continue;
        }
        SourceRow row{{}, line};
        for (const auto& [key, value] : j.items())
            row.fields[key] = value.is_string() ? value.get<std::string>() : value.dump();
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<SourceRow> readRows(const fs::path& file, bool strict, std::vector<std::string>& warnings,
                                std::string& bytes)
{
    bytes = io::readTextFile(file, kMaxDatasetBytes);
    const auto ext = file.extension().string();
    if (ext == ".json") {
        const auto first = bytes.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && bytes[first] == '[')
            return parseJsonArray(bytes, first, file, strict, warnings);
    }
    if (ext == ".jsonl" || ext == ".json")
        return parseJsonLines(bytes, file, strict, warnings);
    if (ext == ".csv")
        return parseDelimited(bytes, ',', true, file, strict, warnings);
    if (ext == ".tsv")
        return parseDelimited(bytes, '\t', false, file, strict, warnings);
    throw InvalidArgument(file.string() + ": unknown dataset format '" + ext +
                          "' (expected .jsonl, .json, .csv or .tsv)");
}

// "{sentence} It was" with each {name} replaced by field(name); "{{" and "}}"
// are literal braces.
template <typename Field> std::string fillTemplateWith(const std::string& tmpl, const Field& field)
{
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl.compare(i, 2, "{{") == 0 || tmpl.compare(i, 2, "}}") == 0) {
            out += tmpl[i];
            ++i;
        } else if (tmpl[i] == '{') {
            const auto close = tmpl.find('}', i);
            if (close == std::string::npos)
                throw InvalidArgument("prompt template: '{' at " + std::to_string(i) + " is never closed");
            out += field(tmpl.substr(i + 1, close - i - 1));
            i = close;
        } else {
            out += tmpl[i];
        }
    }
    return out;
}

std::string fillTemplate(const std::string& tmpl, const Row& row, std::set<std::string>& used)
{
    return fillTemplateWith(tmpl, [&](const std::string& name) {
        const auto it = row.find(name);
        if (it == row.end())
            throw RowError{"no field \"" + name + "\" for the prompt template"};
        used.insert(name);
        return it->second;
    });
}

// The fields no prompt, label or response used, as a JSON object; values that
// read as JSON scalars (true, 3, null) keep their type.
std::string rowMetadata(const Row& row, const std::set<std::string>& used)
{
    json meta = json::object();
    for (const auto& [key, value] : row) {
        if (used.count(key))
            continue;
        json parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
        meta[key] = !parsed.is_discarded() && parsed.is_primitive() && !parsed.is_string() ? parsed : json(value);
    }
    return meta.dump();
}

Example makeExample(const TaskSpec& task, const Row& row)
{
    Example ex;
    std::set<std::string> used;
    if (task.kind == TaskKind::Classify) {
        ex.prompt = fillTemplate(task.promptTemplate, row, used);
        const auto it = row.find(task.labelField);
        if (it == row.end())
            throw RowError{"no label field \"" + task.labelField + "\""};
        const auto named = std::find(task.labels.begin(), task.labels.end(), it->second);
        if (named != task.labels.end()) {
            ex.label = static_cast<int>(named - task.labels.begin());
        } else {
            int index = -1;
            const auto& s = it->second;
            const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), index);
            if (ec != std::errc() || p != s.data() + s.size() || index < 0 ||
                index >= static_cast<int>(task.labels.size()))
                throw RowError{"label \"" + s + "\" is not one of the task's labels"};
            ex.label = index;
        }
        used.insert(task.labelField);
        ex.metadata = rowMetadata(row, used);
        return ex;
    }
    std::string responseField = task.responseField;
    if (responseField.empty())
        responseField = row.count("response") ? "response" : "output";
    const auto resp = row.find(responseField);
    if (resp == row.end())
        throw RowError{"no response field \"" + responseField + "\""};
    ex.response = resp->second;
    used.insert(responseField);
    if (!task.promptTemplate.empty()) {
        ex.prompt = fillTemplate(task.promptTemplate, row, used);
    } else if (row.count("instruction")) {
        const auto input = row.find("input");
        ex.prompt =
            fillTemplate(input != row.end() && !input->second.empty() ? kAlpacaWithInput : kAlpacaNoInput, row, used);
        used.insert("input");
    } else if (const auto prompt = row.find("prompt"); prompt != row.end()) {
        ex.prompt = prompt->second;
        used.insert("prompt");
    } else {
        throw RowError{"no \"prompt\" or \"instruction\" field, and no prompt template"};
    }
    if (ex.response.empty())
        throw RowError{"empty response"};
    ex.metadata = rowMetadata(row, used);
    return ex;
}

std::vector<std::string> stringList(const json& j, const char* key, const std::string& where)
{
    const auto* v = io::findMember(j, key);
    if (!v)
        return {};
    if (!v->is_array())
        throw FormatError(where + ": \"" + key + "\" must be an array of strings");
    std::vector<std::string> out;
    for (const auto& s : *v) {
        if (!s.is_string())
            throw FormatError(where + ": \"" + key + "\" must be an array of strings, found " + io::describeJson(s));
        out.push_back(s.get<std::string>());
    }
    return out;
}

// The task a folder describes: task.json, or meta.json of an Alpaca instruction set.
std::optional<TaskSpec> folderTask(const fs::path& dir)
{
    TaskSpec t;
    if (fs::exists(dir / "task.json")) {
        const auto where = (dir / "task.json").string();
        const json j = io::readJsonFile(dir / "task.json", io::kMaxSmallJsonBytes);
        if (!j.is_object())
            throw FormatError(where + ": expected a JSON object");
        t.kind = taskKindFromName(io::stringMember(j, "task", "classify", where));
        t.promptTemplate = io::stringMember(j, "prompt", "", where);
        t.labels = stringList(j, "labels", where);
        t.labelWords = stringList(j, "label_words", where);
        t.labelField = io::stringMember(j, "label_field", "label", where);
        t.responseField = io::stringMember(j, "response_field", "", where);
        return t;
    }
    if (fs::exists(dir / "meta.json")) {
        const auto where = (dir / "meta.json").string();
        const json j = io::readJsonFile(dir / "meta.json", io::kMaxSmallJsonBytes);
        if (io::stringMember(j, "format", "", where) == "alpaca") {
            t.kind = TaskKind::Generate;
            return t;
        }
    }
    return std::nullopt;
}

std::optional<fs::path> splitFile(const fs::path& dir, std::initializer_list<const char*> names)
{
    for (const char* name : names)
        for (const char* ext : {".jsonl", ".json", ".csv", ".tsv"})
            if (fs::is_regular_file(dir / (std::string(name) + ext)))
                return dir / (std::string(name) + ext);
    return std::nullopt;
}

void checkTask(const TaskSpec& t)
{
    if (t.kind != TaskKind::Classify)
        return;
    if (t.promptTemplate.empty())
        throw InvalidArgument("a classification task needs a prompt template, e.g. \"{sentence} It was\"");
    if (t.labels.size() < 2)
        throw InvalidArgument("a classification task needs at least two labels");
    if (t.labelWords.size() != t.labels.size())
        throw InvalidArgument("a classification task needs one label word per label (" +
                              std::to_string(t.labels.size()) + " labels, " + std::to_string(t.labelWords.size()) +
                              " label words)");
    for (const auto& w : t.labelWords)
        if (w.empty())
            throw InvalidArgument("label words must not be empty");
}

} // namespace

std::string applyPromptTemplate(const std::string& tmpl, const std::string& text)
{
    return fillTemplateWith(tmpl, [&](const std::string&) { return text; });
}

std::string promptFilling(const std::string& tmpl, const std::string& prompt)
{
    const auto open = tmpl.find('{'), close = tmpl.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return prompt;
    const auto prefix = applyPromptTemplate(tmpl.substr(0, open), "");
    const auto suffix = applyPromptTemplate(tmpl.substr(close + 1), "");
    if (prompt.size() < prefix.size() + suffix.size() || prompt.compare(0, prefix.size(), prefix) != 0 ||
        prompt.compare(prompt.size() - suffix.size(), suffix.size(), suffix) != 0)
        return prompt;
    return prompt.substr(prefix.size(), prompt.size() - prefix.size() - suffix.size());
}

std::string taskKindName(TaskKind kind)
{
    return kind == TaskKind::Classify ? "classify" : "generate";
}

TaskKind taskKindFromName(const std::string& name)
{
    if (name == "classify" || name == "classification")
        return TaskKind::Classify;
    if (name == "generate" || name == "generation")
        return TaskKind::Generate;
    throw InvalidArgument("unknown task '" + name + "' (expected classify or generate)");
}

Dataset loadDataset(const DatasetOptions& o)
{
    if (!(o.devFraction >= 0 && o.testFraction >= 0 && o.devFraction + o.testFraction < 1))
        throw InvalidArgument("dev and test fractions must be >= 0 and leave rows for training");
    if (o.maxTrain < 0 || o.maxDev < 0 || o.maxTest < 0)
        throw InvalidArgument("example limits must be >= 0");
    if (o.path.empty())
        throw InvalidArgument("no dataset given");
    if (!fs::exists(o.path))
        throw InvalidArgument(o.path.string() + " does not exist");
    Dataset d;
    std::optional<fs::path> files[3]; // train, dev, test
    if (fs::is_directory(o.path)) {
        const auto t = folderTask(o.path);
        if (t)
            d.task = *t;
        else if (!o.taskGiven)
            throw FormatError(o.path.string() +
                              ": no task.json (classification: prompt, labels, label_words) or Alpaca meta.json");
        files[0] = splitFile(o.path, {"train"});
        files[1] = splitFile(o.path, {"dev", "validation", "valid"});
        files[2] = splitFile(o.path, {"test"});
        if (!files[0])
            throw FormatError(o.path.string() + ": no train.jsonl, train.csv or train.tsv");
    } else {
        files[0] = o.path;
        // A lone file without task options is prompt/response (or Alpaca) rows.
        d.task.kind = TaskKind::Generate;
    }
    if (o.taskGiven) {
        // Options override what the folder says, field by field.
        const auto& g = o.task;
        d.task.kind = g.kind;
        if (!g.promptTemplate.empty())
            d.task.promptTemplate = g.promptTemplate;
        if (!g.labels.empty())
            d.task.labels = g.labels;
        if (!g.labelWords.empty())
            d.task.labelWords = g.labelWords;
        if (!g.labelField.empty())
            d.task.labelField = g.labelField;
        if (!g.responseField.empty())
            d.task.responseField = g.responseField;
    }
    if (d.task.kind == TaskKind::Classify && d.task.labelWords.empty())
        d.task.labelWords = [&] {
            std::vector<std::string> words;
            for (const auto& l : d.task.labels)
                words.push_back(" " + l);
            return words;
        }();
    checkTask(d.task);
    d.promptTemplate = d.task.promptTemplate;

    std::string identity;
    std::vector<Example>* targets[3] = {&d.train, &d.dev, &d.test};
    for (int s = 0; s < 3; ++s) {
        if (!files[s])
            continue;
        std::string bytes;
        const auto rows = readRows(*files[s], o.strict, d.warnings, bytes);
        identity += io::fingerprint(bytes) + ";";
        d.files.push_back(*files[s]);
        for (const auto& row : rows) {
            try {
                auto ex = makeExample(d.task, row.fields);
                ex.source = files[s]->string();
                ex.line = row.line;
                if (d.promptTemplate.empty() && d.task.promptTemplate.empty() && row.fields.count("instruction"))
                    d.promptTemplate = kAlpacaNoInput;
                targets[s]->push_back(std::move(ex));
            } catch (const RowError& e) {
                const std::string why = files[s]->string() + ":" + std::to_string(row.line) + ": " + e.message;
                if (o.strict)
                    throw FormatError(why);
                d.warnings.push_back(why + " (row skipped)");
            }
        }
    }
    // Missing dev/test splits are cut from the training rows after a seeded shuffle.
    if (!files[1] || !files[2]) {
        std::mt19937_64 rng(o.splitSeed);
        for (std::size_t i = d.train.size(); i > 1; --i)
            std::swap(d.train[i - 1], d.train[static_cast<std::size_t>(rng() % i)]);
        const auto n = static_cast<double>(d.train.size());
        const auto nDev = files[1] ? 0 : static_cast<std::size_t>(n * o.devFraction);
        const auto nTest = files[2] ? 0 : static_cast<std::size_t>(n * o.testFraction);
        d.dev.insert(d.dev.end(), d.train.end() - static_cast<std::ptrdiff_t>(nDev), d.train.end());
        d.train.resize(d.train.size() - nDev);
        d.test.insert(d.test.end(), d.train.end() - static_cast<std::ptrdiff_t>(nTest), d.train.end());
        d.train.resize(d.train.size() - nTest);
        identity += "split:" + std::to_string(o.splitSeed) + ":" + std::to_string(o.devFraction) + ":" +
                    std::to_string(o.testFraction);
    }
    auto cap = [](std::vector<Example>& v, std::int64_t n) {
        if (n > 0 && static_cast<std::int64_t>(v.size()) > n)
            v.resize(static_cast<std::size_t>(n));
    };
    cap(d.train, o.maxTrain);
    cap(d.dev, o.maxDev);
    cap(d.test, o.maxTest);
    if (d.train.empty())
        throw InvalidArgument(files[0]->string() + ": no usable training rows" +
                              (d.warnings.empty() ? std::string() : " (first problem: " + d.warnings.front() + ")"));
    identity += "|" + taskKindName(d.task.kind) + "|" + d.task.promptTemplate;
    for (const auto& w : d.task.labelWords)
        identity += "|" + w;
    identity += "|" + std::to_string(o.maxTrain) + "," + std::to_string(o.maxDev) + "," + std::to_string(o.maxTest);
    d.fingerprint = io::fingerprint(identity);
    return d;
}

} // namespace zl
