#define PCRE2_CODE_UNIT_WIDTH 8
#include "tokenizer/regex.h"

#include "zerolens/error.h"

#include <pcre2.h>

#include <algorithm>
#include <cstdint>

namespace zl::tok {

namespace {

// Bounds on one pcre2_match call, so that a pattern that backtracks
// catastrophically (a Split pattern in a hostile tokenizer.json) fails with an
// error after work linear in the text instead of running for hours. Real split
// patterns may backtrack over the rest of the text once per call (Llama 3's
// \s*[\r\n]+ over a long run of spaces: one step per byte, measured), so the
// match limit grows with the bytes left to match; exponential patterns hit it
// anyway. They use no nested group repeats, far below the depth limit.
constexpr std::uint64_t kMatchLimitBase = 1'000'000;
constexpr std::uint64_t kMatchLimitPerByte = 16;
constexpr std::uint32_t kDepthLimit = 100'000;

std::uint32_t matchLimit(std::size_t bytesLeft)
{
    const std::uint64_t limit = kMatchLimitBase + kMatchLimitPerByte * static_cast<std::uint64_t>(bytesLeft);
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(limit, UINT32_MAX));
}

struct MatchContext {
    pcre2_match_context* context = pcre2_match_context_create(nullptr);
    ~MatchContext() { pcre2_match_context_free(context); }
    MatchContext(const MatchContext&) = delete;
    MatchContext& operator=(const MatchContext&) = delete;
    MatchContext() = default;
};

} // namespace

struct Regex::Code {
    pcre2_code* code = nullptr;
    std::string origin;
    std::string pattern; // a short prefix, for messages
    ~Code() { pcre2_code_free(code); }
};

Regex::Regex(const std::string& pattern, const std::string& origin) : m_code(std::make_unique<Code>())
{
    int err = 0;
    PCRE2_SIZE errOffset = 0;
    m_code->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF | PCRE2_UCP,
                                 &err, &errOffset, nullptr);
    if (!m_code->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        throw FormatError(origin + ": invalid regular expression at offset " + std::to_string(errOffset) + ": " +
                          reinterpret_cast<const char*>(msg));
    }
    pcre2_jit_compile(m_code->code, PCRE2_JIT_COMPLETE); // optional speed-up; falls back to the interpreter
    m_code->origin = origin;
    m_code->pattern = pattern.size() <= 60 ? pattern : pattern.substr(0, 60) + "…";
}

Regex::~Regex() = default;

std::vector<std::pair<std::size_t, std::size_t>> Regex::findAll(std::string_view s) const
{
    std::vector<std::pair<std::size_t, std::size_t>> out;
    // One context per call, not per pattern: the limit changes with the position,
    // and a tokenizer may encode on several threads at once.
    const MatchContext limits;
    if (!limits.context)
        throw OutOfMemory("cannot allocate a regular-expression match context");
    pcre2_set_depth_limit(limits.context, kDepthLimit);
    pcre2_match_data* md = pcre2_match_data_create_from_pattern(m_code->code, nullptr);
    if (!md)
        throw OutOfMemory("cannot allocate regular-expression match data");
    std::size_t pos = 0;
    while (pos <= s.size()) {
        pcre2_set_match_limit(limits.context, matchLimit(s.size() - pos));
        // Input was validated as UTF-8 before reaching here, so skip the check.
        int rc = pcre2_match(m_code->code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), pos, PCRE2_NO_UTF_CHECK,
                             md, limits.context);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT) // JIT's small stack: the interpreter has the depth limit instead
            rc = pcre2_match(m_code->code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), pos,
                             PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, md, limits.context);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            // Never "no match": an inverted Split would then drop the whole text.
            pcre2_match_data_free(md);
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(rc, msg, sizeof msg);
            const bool limit =
                rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT;
            throw FormatError(
                m_code->origin + ": the tokenizer's pattern \"" + m_code->pattern + "\" " +
                (limit ? "is too expensive on this text" : "failed on this text") + " (at byte " + std::to_string(pos) +
                " of " + std::to_string(s.size()) + ": " + reinterpret_cast<const char*>(msg) +
                (limit ? "); the pattern backtracks catastrophically, fix it in the tokenizer file" : ")"));
        }
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        const std::size_t b = ov[0];
        const std::size_t e = ov[1];
        if (e > b) {
            out.emplace_back(b, e);
            pos = e;
        } else {
            // Empty match: step over one whole character.
            pos = b + 1;
            while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80)
                ++pos;
        }
    }
    pcre2_match_data_free(md);
    return out;
}

} // namespace zl::tok
