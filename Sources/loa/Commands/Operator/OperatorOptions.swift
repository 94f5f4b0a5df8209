import ArgumentParser
import Foundation

/// Who is making the change, and where the daemon is. Over the gateway's API socket, `--as NAME` acts as that
/// account (with its role, for the audit log); without it, as the local administrator. Over the network the
/// token of `loa login` says who you are, and `--as` is not sent.
struct OperatorOptions: ParsableArguments {
    @OptionGroup var daemon: DaemonOptions

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Over the API socket: act as this account (also LOA_USER).", valueName: "USER")
    )
    var user: String? = ProcessInfo.processInfo.environment["LOA_USER"].flatMap { $0.isEmpty ? nil : $0 }

    var client: DaemonClient { daemon.client }
}
