import Foundation

/// The console's addresses of one receiver and of query values, shared by the Loa and Nhật ký pages.
enum ReceiverLink {
    /// `/loa/rx-dong-01`: one receiver's page.
    static func path(_ id: String) -> String {
        ConsolePaths.receivers + "/"
            + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id)
    }

    /// A value safe inside a query string (a cursor, a zone id).
    static func query(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", "."])) ?? value
    }
}
