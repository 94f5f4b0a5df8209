/// One rule of docs/protocol.md that the conformance kit checks ("Conformance kit"), named as the document
/// names it, in the order the kit runs them.
public enum ConformanceRule: String, CaseIterable, Sendable, Codable {
    case commandGenuine = "command.genuine"
    case commandForged = "command.forged"
    case commandReplayed = "command.replayed"
    case commandStale = "command.stale"
    case commandReAimed = "command.re-aimed"
    case commandTooLarge = "command.too-large"
    case audioPlays = "audio.plays"
    case audioTiming = "audio.timing"
    case audioGaps = "audio.gaps"
    case audioDuplicates = "audio.duplicates"
    case audioLate = "audio.late"
    case audioReAimed = "audio.re-aimed"
    case audioMidSessionJoin = "audio.mid-session-join"
    case audioAborted = "audio.aborted"
    case volume

    /// What the rule asks, in the document's words.
    public var expectation: String {
        switch self {
        case .commandGenuine: "a signed command is accepted (command.accepted with its seq)"
        case .commandForged: "a command signed by another key is rejected as bad-signature and not obeyed"
        case .commandReplayed: "a command's bytes sent again are rejected as replayed"
        case .commandStale: "a command 10 minutes old is rejected as stale"
        case .commandReAimed: "a command for another receiver on this receiver's topic is rejected as wrong-target"
        case .commandTooLarge: "a command over 4,096 bytes is rejected as too-large"
        case .audioPlays: "a 3 s session starts and finishes with nothing concealed"
        case .audioTiming: "every message is output at its presentation time (pre-skip not trimmed), within 1 ms"
        case .audioGaps: "a missing message (5 packets) is concealed as 5 slots"
        case .audioDuplicates: "messages sent twice play once: nothing concealed, nothing late"
        case .audioLate: "a message sent after its time is counted in lateFrames, and the session finishes"
        case .audioReAimed: "another receiver's session copied onto this receiver's audio topic never starts"
        case .audioMidSessionJoin: "a session joined 2 s in starts at the first packet it could play, and finishes"
        case .audioAborted: "a message with flag bit 1 cuts the session (session.aborted, reason aborted)"
        case .volume: "a signed volume is obeyed: telemetry's volume follows"
        }
    }
}
