/// When a receiver counts as degraded or lost. Every threshold is configurable per site
/// (`device-configs/monitoring.yaml`); `nil` switches one off.
public struct MonitorThresholds: Sendable, Hashable, Codable {
    /// Seconds between reports assumed until a receiver sends its own `interval`.
    public var defaultInterval: Int
    /// Missed intervals after which a silent receiver is lost.
    public var lostAfterIntervals: Int
    /// Degraded below this RSSI (dBm).
    public var weakSignalRSSI: Int?
    /// Degraded when the amplifier reports `fault`.
    public var amplifierFault: Bool
    /// Degraded when this many underruns or more happened since the previous report.
    public var underrunsPerInterval: Int?
    /// Degraded when the clock is off by more than this (ms, either way): receivers would not play in step.
    public var clockOffsetMs: Double?
    /// Degraded above this temperature (°C).
    public var maxTemperature: Double?
    /// Degraded when the controller judges the receiver's clock off by more than this (ms, either way) from
    /// the times in its telemetry. Coarse on purpose: a sample also holds the report's transit time.
    public var clockSkewMs: Double?
    /// Degraded when it refuses a command as `stale`, until it shows its clock is right again.
    public var staleCommands: Bool

    public init(
        defaultInterval: Int = 10,
        lostAfterIntervals: Int = 3,
        weakSignalRSSI: Int? = -95,
        amplifierFault: Bool = true,
        underrunsPerInterval: Int? = 3,
        clockOffsetMs: Double? = 20,
        maxTemperature: Double? = 80,
        clockSkewMs: Double? = 2_000,
        staleCommands: Bool = true
    ) {
        self.defaultInterval = defaultInterval
        self.lostAfterIntervals = lostAfterIntervals
        self.weakSignalRSSI = weakSignalRSSI
        self.amplifierFault = amplifierFault
        self.underrunsPerInterval = underrunsPerInterval
        self.clockOffsetMs = clockOffsetMs
        self.maxTemperature = maxTemperature
        self.clockSkewMs = clockSkewMs
        self.staleCommands = staleCommands
    }

    /// The thresholds `telemetry` crosses; `newUnderruns` is the increase since the previous report.
    public func reasons(for telemetry: Telemetry, newUnderruns: Int) -> [DegradedReason] {
        var reasons: [DegradedReason] = []
        if let limit = weakSignalRSSI, let rssi = telemetry.signal?.rssi, rssi < limit { reasons.append(.weakSignal) }
        if amplifierFault, telemetry.amplifier == "fault" { reasons.append(.amplifierFault) }
        if let limit = underrunsPerInterval, newUnderruns >= limit { reasons.append(.underruns) }
        if let limit = clockOffsetMs, let offset = telemetry.clockOffsetMs, abs(offset) > limit {
            reasons.append(.clockOffset)
        }
        if let limit = maxTemperature, let temperature = telemetry.temperature, temperature > limit {
            reasons.append(.overheating)
        }
        return reasons
    }

    /// The thresholds the controller's own view of a receiver's clock crosses: `skewMs`, its estimate of
    /// the receiver's clock minus its own, and whether a `stale` refusal is still unanswered.
    public func clockReasons(skewMs: Double?, staleRefusal: Bool) -> [DegradedReason] {
        var reasons: [DegradedReason] = []
        if let limit = clockSkewMs, let skewMs, abs(skewMs) > limit { reasons.append(.clockSkew) }
        if staleCommands, staleRefusal { reasons.append(.commandsStale) }
        return reasons
    }

    /// How long a receiver reporting every `interval` seconds may stay silent before it is lost.
    public func silenceTimeout(interval: Int) -> Double {
        Double(max(1, interval) * max(1, lostAfterIntervals))
    }
}

/// How alerts are debounced (docs/protocol.md, "Alert").
public struct AlertSettings: Sendable, Hashable, Codable {
    /// Seconds a change is held before it is alerted, so blips give no alert and simultaneous changes one.
    public var groupWait: Double
    /// At most one alert per receiver per this many seconds.
    public var flapWindow: Double
    /// This many receivers or more down within `massOutageWindow` make one outage alert.
    public var massOutage: Int
    public var massOutageWindow: Double
    /// Whether degraded receivers are alerted at all.
    public var alertOnDegraded: Bool
    /// A receiver whose condition changed this often within `flapWindow` is flapping: one `flapping` alert
    /// even if it ends where it started.
    public var flapChanges: Int

    public init(
        groupWait: Double = 10,
        flapWindow: Double = 300,
        massOutage: Int = 3,
        massOutageWindow: Double = 60,
        alertOnDegraded: Bool = true,
        flapChanges: Int = 4
    ) {
        self.groupWait = groupWait
        self.flapWindow = flapWindow
        self.flapChanges = flapChanges
        self.massOutage = massOutage
        self.massOutageWindow = massOutageWindow
        self.alertOnDegraded = alertOnDegraded
    }
}

/// Everything the monitor's judgement depends on.
public struct MonitorConfiguration: Sendable, Hashable, Codable {
    public var thresholds: MonitorThresholds
    public var alerts: AlertSettings
    /// Receivers not in the inventory that are tracked at most; more are counted and ignored.
    public var maxStrangers: Int

    public init(
        thresholds: MonitorThresholds = MonitorThresholds(),
        alerts: AlertSettings = AlertSettings(),
        maxStrangers: Int = 256
    ) {
        self.thresholds = thresholds
        self.alerts = alerts
        self.maxStrangers = maxStrangers
    }
}
