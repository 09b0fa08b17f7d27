// TokenView: a text shown as its tokens, one chip per token, wrapped like
// text. Chips may carry an influence score that colours their background
// (influenceColor: orange for positive, blue for negative, stronger for a larger
// magnitude) with the value in the tooltip. In selectable mode a range of tokens
// is chosen with the mouse: press on one chip and drag to another (Shift+click
// extends the range).
#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

namespace zl::ui {

class TokenView : public QWidget {
    Q_OBJECT
public:
    explicit TokenView(QWidget* parent = nullptr);

    /// Shows `tokens` (display pieces; "\n" breaks the line). Clears scores and selection.
    void setTokens(const QStringList& tokens);
    const QStringList& tokens() const { return m_tokens; }
    /// One score per token colours the chips, scaled to the largest magnitude; empty: no colours.
    void setScores(const QVector<float>& scores);
    /// A divider with `label` before token `index` (e.g. where the response starts); -1 for none.
    void setDivider(int index, const QString& label);
    /// Text shown while there are no tokens.
    void setPlaceholder(const QString& text);

    void setSelectable(bool selectable);
    /// Selects tokens [begin, end); an empty range clears the selection.
    void setSelection(int begin, int end);
    int selectionBegin() const { return m_selBegin; }
    int selectionEnd() const { return m_selEnd; }

    /// The chip of token `index` in widget coordinates (empty when out of range).
    QRect chipRect(int index) const;
    /// The token under `pos`, or -1.
    int tokenAt(const QPoint& pos) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// The user changed the selection with the mouse.
    void selectionChanged(int begin, int end);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Layout {
        QVector<QRect> chips;
        QRect divider;
        int height = 0;
    };
    Layout layoutFor(int width) const;
    QString chipText(int index) const;
    void relayout();
    void selectTo(int index);

    QStringList m_tokens;
    QVector<float> m_scores;
    float m_scale = 0.0f;
    int m_dividerAt = -1;
    QString m_dividerLabel;
    QString m_placeholder;
    bool m_selectable = false;
    int m_selBegin = 0, m_selEnd = 0;
    int m_anchor = -1;
    bool m_dragging = false;
    Layout m_layout;
};

} // namespace zl::ui
