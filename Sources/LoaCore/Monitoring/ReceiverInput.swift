/// A message from a receiver, read and checked: what the monitor acts on.
public enum ReceiverInput: Sendable, Hashable {
    /// Its availability. `retained` is true for a status the broker kept from before we subscribed: a
    /// remembered state, not a fresh birth.
    case status(AvailabilityStatus, retained: Bool)
    case telemetry(Telemetry)
    case event(ReceiverEvent)
}

/// Why a message from the network was dropped or needs a note. Every case is counted; each is logged once
/// per source.
public enum InputProblem: String, Codable, Sendable, CaseIterable, Hashable {
    /// Not JSON, not an object, or a field of the wrong type.
    case malformed
    /// Larger than its topic's limit; never parsed.
    case tooLarge = "too-large"
    /// `v` missing or not this controller's protocol version.
    case version
    /// A value out of its range (an interval of 0, a volume of 500).
    case invalid
    /// A topic under `rx/` that is not `rx/{id}/status|telemetry|events`, or an id that is not a topic word.
    case badTopic = "bad-topic"
    /// Telemetry or an event delivered as retained: old news, ignored.
    case retained
    /// Fields this controller does not know: accepted (the protocol lets messages gain fields), noted once.
    case unknownFields = "unknown-fields"
    /// A receiver not in the inventory: tracked as a stranger, noted once.
    case stranger
    /// A stranger beyond the tracking limit: ignored.
    case tooManyStrangers = "too-many-strangers"

    /// Whether the message is still used.
    public var isAccepted: Bool { self == .unknownFields || self == .stranger }
}

/// Reads a message from under `{root}/rx/`. Pure: no state, no logging.
public enum ReceiverMessageReader {
    /// Size limits per kind (docs/protocol.md, "Topics").
    public static let statusLimit = 1024
    public static let telemetryLimit = 2048
    public static let eventLimit = 2048

    /// Which receiver a topic under `{root}/rx/` is about and what kind of message it carries, or nil if
    /// the topic is not under `rx/` at all.
    public static func route(_ topic: String, topics: TopicTree) -> (receiver: String, kind: String)? {
        guard let tail = topics.tail(of: topic, kind: "rx") else { return nil }
        guard let slash = tail.firstIndex(of: "/") else { return (tail, "") }
        return (String(tail[..<slash]), String(tail[tail.index(after: slash)...]))
    }

    /// Whether `id` is a valid receiver id (a topic word: 1-64 of a-z, 0-9, '-', '_').
    public static func isValidID(_ id: String) -> Bool { TopicTree.isValidLevel(id) }

    /// Reads one message of `kind` (`status`, `telemetry`, `events`).
    ///
    /// - Returns: the input and, when accepted with a note (`unknownFields`), that note; or the problem that
    ///   made it unusable, with a few words of detail.
    public static func read(
        kind: String,
        payload: [UInt8],
        retained: Bool
    ) -> Result<(ReceiverInput, InputProblem?), Rejection> {
        switch kind {
        case "status":
            guard payload.count <= statusLimit else { return .failure(Rejection(.tooLarge, "\(payload.count) bytes")) }
            return decode(AvailabilityStatus.self, payload, known: ["v", "state", "version", "instance"]).map {
                status,
                note in
                (.status(status, retained: retained), note)
            }
        case "telemetry":
            guard payload.count <= telemetryLimit else {
                return .failure(Rejection(.tooLarge, "\(payload.count) bytes"))
            }
            guard !retained else { return .failure(Rejection(.retained, "retained telemetry")) }
            return decode(Telemetry.self, payload, known: telemetryKeys).flatMap { telemetry, note in
                if let problem = validate(telemetry) { return .failure(Rejection(.invalid, problem)) }
                return .success((.telemetry(telemetry), note))
            }
        case "events":
            guard payload.count <= eventLimit else { return .failure(Rejection(.tooLarge, "\(payload.count) bytes")) }
            guard !retained else { return .failure(Rejection(.retained, "retained event")) }
            return decode(ReceiverEvent.self, payload, known: eventKeys).flatMap { event, note in
                if let lastSeq = event.lastSeq, !(0...maxSequence).contains(lastSeq) {
                    return .failure(Rejection(.invalid, "lastSeq \(lastSeq) is not 0-\(maxSequence)"))
                }
                return .success((.event(event), note))
            }
        default:
            return .failure(Rejection(.badTopic, "unknown message kind '\(kind.prefix(32))'"))
        }
    }

    /// A message that could not be used, and why.
    public struct Rejection: Error, Sendable, Hashable {
        public var problem: InputProblem
        public var detail: String

        public init(_ problem: InputProblem, _ detail: String) {
            self.problem = problem
            self.detail = detail
        }
    }

    static let telemetryKeys: Set<String> = [
        "v", "interval", "uptime", "firmware", "signal", "volume", "amplifier", "temperature", "clockOffsetMs",
        "freeStorageMB", "underruns", "lateFrames", "lastError", "playing", "lastSeq", "at",
    ]
    static let eventKeys: Set<String> = [
        "v", "kind", "at", "session", "seq", "cmd", "reason", "underruns", "lateFrames", "concealed", "detail",
        "lastSeq",
    ]

    /// The largest `seq` the controller believes (2^53, exact in any JSON reader): a higher `lastSeq` would
    /// push its sequence out of range.
    public static let maxSequence: Int64 = 1 << 53

    /// Checks ranges the decoder cannot: a bad interval would break the silence timeout.
    static func validate(_ telemetry: Telemetry) -> String? {
        if !(1...3600).contains(telemetry.interval) { return "interval \(telemetry.interval) is not 1-3600 s" }
        if let volume = telemetry.volume, !(0...100).contains(volume) { return "volume \(volume) is not 0-100" }
        if let rssi = telemetry.signal?.rssi, !(-150...0).contains(rssi) { return "rssi \(rssi) is not -150-0 dBm" }
        if let offset = telemetry.clockOffsetMs, !offset.isFinite { return "clockOffsetMs is not finite" }
        if let underruns = telemetry.underruns, underruns < 0 { return "underruns \(underruns) is negative" }
        if let lastSeq = telemetry.lastSeq, !(0...maxSequence).contains(lastSeq) {
            return "lastSeq \(lastSeq) is not 0-\(maxSequence)"
        }
        return nil
    }

    /// One pass over the JSON: its top-level keys and `v`, then the typed value.
    static func decode<T: Decodable>(
        _ type: T.Type,
        _ payload: [UInt8],
        known: Set<String>
    ) -> Result<(T, InputProblem?), Rejection> {
        let envelope: Envelope<T>
        do {
            envelope = try NetworkJSON.decode(Envelope<T>.self, from: payload)
        } catch {
            return .failure(Rejection(.malformed, "not a JSON object"))
        }
        guard envelope.v == TopicTree.protocolVersion else {
            return .failure(Rejection(.version, envelope.v.map { "v \($0)" } ?? "no v"))
        }
        switch envelope.value {
        case .failure(let error):
            return .failure(Rejection(.malformed, Self.summary(error)))
        case .success(let value):
            let unknown = envelope.keys.subtracting(known)
            return .success((value, unknown.isEmpty ? nil : .unknownFields))
        }
    }

    static func summary(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, _): return "missing \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "bad value" : "bad \(path)"
        @unknown default: return "bad value"
        }
    }

    /// Decodes `T` and, from the same object, its keys and version.
    struct Envelope<T: Decodable>: Decodable {
        let v: Int?
        let keys: Set<String>
        let value: Result<T, any Error>

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            keys = Set(container.allKeys.map(\.stringValue))
            v = try? container.decodeIfPresent(Int.self, forKey: AnyKey(stringValue: "v"))
            value = Result { try T(from: decoder) }
        }
    }
}
