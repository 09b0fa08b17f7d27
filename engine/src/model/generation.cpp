// Token-by-token generation with a KV cache: the prompt in one forward, then one
// position per step; streamed as complete UTF-8 text.
#include "zerolens/generation.h"

#include "model/model_impl.h"
#include "model/sampler.h"
#include "zerolens/error.h"

#include <chrono>

namespace zl {

namespace {

// Bytes at the end of `text` that must be held back: an unfinished character
// (decoded as U+FFFD) or the beginning of a stop string.
std::size_t heldBack(const std::string& text, const std::vector<std::string>& stops)
{
    static const std::string kReplacement = "\xEF\xBF\xBD";
    std::size_t hold = 0;
    while (text.size() >= hold + 3 && text.compare(text.size() - hold - 3, 3, kReplacement) == 0)
        hold += 3;
    for (const auto& s : stops)
        for (std::size_t n = std::min(s.size() - 1, text.size()); n > hold; --n)
            if (text.compare(text.size() - n, n, s, 0, n) == 0) {
                hold = n;
                break;
            }
    return hold;
}

} // namespace

GenerationResult generate(const Model& model, std::string_view prompt, const SamplingOptions& options,
                          const TokenCallback& onToken, std::stop_token stop)
{
    validate(options);
    const auto start = std::chrono::steady_clock::now();
    c10::InferenceMode inference;
    auto& impl = model.impl();
    const auto& tok = model.tokenizer();
    GenerationResult result;
    result.promptIds = tok.encode(prompt, true);
    if (result.promptIds.empty())
        throw InvalidArgument("the prompt is empty and the tokenizer adds no BOS token; type some text");
    const auto maxPos = model.config().maxPositionEmbeddings;
    std::vector<std::int32_t> eos(model.config().eosTokenIds.begin(), model.config().eosTokenIds.end());
    if (tok.eosId())
        eos.push_back(*tok.eosId());

    model::Sampler sampler(options);
    model::KvCache cache;
    std::vector<std::int32_t> history = result.promptIds;
    at::Tensor input = at::tensor(std::vector<std::int64_t>(history.begin(), history.end()), at::kLong).view({1, -1});
    std::size_t emitted = 0;
    result.stopReason = "length";
    for (std::int64_t step = 0; step < options.maxNewTokens; ++step) {
        if (stop.stop_requested()) {
            result.stopReason = "cancelled";
            break;
        }
        if (static_cast<std::int64_t>(history.size()) >= maxPos) {
            result.stopReason = "length";
            break;
        }
        const auto logits = impl.llama.forward(input, at::Tensor(), &cache, /*lastPositionOnly=*/true);
        const auto last = logits[0][logits.size(1) - 1].cpu().contiguous();
        std::vector<float> row(last.data_ptr<float>(), last.data_ptr<float>() + last.numel());
        const std::int32_t id = sampler.next(row, history);
        history.push_back(id);
        if (options.stopAtEos && std::find(eos.begin(), eos.end(), id) != eos.end()) {
            result.stopReason = "eos";
            break;
        }
        result.ids.push_back(id);
        input = at::full({1, 1}, static_cast<std::int64_t>(id), at::kLong);

        std::string text = tok.decode(result.ids, true);
        bool hitStop = false;
        for (const auto& s : options.stopStrings) {
            const auto pos = text.find(s, emitted > s.size() ? emitted - s.size() : 0);
            if (pos != std::string::npos) {
                text.resize(pos);
                hitStop = true;
            }
        }
        const std::size_t stable = hitStop ? text.size() : text.size() - heldBack(text, options.stopStrings);
        bool callbackStop = false;
        if (stable > emitted && onToken)
            callbackStop = onToken(id, std::string_view(text).substr(emitted, stable - emitted));
        emitted = std::max(emitted, stable);
        result.text = text;
        if (hitStop) {
            result.stopReason = "stop_string";
            break;
        }
        if (callbackStop) {
            result.stopReason = "callback";
            break;
        }
    }
    if (result.stopReason != "stop_string")
        result.text = tok.decode(result.ids, true);
    if (result.text.size() > emitted && onToken)
        onToken(result.ids.empty() ? -1 : result.ids.back(), std::string_view(result.text).substr(emitted));
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.tokensPerSecond = result.seconds > 0 ? static_cast<double>(result.ids.size()) / result.seconds : 0.0;
    return result;
}

} // namespace zl
