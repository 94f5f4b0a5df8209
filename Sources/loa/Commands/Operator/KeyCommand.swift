import ArgumentParser
import LoaCore

/// `loa key show`: the controller's public key, which every receiver is configured with.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "The controller's signing key.",
        subcommands: [Show.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public key to give receivers (--controller-key)."
        )
        @OptionGroup var daemon: DaemonOptions

        func run() async throws {
            print(try await daemon.client.call("GET", "api/v1/key", as: ControllerKeyBody.self).publicKey)
        }
    }
}
