/// The exit codes of `sysexits.h` that Loa's commands use, so that scripts and systemd can tell a typo from
/// a broken config file from a daemon that is down.
public enum Sysexits {
    /// The command line is wrong.
    public static let usage: Int32 = 64
    /// The input data clashes or is malformed (an audio file, a same-priority slot), or the state dir's data is
    /// damaged (a corrupt store, a damaged write-ahead log, a garbled sequence or key): restarting cannot help.
    public static let data: Int32 = 65
    /// State the daemon has held is gone (its store, key or command sequence is missing or empty): it refuses
    /// to start afresh on it, since receivers would reject a new key and replayed numbers.
    public static let noInput: Int32 = 66
    /// A service it needs is down (the daemon, the broker).
    public static let unavailable: Int32 = 69
    /// A file could not be read or written (a backup or a restore on a full or read-only disk).
    public static let ioError: Int32 = 74
    /// Busy for now: another process holds the state dir (a running daemon while restoring).
    public static let tempFail: Int32 = 75
    /// The user lacks the role for the action.
    public static let noPermission: Int32 = 77
    /// A configuration file is wrong.
    public static let config: Int32 = 78
}
