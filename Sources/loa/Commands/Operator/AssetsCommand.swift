import ArgumentParser
import Foundation
import LoaCore

/// `loa assets`: the imported audio the daemon stores, and whether anything still plays it (audio that nothing
/// plays is reclaimed after the grace period, `asset-grace-s`).
struct AssetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "List the stored audio: id, name, duration, size, and whether a schedule plays it."
    )

    @OptionGroup var daemon: DaemonOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let client = daemon.client
        let assets = try await client.callAll("api/v1/assets", as: StoredAsset.self)
        if json { return try JSONOutput.print(assets) }
        guard !assets.isEmpty else { return print("No audio is stored.") }
        let time = SiteTime(site: try await client.call("GET", "api/v1/site", as: SiteProfile.self))
        var table = TextTable("ID", "DURATION", "SIZE", "REFERENCED", "IMPORTED", "NAME")
        for asset in assets {
            table.add(
                String(asset.id.prefix(12)),
                Self.duration(asset.durationSeconds),
                Self.size(asset.sizeBytes),
                asset.referenced ? "yes" : "no",
                time.show(asset.importedAt, seconds: false),
                asset.name
            )
        }
        print(table.render())
    }

    /// `0:42`, `30:00`, `1:05:09`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }

    /// `812 KB`, `17.3 MB`.
    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20
            ? "\((Double(bytes) / Double(1 << 20) * 10).rounded() / 10) MB" : "\(bytes >> 10) KB"
    }
}
