#include "widgets/token_view.h"

#include "widgets/influence_style.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace zl::ui {

namespace {

constexpr int kMargin = 4;
constexpr int kPadX = 3;
constexpr int kPadY = 2;
constexpr int kGapX = 2;
constexpr int kGapY = 4;
constexpr int kMinChip = 8;

} // namespace

TokenView::TokenView(QWidget* parent) : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void TokenView::setTokens(const QStringList& tokens)
{
    m_tokens = tokens;
    m_scores.clear();
    m_scale = 0.0f;
    m_dividerAt = -1;
    m_selBegin = m_selEnd = 0;
    m_anchor = -1;
    relayout();
}

void TokenView::setScores(const QVector<float>& scores)
{
    m_scores = scores.size() == m_tokens.size() ? scores : QVector<float>();
    m_scale = 0.0f;
    for (float s : std::as_const(m_scores))
        if (std::isfinite(s))
            m_scale = std::max(m_scale, std::abs(s));
    update();
}

void TokenView::setDivider(int index, const QString& label)
{
    m_dividerAt = index >= 0 && index <= m_tokens.size() ? index : -1;
    m_dividerLabel = label;
    relayout();
}

void TokenView::setPlaceholder(const QString& text)
{
    m_placeholder = text;
    update();
}

void TokenView::setSelectable(bool selectable)
{
    m_selectable = selectable;
    setCursor(selectable ? Qt::IBeamCursor : Qt::ArrowCursor);
}

void TokenView::setSelection(int begin, int end)
{
    begin = std::clamp(begin, 0, static_cast<int>(m_tokens.size()));
    end = std::clamp(end, begin, static_cast<int>(m_tokens.size()));
    if (begin == end)
        begin = end = 0;
    m_selBegin = begin;
    m_selEnd = end;
    update();
}

QString TokenView::chipText(int index) const
{
    QString text = m_tokens.at(index);
    text.replace(QLatin1Char('\n'), QChar(0x21B5)); // ↵
    text.replace(QLatin1Char('\t'), QChar(0x21E5)); // ⇥
    return text;
}

TokenView::Layout TokenView::layoutFor(int width) const
{
    Layout l;
    const QFontMetrics fm(font());
    const int chipHeight = fm.height() + 2 * kPadY;
    const int right = std::max(width - kMargin, kMargin + 40);
    int x = kMargin, y = kMargin;
    auto place = [&](int w) {
        if (x > kMargin && x + w > right) {
            x = kMargin;
            y += chipHeight + kGapY;
        }
        const QRect r(x, y, w, chipHeight);
        x += w + kGapX;
        return r;
    };
    QFont italic = font();
    italic.setItalic(true);
    const int dividerWidth = QFontMetrics(italic).horizontalAdvance(m_dividerLabel) + 2 * kPadX;
    l.chips.reserve(m_tokens.size());
    for (int i = 0; i <= m_tokens.size(); ++i) {
        if (i == m_dividerAt)
            l.divider = place(dividerWidth);
        if (i == m_tokens.size())
            break;
        l.chips << place(std::max(kMinChip, fm.horizontalAdvance(chipText(i)) + 2 * kPadX));
        if (m_tokens.at(i).endsWith(QLatin1Char('\n'))) {
            x = kMargin;
            y += chipHeight + kGapY;
        }
    }
    // After a final line break the new line is empty: it takes no room.
    l.height = (x == kMargin && y > kMargin ? y - kGapY : y + chipHeight) + kMargin;
    return l;
}

void TokenView::relayout()
{
    m_layout = layoutFor(width());
    updateGeometry();
    update();
}

void TokenView::resizeEvent(QResizeEvent* event)
{
    m_layout = layoutFor(width());
    QWidget::resizeEvent(event);
}

int TokenView::heightForWidth(int width) const
{
    return layoutFor(width).height;
}

QSize TokenView::sizeHint() const
{
    return QSize(400, heightForWidth(400));
}

QSize TokenView::minimumSizeHint() const
{
    return QSize(120, QFontMetrics(font()).height() + 2 * kPadY + 2 * kMargin);
}

QRect TokenView::chipRect(int index) const
{
    return index >= 0 && index < m_layout.chips.size() ? m_layout.chips.at(index) : QRect();
}

int TokenView::tokenAt(const QPoint& pos) const
{
    for (int i = 0; i < m_layout.chips.size(); ++i)
        if (m_layout.chips.at(i).adjusted(0, 0, kGapX, kGapY).contains(pos))
            return i;
    return -1;
}

void TokenView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    if (m_tokens.isEmpty()) {
        p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        p.drawText(rect().adjusted(kMargin, kMargin, -kMargin, -kMargin), Qt::AlignLeft | Qt::TextWordWrap,
                   m_placeholder);
        return;
    }
    const QColor frame = palette().color(QPalette::Mid);
    const QColor highlight = palette().color(QPalette::Highlight);
    for (int i = 0; i < m_layout.chips.size(); ++i) {
        const QRectF r = QRectF(m_layout.chips.at(i)).adjusted(0.5, 0.5, -0.5, -0.5);
        const bool scored = !m_scores.isEmpty() && m_scale > 0.0f;
        const bool selected = i >= m_selBegin && i < m_selEnd;
        QColor fill = scored ? influenceColor(m_scores.at(i) / m_scale) : palette().color(QPalette::Base);
        if (selected && !scored)
            fill = highlight.lighter(170);
        p.setPen(selected ? QPen(highlight, 2.0) : QPen(frame, 0.8));
        p.setBrush(fill);
        p.drawRoundedRect(r, 3, 3);
        // Scored chips are light whatever the theme: dark text on them.
        p.setPen(scored || selected ? QColor(20, 20, 20) : palette().color(QPalette::Text));
        p.drawText(r.adjusted(kPadX - 1, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, chipText(i));
    }
    if (m_dividerAt >= 0 && !m_layout.divider.isEmpty()) {
        QFont italic = font();
        italic.setItalic(true);
        p.setFont(italic);
        p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        p.drawText(m_layout.divider, Qt::AlignCenter, m_dividerLabel);
    }
}

bool TokenView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = tokenAt(help->pos());
        if (i < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        QString text = QStringLiteral("«%1»").arg(chipText(i));
        if (!m_scores.isEmpty())
            text += QLatin1Char('\n') + tr("influence %1").arg(QLocale().toString(m_scores.at(i), 'g', 3));
        QToolTip::showText(help->globalPos(), text, this, chipRect(i));
        return true;
    }
    return QWidget::event(event);
}

void TokenView::selectTo(int index)
{
    if (m_anchor < 0 || index < 0)
        return;
    const int begin = std::min(m_anchor, index), end = std::max(m_anchor, index) + 1;
    if (begin == m_selBegin && end == m_selEnd)
        return;
    setSelection(begin, end);
    Q_EMIT selectionChanged(m_selBegin, m_selEnd);
}

void TokenView::mousePressEvent(QMouseEvent* event)
{
    if (!m_selectable || event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const int i = tokenAt(event->position().toPoint());
    if (i < 0) {
        m_anchor = -1;
        if (m_selEnd > m_selBegin) {
            setSelection(0, 0);
            Q_EMIT selectionChanged(0, 0);
        }
        return;
    }
    if (!(event->modifiers() & Qt::ShiftModifier) || m_anchor < 0)
        m_anchor = i;
    m_dragging = true;
    m_selBegin = m_selEnd = -1; // a press on the one selected chip still reports it
    selectTo(i);
}

void TokenView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_dragging)
        selectTo(tokenAt(event->position().toPoint()));
    QWidget::mouseMoveEvent(event);
}

void TokenView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragging) {
        selectTo(tokenAt(event->position().toPoint()));
        m_dragging = false;
    }
    QWidget::mouseReleaseEvent(event);
}

} // namespace zl::ui
