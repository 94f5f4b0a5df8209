/// The exit codes of `sysexits.h` that Loa's commands use, so that scripts and systemd can tell a typo from
/// a broken config file from a daemon that is down.
public enum Sysexits {
    /// The command line is wrong.
    public static let usage: Int32 = 64
    /// The input data clashes or is malformed (an audio file, a same-priority slot).
    public static let data: Int32 = 65
    /// A service it needs is down (the daemon, the broker).
    public static let unavailable: Int32 = 69
    /// The user lacks the role for the action.
    public static let noPermission: Int32 = 77
    /// A configuration file is wrong.
    public static let config: Int32 = 78
}
