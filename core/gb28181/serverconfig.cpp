#include "serverconfig.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace Vigil::Gb {

namespace {

Result<int> intValue(const QVariantMap &settings, const QString &key, int current, int min, int max)
{
    if (!settings.contains(key))
        return current;
    bool ok = false;
    const int value = settings.value(key).toString().trimmed().toInt(&ok);
    if (!ok || value < min || value > max)
        return fail(ErrorCode::InvalidArgument,
                    ServerConfig::tr("Setting %1 must be a whole number from %2 to %3, not \"%4\".")
                        .arg(key)
                        .arg(min)
                        .arg(max)
                        .arg(settings.value(key).toString()));
    return value;
}

Result<QHostAddress> addressValue(const QString &key, const QString &text)
{
    QHostAddress address;
    if (!address.setAddress(text.trimmed()))
        return fail(ErrorCode::InvalidArgument,
                    ServerConfig::tr("Setting %1 must be an IP address, not \"%2\".").arg(key, text));
    return address;
}

} // namespace

Result<void> ServerConfig::validate() const
{
    if (domain.size() != 10 || !std::all_of(domain.begin(), domain.end(), [](QChar c) { return c.isDigit(); }))
        return fail(ErrorCode::InvalidArgument,
                    tr("The SIP domain \"%1\" must have 10 digits, usually the first 10 digits of the server ID.")
                        .arg(domain));
    if (mediaPortMin == 0 || mediaPortMin > mediaPortMax)
        return fail(ErrorCode::InvalidArgument,
                    tr("The media port range %1-%2 is empty; give it as FIRST-LAST, for example 30000-30999.")
                        .arg(mediaPortMin)
                        .arg(mediaPortMax));
    if (minExpiresSec > maxExpiresSec)
        return fail(ErrorCode::InvalidArgument, tr("The shortest registration is longer than the longest."));
    if (keepaliveIntervalSec < 1 || keepaliveTimeoutCount < 1)
        return fail(ErrorCode::InvalidArgument, tr("The keepalive interval and count must be at least 1."));
    return {};
}

Result<void> ServerConfig::setMediaPorts(QStringView range)
{
    const auto parts = range.split(u'-');
    bool okA = false, okB = false;
    const int a = parts.size() == 2 ? parts[0].trimmed().toInt(&okA) : 0;
    const int b = parts.size() == 2 ? parts[1].trimmed().toInt(&okB) : 0;
    if (!okA || !okB || a < 1 || b > 65535 || a > b)
        return fail(ErrorCode::InvalidArgument,
                    tr("The media port range \"%1\" is not FIRST-LAST, for example 30000-30999.").arg(range));
    mediaPortMin = std::uint16_t(a);
    mediaPortMax = std::uint16_t(b);
    return {};
}

Result<void> ServerConfig::load(QSettings &file)
{
    QVariantMap values;
    const QStringList keys = file.allKeys();
    for (const QString &key : keys)
        values.insert(key, file.value(key));
    return load(values);
}

Result<void> ServerConfig::load(const QVariantMap &settings)
{
    const auto text = [&](const QString &key) { return settings.value(key).toString().trimmed(); };
    if (settings.contains(u"sip/server-id"_s)) {
        auto id = DeviceId::parse(text(u"sip/server-id"_s));
        if (!id)
            return fail(ErrorCode::InvalidArgument, tr("Setting sip/server-id: %1").arg(id.error().message));
        serverId = *id;
    }
    if (settings.contains(u"sip/domain"_s))
        domain = text(u"sip/domain"_s);
    if (settings.contains(u"sip/bind"_s)) {
        auto address = addressValue(u"sip/bind"_s, text(u"sip/bind"_s));
        if (!address)
            return std::unexpected(address.error());
        sipBindAddress = *address;
    }
    auto port = intValue(settings, u"sip/port"_s, sipPort, 1, 65535);
    if (!port)
        return std::unexpected(port.error());
    sipPort = std::uint16_t(*port);
    if (settings.contains(u"sip/password"_s))
        password = settings.value(u"sip/password"_s).toString();

    if (settings.contains(u"registrar/policy"_s)) {
        const QString policy = text(u"registrar/policy"_s);
        if (policy == u"any"_s)
            registrationPolicy = RegistrationPolicy::AnyDevice;
        else if (policy == u"known"_s)
            registrationPolicy = RegistrationPolicy::KnownDevicesOnly;
        else
            return fail(ErrorCode::InvalidArgument,
                        tr("Setting registrar/policy must be \"any\" or \"known\", not \"%1\".").arg(policy));
    }
    if (settings.contains(u"registrar/known-without-password"_s))
        knownDeviceAuth = settings.value(u"registrar/known-without-password"_s).toBool()
            ? KnownDeviceAuth::NoPasswordForKnownDevices
            : KnownDeviceAuth::PasswordRequired;
    struct IntSetting {
        const char16_t *key;
        int *value;
        int min;
        int max;
    };
    const IntSetting ints[] = {
        {u"sip/threads", &sipThreads, 1, 64},
        {u"registrar/default-expires", &defaultExpiresSec, 1, 31536000},
        {u"registrar/min-expires", &minExpiresSec, 1, 31536000},
        {u"registrar/max-expires", &maxExpiresSec, 1, 31536000},
        {u"registrar/keepalive-interval", &keepaliveIntervalSec, 1, 3600},
        {u"registrar/keepalive-count", &keepaliveTimeoutCount, 1, 100},
        {u"registrar/probe-timeout", &probeTimeoutSec, 1, 300},
        {u"registrar/nonce-lifetime", &nonceLifetimeSec, 10, 86400},
        {u"registrar/auth-failure-limit", &admission.authFailureLimit, 1, 1000},
        {u"registrar/ban-minutes", &admission.banDurationSec, 0, 10080},
    };
    for (const IntSetting &setting : ints) {
        auto value = intValue(settings, QString::fromUtf16(setting.key), *setting.value, setting.min, setting.max);
        if (!value)
            return std::unexpected(value.error());
        *setting.value = *value;
    }
    if (settings.contains(u"registrar/ban-minutes"_s))
        admission.banDurationSec *= 60;
    if (settings.contains(u"registrar/date-header"_s))
        sendDateHeader = settings.value(u"registrar/date-header"_s).toBool();
    if (settings.contains(u"registrar/query-on-register"_s))
        queryOnRegister = settings.value(u"registrar/query-on-register"_s).toBool();

    if (settings.contains(u"media/ip"_s) && text(u"media/ip"_s).isEmpty()) {
        mediaAddress = QHostAddress();
    } else if (settings.contains(u"media/ip"_s)) {
        auto address = addressValue(u"media/ip"_s, text(u"media/ip"_s));
        if (!address)
            return std::unexpected(address.error());
        mediaAddress = *address;
    }
    if (settings.contains(u"media/ports"_s)) {
        if (auto ok = setMediaPorts(text(u"media/ports"_s)); !ok)
            return ok;
    }
    if (settings.contains(u"media/transport"_s)) {
        const QString transport = text(u"media/transport"_s);
        if (const auto parsed = Devices::mediaTransportFromKey(transport))
            defaultMediaTransport = *parsed;
        else
            return fail(ErrorCode::InvalidArgument,
                        tr("Setting media/transport must be udp, tcp-passive or tcp-active, not \"%1\".")
                            .arg(transport));
    }
    return validate();
}

void ServerConfig::save(QSettings &settings) const
{
    settings.setValue(u"sip/server-id"_s, serverId.toString());
    settings.setValue(u"sip/domain"_s, domain);
    settings.setValue(u"sip/bind"_s, sipBindAddress.toString());
    settings.setValue(u"sip/port"_s, sipPort);
    settings.setValue(u"sip/password"_s, password);
    settings.setValue(u"sip/threads"_s, sipThreads);
    settings.setValue(u"registrar/policy"_s,
                      registrationPolicy == RegistrationPolicy::AnyDevice ? u"any"_s : u"known"_s);
    settings.setValue(u"registrar/known-without-password"_s,
                      knownDeviceAuth == KnownDeviceAuth::NoPasswordForKnownDevices);
    settings.setValue(u"registrar/default-expires"_s, defaultExpiresSec);
    settings.setValue(u"registrar/min-expires"_s, minExpiresSec);
    settings.setValue(u"registrar/max-expires"_s, maxExpiresSec);
    settings.setValue(u"registrar/keepalive-interval"_s, keepaliveIntervalSec);
    settings.setValue(u"registrar/keepalive-count"_s, keepaliveTimeoutCount);
    settings.setValue(u"registrar/probe-timeout"_s, probeTimeoutSec);
    settings.setValue(u"registrar/nonce-lifetime"_s, nonceLifetimeSec);
    settings.setValue(u"registrar/auth-failure-limit"_s, admission.authFailureLimit);
    settings.setValue(u"registrar/ban-minutes"_s, admission.banDurationSec / 60);
    settings.setValue(u"registrar/date-header"_s, sendDateHeader);
    settings.setValue(u"registrar/query-on-register"_s, queryOnRegister);
    settings.setValue(u"media/ip"_s, mediaAddress.isNull() ? QString() : mediaAddress.toString());
    settings.setValue(u"media/ports"_s, u"%1-%2"_s.arg(mediaPortMin).arg(mediaPortMax));
    settings.setValue(u"media/transport"_s, QString(Devices::mediaTransportKey(defaultMediaTransport)));
}

} // namespace Vigil::Gb
