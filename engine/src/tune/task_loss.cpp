#include "tune/task_loss.h"

#include "runtime/progress_reporter.h"
#include "zerolens/error.h"

namespace zl::tune {

namespace {

// Cross-entropy over the candidates' scores [examples, labels], and accuracy of their argmax.
BatchLoss classificationLoss(const at::Tensor& scores, const std::vector<const EncodedExample*>& batch)
{
    std::vector<std::int64_t> labels;
    for (const auto* ex : batch) {
        if (ex->label < 0 || ex->label >= scores.size(1))
            throw InvalidArgument("an example's label is outside the task's labels");
        labels.push_back(ex->label);
    }
    const auto gold = at::tensor(at::ArrayRef<std::int64_t>(labels), at::kLong).to(scores.device());
    const auto ce = at::nll_loss(at::log_softmax(scores, 1), gold, {}, at::Reduction::None);
    BatchLoss out;
    out.examples = static_cast<std::int64_t>(batch.size());
    out.loss = ce.mean();
    out.lossSum = ce.sum().item<double>();
    out.lossCount = out.examples;
    out.correct = scores.argmax(1).eq(gold).sum().item<std::int64_t>();
    return out;
}

} // namespace

std::int64_t joinSequence(const std::vector<std::int32_t>& prompt, const std::vector<std::int32_t>& target,
                          std::int64_t maxLength, std::vector<std::int32_t>& out)
{
    const auto keepTarget = std::min<std::int64_t>(static_cast<std::int64_t>(target.size()), maxLength - 1);
    const auto keepPrompt = std::min<std::int64_t>(static_cast<std::int64_t>(prompt.size()), maxLength - keepTarget);
    out.assign(prompt.end() - keepPrompt, prompt.end());
    out.insert(out.end(), target.begin(), target.begin() + keepTarget);
    return keepPrompt;
}

EncodedTask encodeTask(const TaskSpec& task, const Tokenizer& tokenizer, std::int64_t maxLength)
{
    if (maxLength < 2)
        throw InvalidArgument("the maximum length must be at least 2 tokens");
    EncodedTask t;
    t.kind = task.kind;
    t.maxLength = maxLength;
    for (const auto& w : task.labelWords) {
        auto ids = tokenizer.encode(w, /*addSpecialTokens=*/false);
        if (ids.empty())
            throw InvalidArgument("label word \"" + w + "\" has no tokens");
        t.labelIds.push_back(std::move(ids));
    }
    return t;
}

std::vector<EncodedExample> encodeExamples(const std::vector<Example>& examples, const Tokenizer& tokenizer)
{
    std::vector<EncodedExample> out;
    out.reserve(examples.size());
    for (const auto& e : examples) {
        EncodedExample x;
        x.prompt = tokenizer.encode(e.prompt, /*addSpecialTokens=*/true);
        if (x.prompt.empty() && tokenizer.bosId())
            x.prompt.push_back(*tokenizer.bosId());
        if (!e.response.empty()) {
            x.response = tokenizer.encode(e.response, /*addSpecialTokens=*/false);
            if (tokenizer.eosId())
                x.response.push_back(*tokenizer.eosId());
        }
        x.label = e.label;
        out.push_back(std::move(x));
    }
    return out;
}

BatchLoss batchLoss(const model::Llama& llama, const EncodedTask& task, const std::vector<const EncodedExample*>& batch)
{
    if (batch.empty())
        throw InvalidArgument("empty batch");
    const bool classify = task.kind == TaskKind::Classify;
    // Single-token label words are all scored from the logits after the prompt:
    // one sequence per example instead of one per label (as MeZO does).
    bool singleToken = classify;
    for (const auto& ids : task.labelIds)
        singleToken = singleToken && ids.size() == 1;
    const auto perExample = classify && !singleToken ? task.labelIds.size() : std::size_t{1};
    std::vector<std::vector<std::int32_t>> seqs;
    std::vector<std::int64_t> targetStart;
    for (const auto* ex : batch)
        for (std::size_t l = 0; l < perExample; ++l) {
            std::vector<std::int32_t> seq;
            const auto& target = singleToken ? task.labelIds[0] : classify ? task.labelIds[l] : ex->response;
            if (target.empty())
                throw InvalidArgument("an example has no target tokens");
            targetStart.push_back(joinSequence(ex->prompt, target, task.maxLength, seq));
            if (singleToken)
                seq.pop_back(); // the label position itself is scored below, for every label at once
            if (seq.empty())
                throw InvalidArgument("an example has an empty prompt and the tokenizer no BOS token");
            seqs.push_back(std::move(seq));
        }
    std::int64_t T = 0;
    for (const auto& s : seqs)
        T = std::max<std::int64_t>(T, static_cast<std::int64_t>(s.size()));
    const auto N = static_cast<std::int64_t>(seqs.size());
    auto ids = at::zeros({N, T}, at::kLong);
    auto lengths = at::empty({N}, at::kLong);
    std::vector<std::int64_t> rows, targets, owner;
    auto* ip = ids.data_ptr<std::int64_t>();
    for (std::int64_t n = 0; n < N; ++n) {
        const auto& s = seqs[static_cast<std::size_t>(n)];
        const auto len = static_cast<std::int64_t>(s.size());
        lengths.data_ptr<std::int64_t>()[n] = len;
        for (std::int64_t t = 0; t < len; ++t) {
            if (s[static_cast<std::size_t>(t)] < 0 || s[static_cast<std::size_t>(t)] >= llama.config.vocabSize)
                throw InvalidArgument("token id outside the model's vocabulary");
            ip[n * T + t] = s[static_cast<std::size_t>(t)];
        }
        if (singleToken) {
            rows.push_back(n * T + len - 1);
            continue;
        }
        // Target token t is predicted by the logits of position t - 1.
        for (auto t = std::max<std::int64_t>(1, targetStart[static_cast<std::size_t>(n)]); t < len; ++t) {
            rows.push_back(n * T + t - 1);
            targets.push_back(s[static_cast<std::size_t>(t)]);
            owner.push_back(n);
        }
    }
    const auto device = llama.device;
    const auto h = llama.hidden(ids, lengths);
    auto idx = [&](const std::vector<std::int64_t>& v) {
        return at::tensor(at::ArrayRef<std::int64_t>(v), at::kLong).to(device);
    };
    // Only the scored positions go through the vocabulary projection.
    const auto picked = llama.logits(h.reshape({N * T, h.size(-1)}).index_select(0, idx(rows)));
    const auto logProbs = at::log_softmax(picked, -1);
    if (singleToken) {
        std::vector<std::int64_t> labelTokens;
        for (const auto& l : task.labelIds)
            labelTokens.push_back(l[0]);
        return classificationLoss(logProbs.index_select(1, idx(labelTokens)), batch);
    }
    const auto tokenLogProb = logProbs.gather(1, idx(targets).unsqueeze(1)).squeeze(1);
    BatchLoss out;
    out.examples = static_cast<std::int64_t>(batch.size());
    if (!classify) {
        out.loss = -tokenLogProb.mean();
        out.lossCount = static_cast<std::int64_t>(targets.size());
        out.lossSum = out.loss.item<double>() * static_cast<double>(out.lossCount);
        return out;
    }
    // Mean log-probability of each candidate's tokens, then CE over candidates.
    const auto sums = at::zeros({N}, tokenLogProb.options()).index_add(0, idx(owner), tokenLogProb);
    std::vector<float> counts(static_cast<std::size_t>(N), 0.0f);
    for (const auto o : owner)
        counts[static_cast<std::size_t>(o)] += 1.0f;
    for (auto& c : counts)
        c = std::max(c, 1.0f); // a candidate with no scored token (no prompt at all) scores 0
    const auto scores = (sums / at::tensor(at::ArrayRef<float>(counts)).to(device))
                            .view({static_cast<std::int64_t>(batch.size()), static_cast<std::int64_t>(perExample)});
    return classificationLoss(scores, batch);
}

SplitScore evaluateSplit(const model::Llama& llama, const EncodedTask& task, const std::vector<EncodedExample>& split,
                         std::int64_t batchSize, std::stop_token stop, EventSink* sink, const std::string& stage)
{
    SplitScore s;
    if (split.empty())
        return s;
    c10::InferenceMode inference;
    double lossSum = 0.0;
    std::int64_t lossCount = 0, correct = 0;
    const auto batches = (static_cast<std::int64_t>(split.size()) + batchSize - 1) / batchSize;
    runtime::ProgressReporter progress(sink, stage, batches, stop);
    for (std::size_t b = 0; b < split.size(); b += static_cast<std::size_t>(batchSize)) {
        progress.checkStop();
        std::vector<const EncodedExample*> batch;
        for (std::size_t i = b; i < std::min(split.size(), b + static_cast<std::size_t>(batchSize)); ++i)
            batch.push_back(&split[i]);
        const auto r = batchLoss(llama, task, batch);
        lossSum += r.lossSum;
        lossCount += r.lossCount;
        correct += r.correct;
        progress.update(static_cast<std::int64_t>(b) / batchSize + 1);
    }
    s.examples = static_cast<std::int64_t>(split.size());
    s.loss = lossCount > 0 ? lossSum / static_cast<double>(lossCount) : -1.0;
    if (task.kind == TaskKind::Classify)
        s.accuracy = static_cast<double>(correct) / static_cast<double>(split.size());
    return s;
}

} // namespace zl::tune
