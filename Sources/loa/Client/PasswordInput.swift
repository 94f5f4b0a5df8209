import Foundation
import LoaCore

#if canImport(Glibc)
import Glibc
#endif

/// A password (`loa login`, `loa users add|passwd`): asked on the terminal with echo off, or the first line of
/// stdin. Never a flag, which `ps` and the shell history would show.
enum PasswordInput {
    /// Asks on the terminal (the prompt on stderr), echo off while it is typed.
    static func ask(user: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(
                message: "no terminal to ask the password on; give it on stdin with --password-stdin",
                exitCode: Sysexits.usage
            )
        }
        FileHandle.standardError.write(Data("Password for \(user): ".utf8))
        var original = termios()
        let canSilence = tcgetattr(STDIN_FILENO, &original) == 0
        if canSilence {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            // Ctrl-C at the prompt must not leave the terminal without echo.
            terminalBeforePrompt = original
            signal(SIGINT) { _ in
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &terminalBeforePrompt)
                _exit(130)
            }
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        let line = readLine(strippingNewline: true)
        if canSilence {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            signal(SIGINT, SIG_DFL)
        }
        FileHandle.standardError.write(Data("\n".utf8))
        return try checked(line)
    }

    /// The first line of stdin (`--password-stdin`), for scripts and password managers.
    static func firstLineOfStandardInput() throws -> String {
        try checked(readLine(strippingNewline: true))
    }

    static func checked(_ line: String?) throws -> String {
        var password = line ?? ""
        if password.hasSuffix("\r") { password.removeLast() }
        guard !password.isEmpty else {
            throw CommandFailure(message: "no password given", exitCode: Sysexits.usage)
        }
        return password
    }
}

/// The terminal's settings while the password prompt has echo off, for the Ctrl-C handler to put back (a C
/// signal handler can reach only globals).
nonisolated(unsafe) private var terminalBeforePrompt = termios()
