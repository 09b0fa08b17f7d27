#include "widgets/message_banner.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace zl::ui {

PlainError plainError(const QString& raw)
{
    PlainError e;
    QString text = raw.trimmed();
    // The worker's prefix for exceptions outside the engine's own hierarchy.
    const QString internal = QCoreApplication::translate("zl::ui::EngineWorker", "Internal error: %1").arg(QString());
    if (text.startsWith(internal) || text.startsWith(QStringLiteral("Internal error: "))) {
        e.text = MessageBanner::tr("ZeroLens met a problem it did not expect. The details below help to report it.");
        e.details = raw;
        return e;
    }
    // A JSON parser's account ("syntax error while parsing object key - unexpected
    // ','; expected string literal") is for a developer: say which file and where.
    static const QRegularExpression badJson(
        QStringLiteral("^(.*?): not valid JSON(?: at line (\\d+), column (\\d+))?[:;,]?\\s*(.*)$"),
        QRegularExpression::DotMatchesEverythingOption);
    const auto json = badJson.match(text);
    if (json.hasMatch() && !json.captured(1).isEmpty()) {
        e.text = json.captured(2).isEmpty() ? MessageBanner::tr("%1 is not valid JSON.").arg(json.captured(1))
                                            : MessageBanner::tr("%1 is not valid JSON (line %2, column %3).")
                                                  .arg(json.captured(1), json.captured(2), json.captured(3));
        e.details = raw;
        return e;
    }
    // Library codes such as "[json.exception.parse_error.101]" mean nothing to a
    // user: keep what the engine said before them, and the rest as details.
    static const QRegularExpression libraryCode(QStringLiteral("\\[[a-z_]+(\\.[a-z_]+)+(\\.\\d+)?\\]"));
    const auto match = libraryCode.match(text);
    if (match.hasMatch()) {
        QString before = text.left(match.capturedStart()).trimmed();
        while (before.endsWith(QLatin1Char(':')) || before.endsWith(QLatin1Char('-')))
            before.chop(1);
        e.text = before.isEmpty() ? MessageBanner::tr("A file could not be read.") : before.trimmed();
        e.details = raw;
    } else {
        e.text = text;
        // A long message wraps badly; it is shown in full below anyway.
        if (text.size() > 300) {
            e.text = text.left(280) + QStringLiteral("…");
            e.details = raw;
        }
    }
    if (!e.text.isEmpty() && !e.text.endsWith(QLatin1Char('.')) && !e.text.endsWith(QStringLiteral("…")))
        e.text += QLatin1Char('.');
    // A sentence starts with a capital, a file name keeps its own spelling.
    const QString firstWord = e.text.section(QRegularExpression(QStringLiteral("[\\s:]")), 0, 0);
    if (!e.text.isEmpty() && !firstWord.contains(QLatin1Char('.')) && !firstWord.contains(QLatin1Char('/')) &&
        !firstWord.contains(QLatin1Char('_')))
        e.text[0] = e.text[0].toUpper();
    return e;
}

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto* row = new QHBoxLayout(this);
    m_icon = new QLabel;
    m_icon->setAlignment(Qt::AlignTop);
    row->addWidget(m_icon);
    auto* column = new QVBoxLayout;
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("bannerTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true);
    m_text = new QLabel;
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setTextFormat(Qt::PlainText);
    m_details = new QPlainTextEdit;
    m_details->setObjectName(QStringLiteral("bannerDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setMaximumHeight(90);
    m_details->setVisible(false);
    column->addWidget(m_title);
    column->addWidget(m_text);
    column->addWidget(m_details);
    row->addLayout(column, 1);
    auto* buttons = new QVBoxLayout;
    auto* close = new QToolButton;
    close->setObjectName(QStringLiteral("bannerClose"));
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Close this message"));
    m_detailsButton = new QToolButton;
    m_detailsButton->setObjectName(QStringLiteral("bannerDetailsButton"));
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setCheckable(true);
    buttons->addWidget(close, 0, Qt::AlignRight);
    buttons->addWidget(m_detailsButton);
    buttons->addStretch();
    row->addLayout(buttons);
    connect(close, &QToolButton::clicked, this, &MessageBanner::clear);
    connect(m_detailsButton, &QToolButton::toggled, this, [this](bool on) {
        m_details->setVisible(on);
        m_detailsButton->setText(on ? tr("Hide details") : tr("Details"));
    });
    setVisible(false);
}

void MessageBanner::showMessage(Kind kind, const QString& title, const QString& text, const QString& details)
{
    m_kind = kind;
    // Colours of the message kind, light enough for black text in any theme's base.
    const QColor background = kind == Kind::Error     ? QColor(253, 231, 233)
                              : kind == Kind::Warning ? QColor(255, 243, 205)
                                                      : QColor(225, 240, 252);
    const QColor border = kind == Kind::Error     ? QColor(218, 68, 83)
                          : kind == Kind::Warning ? QColor(246, 116, 0)
                                                  : QColor(61, 174, 233);
    setStyleSheet(QStringLiteral("zl--ui--MessageBanner { background: %1; border: 1px solid %2; border-radius: 4px; }"
                                 "zl--ui--MessageBanner QLabel { color: black; background: transparent; }")
                      .arg(background.name(), border.name()));
    const auto icon = kind == Kind::Error     ? QStyle::SP_MessageBoxCritical
                      : kind == Kind::Warning ? QStyle::SP_MessageBoxWarning
                                              : QStyle::SP_MessageBoxInformation;
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(32, 32));
    m_title->setText(title);
    m_title->setVisible(!title.isEmpty());
    m_text->setText(text);
    m_details->setPlainText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    m_detailsButton->setChecked(false);
    m_detailsButton->setText(tr("Details"));
    m_details->setVisible(false);
    setVisible(true);
}

void MessageBanner::showError(const QString& title, const QString& rawMessage)
{
    const auto e = plainError(rawMessage);
    showMessage(Kind::Error, title, e.text, e.details);
}

void MessageBanner::clear()
{
    setVisible(false);
    m_title->clear();
    m_text->clear();
    m_details->clear();
}

QString MessageBanner::title() const
{
    return m_title->text();
}
QString MessageBanner::text() const
{
    return m_text->text();
}
QString MessageBanner::details() const
{
    return m_details->toPlainText();
}

} // namespace zl::ui
