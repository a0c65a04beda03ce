#pragma once

#include <QSortFilterProxyModel>

namespace Vigil::Ui {

/// The device tree's search: keeps the rows whose name, ID or address contains the search
/// text (any script, case and full-width/half-width insensitive), with their ancestors for
/// context and all their children; optionally only what is online. GUI thread.
class DeviceFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit DeviceFilterProxy(QObject *parent = nullptr);

    void setSearchText(const QString &text);
    const QString &searchText() const noexcept { return m_rawText; }
    void setOnlineOnly(bool onlineOnly);
    bool onlineOnly() const noexcept { return m_onlineOnly; }

    /// What the filter compares: NFKC-normalised and case-folded.
    static QString normalize(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_rawText;
    QString m_text;
    bool m_onlineOnly = false;
};

} // namespace Vigil::Ui
