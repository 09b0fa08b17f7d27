// MessageBanner: an in-page message that cannot be missed (a coloured bar with
// an icon, in the spirit of KMessageWidget). It says in plain words what went
// wrong and keeps the library's raw text behind "Details", and it stays until
// the page clears it (its cause is fixed) or the user closes it.
#pragma once

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace zl::ui {

/// A raw engine message split for display: plain words first, the raw text as details.
struct PlainError {
    QString text;    ///< what the user reads: the engine's message without library codes
    QString details; ///< the raw text; empty when it says nothing more than `text`
};
/// Splits e.g. "config.json: not valid JSON: [json.exception.parse_error.101] parse error …"
/// into "config.json: not valid JSON." and the full raw text.
PlainError plainError(const QString& raw);

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Error, Warning, Information };

    explicit MessageBanner(QWidget* parent = nullptr);

    /// Shows the banner. `details` is hidden behind a Details button; without it there is none.
    void showMessage(Kind kind, const QString& title, const QString& text, const QString& details = QString());
    /// Shows an error titled `title` (what the user tried) for an engine message.
    void showError(const QString& title, const QString& rawMessage);
    /// Hides the banner (its cause is gone).
    void clear();

    Kind kind() const { return m_kind; }
    QString title() const;
    QString text() const;
    QString details() const;

private:
    Kind m_kind = Kind::Error;
    QLabel* m_icon;
    QLabel* m_title;
    QLabel* m_text;
    QToolButton* m_detailsButton;
    QPlainTextEdit* m_details;
};

} // namespace zl::ui
