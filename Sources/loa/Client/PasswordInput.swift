import Foundation
import LoaCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads a password: one line from stdin (`--password-stdin`, for scripts), or typed at the terminal without
/// echo. Never from a flag, which `ps` and the shell's history would show.
enum PasswordInput {
    static func read(prompt: String, fromStandardInput: Bool) throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CommandFailure(message: "no password on stdin (--password-stdin reads one line)", exitCode: Sysexits.usage)
            }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(
                message: "stdin is not a terminal: pass the password on stdin with --password-stdin",
                exitCode: Sysexits.usage
            )
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
