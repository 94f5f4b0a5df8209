/// A receiver's periodic report (docs/protocol.md, "Telemetry"). Every field but `v` and `interval` is
/// optional, so simple firmware can send what it has.
public struct Telemetry: Codable, Sendable, Hashable {
    public struct Signal: Codable, Sendable, Hashable {
        public var rssi: Int?
        public var network: String?

        public init(rssi: Int? = nil, network: String? = nil) {
            self.rssi = rssi
            self.network = network
        }
    }

    public var v: Int
    /// Seconds until the next report; the controller calls a receiver lost after 3 missed intervals.
    public var interval: Int
    public var uptime: Int?
    public var firmware: String?
    public var signal: Signal?
    public var volume: Int?
    /// `ok`, `fault` or `off`.
    public var amplifier: String?
    public var temperature: Double?
    public var clockOffsetMs: Double?
    public var freeStorageMB: Int?
    public var underruns: Int?
    public var lateFrames: Int?
    public var lastError: String?
    /// The session on air, if any.
    public var playing: SessionID?
    /// The highest command `seq` this receiver has obeyed: the controller moves its sequence past it.
    public var lastSeq: Int64?
    /// When it was sent, wall-clock µs: every report is a sample of the receiver's clock for the controller.
    public var at: Int64?

    public init(
        interval: Int,
        uptime: Int? = nil,
        firmware: String? = nil,
        signal: Signal? = nil,
        volume: Int? = nil,
        amplifier: String? = nil,
        temperature: Double? = nil,
        clockOffsetMs: Double? = nil,
        freeStorageMB: Int? = nil,
        underruns: Int? = nil,
        lateFrames: Int? = nil,
        lastError: String? = nil,
        playing: SessionID? = nil,
        lastSeq: Int64? = nil,
        at: Int64? = nil
    ) {
        self.v = TopicTree.protocolVersion
        self.interval = interval
        self.uptime = uptime
        self.firmware = firmware
        self.signal = signal
        self.volume = volume
        self.amplifier = amplifier
        self.temperature = temperature
        self.clockOffsetMs = clockOffsetMs
        self.freeStorageMB = freeStorageMB
        self.underruns = underruns
        self.lateFrames = lateFrames
        self.lastError = lastError
        self.playing = playing
        self.lastSeq = lastSeq
        self.at = at
    }
}
