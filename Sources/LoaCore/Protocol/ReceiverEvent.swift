/// Something a receiver reports on its events topic (docs/protocol.md, "ReceiverEvent").
public struct ReceiverEvent: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case commandAccepted = "command.accepted"
        case commandRejected = "command.rejected"
        case sessionStarted = "session.started"
        case sessionFinished = "session.finished"
        case sessionAborted = "session.aborted"
        case underrun
    }

    public var v: Int
    public var kind: Kind
    /// Wall-clock µs since 1970: when it happened, or for `session.started` the first sample's presentation.
    public var at: Int64
    public var session: SessionID?
    public var seq: Int64?
    public var cmd: ControlCommand.Kind?
    public var reason: String?
    public var underruns: Int?
    public var lateFrames: Int?
    public var concealed: Int?
    public var detail: String?
    /// In a `replayed` rejection: the highest `seq` the receiver has obeyed, which the controller moves past.
    public var lastSeq: Int64?

    public init(
        kind: Kind,
        at: Int64,
        session: SessionID? = nil,
        seq: Int64? = nil,
        cmd: ControlCommand.Kind? = nil,
        reason: String? = nil,
        underruns: Int? = nil,
        lateFrames: Int? = nil,
        concealed: Int? = nil,
        detail: String? = nil,
        lastSeq: Int64? = nil
    ) {
        self.v = TopicTree.protocolVersion
        self.kind = kind
        self.at = at
        self.session = session
        self.seq = seq
        self.cmd = cmd
        self.reason = reason
        self.underruns = underruns
        self.lateFrames = lateFrames
        self.concealed = concealed
        self.detail = detail
        self.lastSeq = lastSeq
    }
}
