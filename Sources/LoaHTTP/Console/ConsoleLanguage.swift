import Foundation

/// The languages of the web console: Vietnamese first, English second (issue 16).
public enum ConsoleLanguage: String, Sendable, CaseIterable, Hashable {
    case vi
    case en

    /// The name of the cookie that keeps a browser's choice.
    static let cookieName = "lang"

    /// The language of a request: `?lang=` when it names one, else the `lang` cookie, else Vietnamese.
    static func chosen(query: String?, cookie: String?) -> ConsoleLanguage {
        query.flatMap(ConsoleLanguage.init(rawValue:)) ?? cookie.flatMap(ConsoleLanguage.init(rawValue:)) ?? .vi
    }

    /// The other language, for the page's language switch.
    var other: ConsoleLanguage { self == .vi ? .en : .vi }
}
