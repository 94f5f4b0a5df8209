import ArgumentParser
import Foundation
import LoaCore

/// `loa broker export --dir DIR`: for a site or province that runs its own mosquitto, the accounts and ACLs of
/// the inventory, and a complete `mosquitto.conf` that uses them.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "The broker's accounts, for a site that runs its own mosquitto.",
        subcommands: [Export.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write passwords, acl and mosquitto.conf for a site's own broker into a directory.",
            discussion: """
                Only enrolled receivers (and the controller, when its mqtt.password-file is set) can log in. \
                Install the files under /etc/mosquitto/loa/, put the TLS files the configuration names in \
                place, and reload mosquitto after every `loa receivers enroll` or `revoke`.
                """
        )

        @Option(help: ArgumentHelp("The directory to write into (created, mode 0700).", valueName: "DIR"))
        var dir: String
        @OptionGroup var options: OperatorOptions

        func run() async throws {
            let export = try await options.client.call(
                "GET",
                "api/v1/broker/export",
                user: options.user,
                as: BrokerExport.self
            )
            do {
                try FileManager.default.createDirectory(
                    atPath: dir,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
                for (name, text, mode) in [
                    ("passwords", export.passwords, 0o600), ("acl", export.acl, 0o644),
                    ("mosquitto.conf", export.configuration, 0o644),
                ] {
                    let path = "\(dir)/\(name)"
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
                }
            } catch {
                throw CommandFailure(message: "cannot write into \(dir): \(error)", exitCode: Sysexits.ioError)
            }
            print("Wrote passwords, acl and mosquitto.conf into \(dir)")
        }
    }
}
