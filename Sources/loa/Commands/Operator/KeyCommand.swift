import ArgumentParser
import LoaCore

/// `loa key show` and `loa key rotate`: the controller's public key, which every receiver is configured with, and
/// its replacement.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "The controller's signing key.",
        subcommands: [Show.self, Rotate.self]
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

    /// Approvers only. Receivers follow on their own (the rotation is retained on the broker, signed by the old
    /// key); a receiver configured later needs the new key, or the old one and the broker.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Replace the controller's signing key; receivers adopt the new one from a message signed by the old."
        )
        @OptionGroup var options: OperatorOptions

        func run() async throws {
            let receipt = try await options.client.call(
                "POST",
                "api/v1/key/rotate",
                user: options.user,
                as: KeyRotationReceipt.self
            )
            print("Rotated the controller key (rotation \(receipt.seq)); new public key:")
            print(receipt.publicKey)
        }
    }
}
