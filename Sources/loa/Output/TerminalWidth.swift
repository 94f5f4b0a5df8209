import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How wide the CLI's tables may be: `COLUMNS` when set (a user's or a script's explicit choice, as `ls` and
/// systemd's tools take it), else the terminal's own width when stdout is one. When stdout is not a terminal
/// (a pipe, a file, `grep`), there is no limit: nothing is cut, so no title is lost to a script.
enum TerminalWidth {
    /// The columns of a terminal whose size cannot be read.
    static let fallback = 80

    /// The width for tables printed on standard output; nil: no limit.
    static var standardOutput: Int? {
        resolve(environment: ProcessInfo.processInfo.environment, terminalColumns: terminalColumns(of: STDOUT_FILENO))
    }

    /// `COLUMNS` when it is a positive number, else `terminalColumns` (nil when stdout is not a terminal).
    static func resolve(environment: [String: String], terminalColumns: Int?) -> Int? {
        if let text = environment["COLUMNS"], let columns = Int(text.trimmingCharacters(in: .whitespaces)),
            columns > 0
        {
            return columns
        }
        return terminalColumns
    }

    /// The width of the terminal on `descriptor` (ioctl `TIOCGWINSZ`); ``fallback`` when it is a terminal that
    /// does not say; nil when it is not a terminal.
    static func terminalColumns(of descriptor: Int32) -> Int? {
        guard isatty(descriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return fallback }
        return Int(size.ws_col)
    }
}
