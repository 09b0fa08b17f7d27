// Reader of WordNet 3.0's data.noun / data.verb / data.adj / data.adv files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace zl::io {

struct Synset {
    std::string offset;
    int lexFile = 0;                ///< lexicographer file number: 5 = noun.animal, 13 = noun.food, ...
    char pos = 'n';                 ///< n, v, a, s (satellite adjective) or r
    std::vector<std::string> words; ///< lemmas with spaces for underscores
    std::string definition;         ///< the gloss before its examples
    std::vector<std::string> examples;
};

/// Reads all synsets of one data file, in file order. Throws FormatError naming
/// the file and line for a malformed entry.
std::vector<Synset> readWordnetData(const std::filesystem::path& file);

} // namespace zl::io
