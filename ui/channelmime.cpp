#include "channelmime.h"

#include "common/gbid.h"

#include <QMimeData>

using namespace Qt::StringLiterals;

namespace Vigil::Ui::ChannelMime {

QMimeData *encodeChannels(const QStringList &channelIds)
{
    auto *data = new QMimeData;
    const QString text = channelIds.join(u'\n');
    data->setData(kChannelsType, text.toUtf8());
    data->setText(text);
    return data;
}

QStringList decodeChannels(const QMimeData *data)
{
    QStringList result;
    if (!data || !data->hasFormat(kChannelsType))
        return result;
    const QList<QByteArray> lines = data->data(kChannelsType).split('\n');
    for (const QByteArray &line : lines) {
        const QByteArray id = line.trimmed();
        if (GbId::isWellFormed(id))
            result.append(QString::fromLatin1(id));
    }
    return result;
}

QMimeData *encodeTile(int index)
{
    auto *data = new QMimeData;
    data->setData(kTileType, QByteArray::number(index));
    return data;
}

int decodeTile(const QMimeData *data)
{
    if (!data || !data->hasFormat(kTileType))
        return -1;
    bool ok = false;
    const int index = data->data(kTileType).toInt(&ok);
    return ok && index >= 0 ? index : -1;
}

} // namespace Vigil::Ui::ChannelMime
