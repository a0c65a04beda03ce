#include "eventlogwidget.h"

#include "eventfilterproxy.h"
#include "eventlogmodel.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

namespace {

constexpr Devices::EventKind kAllKinds[] = {
    Devices::EventKind::DeviceRegistered, Devices::EventKind::DeviceOnline,   Devices::EventKind::DeviceOffline,
    Devices::EventKind::DeviceUnregistered, Devices::EventKind::AuthFailed,   Devices::EventKind::SourceBanned,
    Devices::EventKind::DeviceIdBanned,   Devices::EventKind::AddressChanged, Devices::EventKind::CatalogSynced,
    Devices::EventKind::CatalogIncomplete, Devices::EventKind::QueryFailed,   Devices::EventKind::DeviceRemoved,
    Devices::EventKind::Info,
};

} // namespace

EventLogWidget::EventLogWidget(Devices::EventLog &log, const Devices::DeviceRegistry *registry, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"eventLog"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    auto *filters = new QHBoxLayout;
    m_kind = new QComboBox(this);
    m_kind->setObjectName(u"eventKindFilter"_s);
    m_kind->addItem(QString(), -1);
    for (Devices::EventKind kind : kAllKinds)
        m_kind->addItem(QString(), int(kind));
    m_severity = new QComboBox(this);
    m_severity->setObjectName(u"eventSeverityFilter"_s);
    for (auto severity : {Devices::EventSeverity::Info, Devices::EventSeverity::Warning, Devices::EventSeverity::Error})
        m_severity->addItem(QString(), int(severity));
    m_text = new QLineEdit(this);
    m_text->setObjectName(u"eventTextFilter"_s);
    m_text->setClearButtonEnabled(true);
    filters->addWidget(m_kind);
    filters->addWidget(m_severity);
    filters->addWidget(m_text, 1);
    layout->addLayout(filters);

    m_model = new EventLogModel(log, registry, log.capacity(), this);
    m_proxy = new EventFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_view = new QTableView(this);
    m_view->setObjectName(u"eventView"_s);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(EventLogModel::TimeColumn,
                                              m_view->fontMetrics().horizontalAdvance(u"0000-00-00 00:00:00__"_s));
    m_view->horizontalHeader()->resizeSection(EventLogModel::DeviceColumn,
                                              m_view->fontMetrics().horizontalAdvance(u"NVR-0000 (34020000001320000001)__"_s));
    m_view->horizontalHeader()->resizeSection(EventLogModel::KindColumn,
                                              m_view->fontMetrics().horizontalAdvance(u"Authentication failed__"_s));
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    layout->addWidget(m_view);

    m_copy = new QAction(this);
    m_copy->setObjectName(u"copyEvents"_s);
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copy, &QAction::triggered, this, &EventLogWidget::copySelection);
    m_selectAll = new QAction(this);
    m_selectAll->setShortcut(QKeySequence::SelectAll);
    m_selectAll->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_selectAll, &QAction::triggered, m_view, &QTableView::selectAll);
    m_clear = new QAction(this);
    m_clear->setObjectName(u"clearEvents"_s);
    connect(m_clear, &QAction::triggered, m_model, &EventLogModel::clear);
    m_view->addActions({m_copy, m_selectAll, m_clear});

    connect(m_kind, &QComboBox::currentIndexChanged, this, &EventLogWidget::applyFilters);
    connect(m_severity, &QComboBox::currentIndexChanged, this, &EventLogWidget::applyFilters);
    connect(m_text, &QLineEdit::textChanged, this, &EventLogWidget::applyFilters);

    // Follow the newest events only while the operator is at the bottom: reading older rows
    // must not be interrupted by a registration storm.
    QScrollBar *scrollBar = m_view->verticalScrollBar();
    connect(scrollBar, &QScrollBar::valueChanged, this,
            [this, scrollBar](int value) { m_followNewest = value >= scrollBar->maximum(); });
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this, scrollBar] { m_followNewest = scrollBar->value() >= scrollBar->maximum(); });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_followNewest)
            QMetaObject::invokeMethod(m_view, &QTableView::scrollToBottom, Qt::QueuedConnection);
    });
    retranslate();
    m_view->scrollToBottom();
}

void EventLogWidget::retranslate()
{
    m_kind->setItemText(0, tr("All events"));
    for (int i = 1; i < m_kind->count(); ++i)
        m_kind->setItemText(i, Devices::Event::kindName(Devices::EventKind(m_kind->itemData(i).toInt())));
    m_severity->setItemText(0, tr("All severities"));
    m_severity->setItemText(1, tr("Warnings and errors"));
    m_severity->setItemText(2, tr("Errors only"));
    m_text->setPlaceholderText(tr("Filter by device or text"));
    m_copy->setText(tr("&Copy"));
    m_selectAll->setText(tr("Select &All"));
    m_clear->setText(tr("C&lear View"));
    m_model->retranslate();
}

void EventLogWidget::applyFilters()
{
    const int kind = m_kind->currentData().toInt();
    m_proxy->setKind(kind < 0 ? std::nullopt : std::optional(Devices::EventKind(kind)));
    m_proxy->setMinimumSeverity(Devices::EventSeverity(m_severity->currentData().toInt()));
    m_proxy->setText(m_text->text());
}

QString EventLogWidget::selectedText() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList lines;
    for (const QModelIndex &row : std::as_const(rows))
        lines.append(m_model->rowText(m_proxy->mapToSource(row).row()));
    return lines.join(u'\n');
}

void EventLogWidget::copySelection()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void EventLogWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace Vigil::Ui
