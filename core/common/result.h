#pragma once

#include <QString>

#include "expected_compat.h"
#include <utility>

namespace Vigil {

/// What kind of failure an Error describes; callers branch on this, people read the message.
enum class ErrorCode {
    InvalidArgument,  ///< the input is malformed or out of range
    NotFound,         ///< the thing asked for does not exist
    Unsupported,      ///< well-formed, but not something Vigil handles
    IoError,          ///< a socket, file or database call failed
    Timeout,          ///< the peer did not answer in time
    Rejected,         ///< the peer answered with a failure
    Internal,         ///< a bug; the message says where
};

/// A recoverable failure: a code for the program and a message for the person reading it.
/// The message is already translated when it is meant for operators.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

/// The return type of everything that can fail in a way the caller is expected to handle.
/// (g++ 12's std::expected has no and_then()/transform(); spell those out.)
template <typename T>
using Result = std::expected<T, Error>;

/// Shorthand for `std::unexpected(Error{code, message})`.
inline std::unexpected<Error> fail(ErrorCode code, QString message)
{
    return std::unexpected<Error>(Error{code, std::move(message)});
}

} // namespace Vigil
