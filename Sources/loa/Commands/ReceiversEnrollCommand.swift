import ArgumentParser
import Foundation
import LoaCore

extension ReceiversCommand {
    /// `loa receivers enroll ID… --output FILE`: a new broker credential for each receiver, written with
    /// everything it needs into one file for `loa receiver --enrollment FILE`, readable by this user only.
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Issue receivers their broker credentials, in an enrollment file for `loa receiver --enrollment`.",
            discussion: """
                Each receiver gets a new secret (an earlier one stops working). With one ID the file holds one \
                enrollment and its one-line form is printed too, to carry to the pole; with several (or --all), \
                a JSON array of them, for `loa receiver --simulate N --enrollment FILE`.
                """
        )

        @Argument(help: "The receivers' ids, as in receivers.yaml.") var ids: [String] = []
        @Flag(help: "Every receiver of the inventory.") var all = false
        @Option(help: ArgumentHelp("Where to write the enrollment (mode 0600).", valueName: "FILE")) var output: String
        @OptionGroup var options: OperatorOptions

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("give receiver ids, or --all") }
        }

        func run() async throws {
            var targets = ids
            if all {
                targets = try await options.client.callAll("api/v1/receivers", as: ReceiverStatus.self)
                    .filter { !$0.stranger }.map(\.id)
            }
            let enrollments = try await options.client.call(
                "POST",
                "api/v1/enrollments",
                body: EnrollmentRequest(receivers: targets),
                user: options.user,
                as: [Enrollment].self
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data =
                enrollments.count == 1 && !all
                ? try encoder.encode(enrollments[0]) : try encoder.encode(enrollments)
            guard
                FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = FileHandle(forWritingAtPath: output)
            else {
                throw CommandFailure(
                    message: "cannot write \(output); pick a writable path with --output",
                    exitCode: Sysexits.ioError
                )
            }
            try handle.write(contentsOf: data + Data("\n".utf8))
            try handle.close()
            let who =
                enrollments.count <= 5
                ? enrollments.map(\.id).joined(separator: ", ") : "\(enrollments.count) receivers"
            FileHandle.standardError.write(Data("Enrolled \(who) into \(output)\n".utf8))
            if enrollments.count == 1 && !all { print(enrollments[0].line) }
        }
    }

    /// `loa receivers revoke ID`: the broker drops the device at once and refuses it from then on.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a receiver's broker credential: it is disconnected and refused from then on."
        )

        @Argument(help: "The receiver's id.") var id: String
        @OptionGroup var options: OperatorOptions

        func run() async throws {
            _ = try await options.client.raw("DELETE", "api/v1/receivers/\(id)/enrollment", user: options.user)
            print("Revoked \(id): the broker no longer accepts it. `loa receivers enroll \(id)` issues a new secret.")
        }
    }
}
