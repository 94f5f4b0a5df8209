extension ReceiverEvent {
    /// The largest events payload the broadcast log reads (docs/protocol.md, "Topics").
    public static let recordingLimit = 2048

    /// The broadcast log's reading of an events payload: this protocol version or nothing. Here, in the core,
    /// so the parser the recorder runs on network bytes is the one the fuzzer runs (issue 14).
    public init?(recording payload: [UInt8]) {
        guard payload.count <= Self.recordingLimit,
            let event = try? NetworkJSON.decode(ReceiverEvent.self, from: payload),
            event.v == TopicTree.protocolVersion
        else { return nil }
        self = event
    }
}
