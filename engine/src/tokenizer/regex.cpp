#define PCRE2_CODE_UNIT_WIDTH 8
#include "tokenizer/regex.h"

#include "zerolens/error.h"

#include <pcre2.h>

namespace zl::tok {

struct Regex::Code {
    pcre2_code* code = nullptr;
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
}

Regex::~Regex() = default;

std::vector<std::pair<std::size_t, std::size_t>> Regex::findAll(std::string_view s) const
{
    std::vector<std::pair<std::size_t, std::size_t>> out;
    pcre2_match_data* md = pcre2_match_data_create_from_pattern(m_code->code, nullptr);
    std::size_t pos = 0;
    while (pos <= s.size()) {
        // Input was validated as UTF-8 before reaching here, so skip the check.
        const int rc = pcre2_match(m_code->code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), pos,
                                   PCRE2_NO_UTF_CHECK, md, nullptr);
        if (rc < 0)
            break;
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
