/// What `loa receiver` was given on its command line; `nil` means "not given", so the config file or the
/// default applies. Kept apart from ArgumentParser so resolution is testable without a process. Numbers
/// stay text here so that every bad value gets the same one-line message from ``ReceiverConfiguration``.
public struct ReceiverFlags: Sendable {
    public var config: String?
    public var broker: String?
    public var site: String?
    public var id: String?
    /// One zone, or several (repeated or comma-separated) for `--simulate`.
    public var zones: [String] = []
    public var audioDevice: String?
    public var controllerKey: String?
    public var stateDirectory: String?
    public var telemetryInterval: String?
    public var keepAlive: String?
    public var playoutJournal: String?
    public var simulate: String?
    public var receiversFile: String?
    public var outputDirectory: String?
    public var logLevel: String?
    /// Hidden test hook: the fraction of audio messages to drop.
    public var testDropAudio: String?
    /// Hidden test hook: the drop sequence's seed.
    public var testDropSeed: String?

    public init() {}
}
