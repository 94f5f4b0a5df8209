import ArgumentParser
import Foundation
import LoaCore

/// `loa tokens …`: API tokens for scripts and monitoring systems, each limited to a scope.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "API tokens for scripts and monitoring (scopes: health, read, full).",
        subcommands: [List.self, Add.self, Revoke.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List tokens (never their secrets)."
        )
        @OptionGroup var options: OperatorOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let tokens = try await options.client.call("GET", "api/v1/tokens", user: options.user, as: [APIToken].self)
            if json { return try JSONOutput.print(tokens) }
            var table = TextTable("ID", "ACCOUNT", "SCOPE", "STATE", "LAST USED", "LABEL")
            let format = Date.ISO8601FormatStyle()
            for token in tokens {
                let state =
                    token.revokedAt != nil
                    ? "revoked" : (token.expiresAt.map { $0 < Date() } ?? false) ? "expired" : "active"
                table.add(
                    token.id,
                    token.account,
                    token.scope.rawValue,
                    state,
                    token.lastUsedAt.map(format.format) ?? "-",
                    token.label
                )
            }
            print(table.render())
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token; it is printed once, keep it in the monitoring system's secret store."
        )
        @OptionGroup var options: OperatorOptions
        @Option(help: "health (/healthz, /metrics), read (every read) or full (the account's role).") var scope:
            TokenScope
        @Option(help: "What it is for, e.g. nagios.") var label: String
        @Option(name: .customLong("user"), help: "The account it acts for (default: yours).") var account: String?
        @Option(help: "Days until it expires (default: until revoked).") var days: Int?

        func run() async throws {
            let issued = try await options.client.call(
                "POST",
                "api/v1/tokens",
                body: TokenRequest(account: account, scope: scope, label: label, days: days),
                user: options.user,
                as: IssuedToken.self
            )
            FileHandle.standardError.write(
                Data(
                    "Token \(issued.info.id) for \(issued.info.account) (\(issued.info.scope.rawValue)); shown once:\n"
                        .utf8
                )
            )
            print(issued.token)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once.")
        @OptionGroup var options: OperatorOptions
        @Argument(help: "The token's id (`loa tokens list`).") var id: String

        func run() async throws {
            _ = try await options.client.raw("DELETE", "api/v1/tokens/\(id)", user: options.user)
            print("Revoked token \(id)")
        }
    }
}
