#pragma once

#include <QByteArrayView>

#include <cstdint>

namespace Vigil::Sip {

/// SIP request methods Vigil knows by name. Anything else is Other; its text stays in the message.
enum class Method : std::uint8_t {
    Other,
    Invite,
    Ack,
    Bye,
    Cancel,
    Register,
    Options,
    Message,
    Subscribe,
    Notify,
    Info,
    Update,
    Prack,
    Refer,
    Publish,
};

/// Case-sensitive, as RFC 3261 says method names are: "invite" is an unknown method.
Method methodFromName(QByteArrayView name) noexcept;
/// The canonical name ("INVITE"...); empty for Method::Other.
QByteArrayView methodName(Method method) noexcept;

} // namespace Vigil::Sip
