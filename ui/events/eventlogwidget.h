#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QLineEdit;
class QTableView;

namespace Vigil::Devices {
class DeviceRegistry;
class EventLog;
} // namespace Vigil::Devices

namespace Vigil::Ui {

class EventFilterProxy;
class EventLogModel;

/// The event dock's content: the registry's events in a table, filtered by kind, severity and
/// text; rows copy as tab-separated text (Ctrl+C); the view follows new events unless the
/// operator scrolled up to read. GUI thread.
class EventLogWidget : public QWidget {
    Q_OBJECT

public:
    EventLogWidget(Devices::EventLog &log, const Devices::DeviceRegistry *registry, QWidget *parent = nullptr);

    EventLogModel *model() const noexcept { return m_model; }
    EventFilterProxy *proxy() const noexcept { return m_proxy; }
    QTableView *view() const noexcept { return m_view; }
    QComboBox *kindFilter() const noexcept { return m_kind; }
    QComboBox *severityFilter() const noexcept { return m_severity; }
    QLineEdit *textFilter() const noexcept { return m_text; }
    QAction *copyAction() const noexcept { return m_copy; }

    /// The selected rows as they are shown, one line each, columns separated by tabs.
    QString selectedText() const;
    /// Puts selectedText() on the clipboard.
    void copySelection();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void applyFilters();

    EventLogModel *m_model = nullptr;
    EventFilterProxy *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QComboBox *m_kind = nullptr;
    QComboBox *m_severity = nullptr;
    QLineEdit *m_text = nullptr;
    QAction *m_copy = nullptr;
    QAction *m_selectAll = nullptr;
    QAction *m_clear = nullptr;
    bool m_followNewest = true;
};

} // namespace Vigil::Ui
