import ArgumentParser
import Foundation
import LoaCore

/// `loa audit`: who changed what, from where, newest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit log: every change and sign-in, with the account and where it came from."
    )
    @OptionGroup var options: OperatorOptions
    @Option(help: "Only since this day or time (2026-12-01, or 2026-12-01T08:00:00Z).") var since: String?
    @Option(name: .customLong("user"), help: "Only this account's lines.") var account: String?
    @Option(help: "At most this many lines (default 100).") var limit = 100
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var query: [String: String?] = ["user": account, "limit": String(limit)]
        if let since { query["since"] = try Self.instant(since) }
        let records = try await options.client.call(
            "GET",
            "api/v1/audit",
            query: query,
            user: options.user,
            as: [AuditRecord].self
        )
        if json { return try JSONOutput.print(records) }
        let site = try await options.client.call("GET", "api/v1/site", as: SiteProfile.self)
        let time = SiteTime(site: site)
        var table = TextTable("WHEN", "WHO", "FROM", "ACTION", "WHAT")
        for record in records {
            let what = [record.subject, record.detail].compactMap { $0 }.joined(separator: ": ")
            table.add(time.show(record.at), record.actor, record.origin ?? "-", record.action, what)
        }
        table.width = 120
        print(table.render())
    }

    /// `since` as an ISO 8601 instant: a day means its midnight in UTC.
    static func instant(_ text: String) throws -> String {
        if (try? Date(text, strategy: .iso8601)) != nil { return text }
        if (try? Date("\(text)T00:00:00Z", strategy: .iso8601)) != nil { return "\(text)T00:00:00Z" }
        throw CommandFailure(
            message: "--since '\(text)' is not a day (2026-12-01) or an ISO 8601 time",
            exitCode: Sysexits.usage
        )
    }
}
