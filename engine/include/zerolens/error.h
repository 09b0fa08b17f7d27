// The one exception hierarchy the engine throws. Every message is meant for a
// user: it names the file or option, where the problem is, and what was expected.
#pragma once

#include <stdexcept>
#include <string>

namespace zl {

/// Base of every error the engine reports on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A file (checkpoint, config, tokenizer, dataset) is malformed or inconsistent.
class FormatError : public Error {
public:
    using Error::Error;
};

/// An option, argument or request is out of range or unsupported.
class InvalidArgument : public Error {
public:
    using Error::Error;
};

/// The caller asked the work to stop (through its std::stop_token or a callback).
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

/// An allocation on the chosen device failed.
class OutOfMemory : public Error {
public:
    using Error::Error;
};

} // namespace zl
