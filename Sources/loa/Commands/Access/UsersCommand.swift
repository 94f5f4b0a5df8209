import ArgumentParser
import Foundation
import LoaCore

/// `loa users …`: the accounts operators sign in with. On the gateway, over the API socket, the first one is
/// made with `sudo loa users add NAME --role ROLE`; no account or password exists until then.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Accounts and their roles (operator, approver, technician, viewer).",
        subcommands: [List.self, Add.self, Passwd.self, Role.self, Disable.self, Enable.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")
        @OptionGroup var options: OperatorOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let users = try await options.client.call("GET", "api/v1/users", user: options.user, as: [UserAccount].self)
            if json { return try JSONOutput.print(users) }
            var table = TextTable("NAME", "ROLE", "PASSWORD", "STATE")
            for user in users {
                table.add(
                    user.name,
                    user.role.rawValue,
                    user.hasPassword ? "set" : "none",
                    user.disabled ? "disabled" : "active"
                )
            }
            print(table.render())
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; with --password-stdin (or at the prompt, --password) it can sign in remotely."
        )
        @OptionGroup var options: OperatorOptions
        @Argument(help: "The account's name, e.g. chu-tich.") var name: String
        @Option(help: "operator, approver, technician or viewer.") var role: OperatorRole
        @Flag(help: "Ask for its password at the terminal.") var password = false
        @Flag(help: "Read its password from one line of stdin.") var passwordStdin = false

        func run() async throws {
            var change = UserChange(name: name, role: role)
            if password || passwordStdin {
                change.password =
                    try passwordStdin ? PasswordInput.firstLineOfStandardInput() : PasswordInput.ask(user: name)
            }
            let user = try await options.client.call(
                "POST",
                "api/v1/users",
                body: change,
                user: options.user,
                as: UserAccount.self
            )
            print(
                "Added \(user.name) (\(user.role.rawValue))"
                    + (user.hasPassword
                        ? "" : "; set a password with `loa users passwd \(user.name)` to sign in remotely")
            )
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set an account's password (yours, or anyone's for a technician); its tokens are revoked."
        )
        @OptionGroup var options: OperatorOptions
        @Argument(help: "The account.") var name: String
        @Flag(help: "Read the password from one line of stdin.") var passwordStdin = false

        func run() async throws {
            let password =
                try passwordStdin ? PasswordInput.firstLineOfStandardInput() : PasswordInput.ask(user: name)
            try await change(options, name, UserChange(password: password))
            print("Set the password of \(name); its earlier tokens and sessions are revoked")
        }
    }

    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an account's role.")
        @OptionGroup var options: OperatorOptions
        @Argument(help: "The account.") var name: String
        @Argument(help: "operator, approver, technician or viewer.") var role: OperatorRole

        func run() async throws {
            try await change(options, name, UserChange(role: role))
            print("\(name) is now \(role.rawValue)")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop an account from signing in or acting; its tokens and sessions end at once."
        )
        @OptionGroup var options: OperatorOptions
        @Argument(help: "The account.") var name: String

        func run() async throws {
            try await change(options, name, UserChange(disabled: true))
            print("Disabled \(name)")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled account sign in again.")
        @OptionGroup var options: OperatorOptions
        @Argument(help: "The account.") var name: String

        func run() async throws {
            try await change(options, name, UserChange(disabled: false))
            print("Enabled \(name)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Remove an account and its tokens."
        )
        @OptionGroup var options: OperatorOptions
        @Argument(help: "The account.") var name: String

        func run() async throws {
            _ = try await options.client.raw("DELETE", "api/v1/users/\(name)", user: options.user)
            print("Removed \(name)")
        }
    }

    static func change(_ options: OperatorOptions, _ name: String, _ change: UserChange) async throws {
        _ = try await options.client.call(
            "PATCH",
            "api/v1/users/\(name)",
            body: change,
            user: options.user,
            as: UserAccount.self
        )
    }
}

extension OperatorRole: ExpressibleByArgument {}
extension TokenScope: ExpressibleByArgument {}
