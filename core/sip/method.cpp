#include "method.h"

namespace Vigil::Sip {

namespace {

struct MethodName {
    Method method;
    QByteArrayView name;
};

constexpr MethodName kMethods[] = {
    {Method::Invite, "INVITE"},     {Method::Ack, "ACK"},         {Method::Bye, "BYE"},
    {Method::Cancel, "CANCEL"},     {Method::Register, "REGISTER"}, {Method::Options, "OPTIONS"},
    {Method::Message, "MESSAGE"},   {Method::Subscribe, "SUBSCRIBE"}, {Method::Notify, "NOTIFY"},
    {Method::Info, "INFO"},         {Method::Update, "UPDATE"},   {Method::Prack, "PRACK"},
    {Method::Refer, "REFER"},       {Method::Publish, "PUBLISH"},
};

} // namespace

Method methodFromName(QByteArrayView name) noexcept
{
    for (const auto &entry : kMethods) {
        if (entry.name == name)
            return entry.method;
    }
    return Method::Other;
}

QByteArrayView methodName(Method method) noexcept
{
    for (const auto &entry : kMethods) {
        if (entry.method == method)
            return entry.name;
    }
    return {};
}

} // namespace Vigil::Sip
