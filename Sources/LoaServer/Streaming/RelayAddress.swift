import Foundation

/// A relay's URL as the log and alerts show it: without a user name or password a station's stream may carry.
enum RelayAddress {
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.user != nil || parts.password != nil else { return url }
        parts.user = nil
        parts.password = nil
        return parts.string ?? url
    }
}
