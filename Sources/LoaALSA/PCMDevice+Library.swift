internal import CALSA
import Logging

extension PCMDevice {
    /// The version of the alsa-lib Loa runs against, e.g. `1.2.8` (for `loa version`).
    ///
    /// The corresponding C function is `snd_asoundlib_version`.
    public static var libraryVersion: String {
        String(cString: snd_asoundlib_version())
    }

    /// Lets alsa-lib print its own diagnostics to stderr (`true`) or silences them (`false`). The setting is
    /// process-wide. Loa silences them unless debug logging is on; see ``setDiagnostics(for:)``.
    ///
    /// The corresponding C function is `snd_lib_error_set_handler`.
    public static func setDiagnostics(enabled: Bool) {
        _ = loa_alsa_set_quiet(enabled ? 0 : 1)
    }

    /// Enables alsa-lib's stderr diagnostics only when `logger` logs at `.debug` or finer.
    ///
    /// The corresponding C function is `snd_lib_error_set_handler`.
    public static func setDiagnostics(for logger: Logger) {
        setDiagnostics(enabled: logger.logLevel <= .debug)
    }
}
