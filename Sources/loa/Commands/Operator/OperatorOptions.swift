import ArgumentParser
import Foundation

/// Who is making the change (for roles and the audit log), and where the daemon is.
struct OperatorOptions: ParsableArguments {
    @OptionGroup var daemon: DaemonOptions

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Your user name, as in users.yaml (also LOA_USER, default $USER).", valueName: "USER")
    )
    var user: String =
        ProcessInfo.processInfo.environment["LOA_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "operator"

    var client: DaemonClient { daemon.client }
}
