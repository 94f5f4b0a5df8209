/// What `loa serve` was given on its command line; `nil` means "not given", so the config file or the
/// default applies. Kept apart from ArgumentParser so resolution is testable without a process.
public struct ServeFlags: Sendable {
    public var config: String?
    public var broker: String?
    public var site: String?
    public var stateDirectory: String?
    public var http: String?
    public var audioDevice: String?
    public var deviceConfigs: String?
    public var logLevel: String?
    public var streamLeadMilliseconds: Int?
    public var playoutJournal: String?

    public init(
        config: String? = nil,
        broker: String? = nil,
        site: String? = nil,
        stateDirectory: String? = nil,
        http: String? = nil,
        audioDevice: String? = nil,
        deviceConfigs: String? = nil,
        logLevel: String? = nil,
        streamLeadMilliseconds: Int? = nil,
        playoutJournal: String? = nil
    ) {
        self.config = config
        self.broker = broker
        self.site = site
        self.stateDirectory = stateDirectory
        self.http = http
        self.audioDevice = audioDevice
        self.deviceConfigs = deviceConfigs
        self.logLevel = logLevel
        self.streamLeadMilliseconds = streamLeadMilliseconds
        self.playoutJournal = playoutJournal
    }
}
