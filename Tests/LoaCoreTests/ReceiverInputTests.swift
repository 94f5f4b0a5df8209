import Foundation
import LoaCore
import Testing

/// Bad input from the network: counted, logged once per source, never a crash, never another receiver's
/// state.
@Suite("Receiver monitor: bad network input")
struct ReceiverInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let receiver: String
        let kind: String
        let payload: [UInt8]
        var retained = false
        let problem: InputProblem
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "malformed JSON",
            receiver: "rx-1",
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":"#.utf8),
            problem: .malformed
        ),
        Case(
            name: "not an object",
            receiver: "rx-1",
            kind: "status",
            payload: Array("online".utf8),
            problem: .malformed
        ),
        Case(
            name: "wrong type",
            receiver: "rx-1",
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":10,"volume":"loud"}"#.utf8),
            problem: .malformed
        ),
        Case(
            name: "unknown state",
            receiver: "rx-1",
            kind: "status",
            payload: Array(#"{"v":1,"state":"lost"}"#.utf8),
            problem: .malformed
        ),
        Case(
            name: "huge payload",
            receiver: "rx-1",
            kind: "telemetry",
            payload: [UInt8](repeating: 0x20, count: 1 << 20),
            problem: .tooLarge
        ),
        Case(
            name: "huge status",
            receiver: "rx-1",
            kind: "status",
            payload: Array(
                (#"{"v":1,"state":"offline","version":""# + String(repeating: "x", count: 2000) + "\"}").utf8
            ),
            problem: .tooLarge
        ),
        Case(
            name: "old protocol version, retained",
            receiver: "rx-1",
            kind: "status",
            payload: Array(#"{"v":0,"state":"offline"}"#.utf8),
            retained: true,
            problem: .version
        ),
        Case(
            name: "no version, retained",
            receiver: "rx-1",
            kind: "status",
            payload: Array(#"{"state":"offline"}"#.utf8),
            retained: true,
            problem: .version
        ),
        Case(
            name: "newer protocol version",
            receiver: "rx-1",
            kind: "telemetry",
            payload: Array(#"{"v":2,"interval":10}"#.utf8),
            problem: .version
        ),
        Case(
            name: "interval of zero",
            receiver: "rx-1",
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":0}"#.utf8),
            problem: .invalid
        ),
        Case(
            name: "volume out of range",
            receiver: "rx-1",
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":10,"volume":500}"#.utf8),
            problem: .invalid
        ),
        Case(
            name: "lastSeq out of range",
            receiver: "rx-1",
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":10,"lastSeq":-1}"#.utf8),
            problem: .invalid
        ),
        Case(
            name: "lastSeq past 2^53 in a rejection",
            receiver: "rx-1",
            kind: "events",
            payload: Array(
                #"{"v":1,"kind":"command.rejected","at":1,"seq":3,"reason":"replayed","lastSeq":9007199254740993}"#.utf8
            ),
            problem: .invalid
        ),
        Case(
            name: "retained telemetry",
            receiver: "rx-1",
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":10}"#.utf8),
            retained: true,
            problem: .retained
        ),
        Case(
            name: "unknown message kind",
            receiver: "rx-1",
            kind: "config",
            payload: Array("{}".utf8),
            problem: .badTopic
        ),
        Case(
            name: "id with capitals",
            receiver: "RX-1",
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":10}"#.utf8),
            problem: .badTopic
        ),
        Case(
            name: "malformed event",
            receiver: "rx-1",
            kind: "events",
            payload: Array(#"{"v":1,"kind":"session.started"}"#.utf8),
            problem: .malformed
        ),
    ]

    @Test(arguments: cases)
    func badInputChangesNothingButCounters(_ bad: Case) {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.telemetry("rx-1", Telemetry(interval: 10, volume: 70))
        fixture.online("rx-2")
        fixture.offline("rx-3")
        let before = fixture.monitor.statuses()
        let transitionsBefore = fixture.output.transitions.count

        let output = fixture.send(bad.receiver, bad.kind, bad.payload, retained: bad.retained)
        #expect(output?.transitions.isEmpty == true)
        #expect(output?.notices.map(\.problem) == [bad.problem])
        var after = fixture.monitor.statuses()
        // Only the bad-message count of the receiver it named may change.
        for index in after.indices where after[index].id == bad.receiver {
            after[index].badMessages = before[index].badMessages
        }
        #expect(after == before)
        #expect(fixture.monitor.counters.problems[bad.problem.rawValue] == 1)

        // Logged once per source: the same problem again is counted, not noticed.
        let again = fixture.send(bad.receiver, bad.kind, bad.payload, retained: bad.retained)
        #expect(again?.notices.isEmpty == true)
        #expect(fixture.monitor.counters.problems[bad.problem.rawValue] == 2)
        #expect(fixture.output.transitions.count == transitionsBefore)
    }

    @Test func unknownFieldsAreAcceptedAndNotedOnce() {
        var fixture = MonitorFixture()
        let payload = Array(#"{"v":1,"interval":10,"volume":55,"gnss":{"lat":10.8},"future":true}"#.utf8)
        let first = fixture.send("rx-1", "telemetry", payload)
        #expect(first?.notices.map(\.problem) == [.unknownFields])
        #expect(fixture.state("rx-1") == .online)
        #expect(fixture.monitor.status(of: "rx-1")?.telemetry?.volume == 55)
        let second = fixture.send("rx-1", "telemetry", payload)
        #expect(second?.notices.isEmpty == true)
        #expect(fixture.monitor.counters.problems["unknown-fields"] == 2)
    }

    @Test func lastSeqIsAKnownFieldOfTelemetryAndOfARejection() throws {
        let telemetry = ReceiverMessageReader.read(
            kind: "telemetry",
            payload: Array(#"{"v":1,"interval":10,"lastSeq":42}"#.utf8),
            retained: false
        )
        let (input, note) = try telemetry.get()
        #expect(input == .telemetry(Telemetry(interval: 10, lastSeq: 42)) && note == nil)
        let rejection = ReceiverMessageReader.read(
            kind: "events",
            payload: Array(#"{"v":1,"kind":"command.rejected","at":1,"seq":3,"reason":"replayed","lastSeq":42}"#.utf8),
            retained: false
        )
        let (event, eventNote) = try rejection.get()
        #expect(
            event == .event(ReceiverEvent(kind: .commandRejected, at: 1, seq: 3, reason: "replayed", lastSeq: 42))
                && eventNote == nil
        )
    }

    @Test func telemetryForAnUnknownIDMakesAStrangerOnly() {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        let before = fixture.monitor.statuses()
        let output = fixture.send("rx-404", "telemetry", text: #"{"v":1,"interval":10}"#)
        #expect(output?.notices.map(\.problem) == [.stranger])
        #expect(Array(fixture.monitor.statuses().prefix(5)) == before)
        #expect(fixture.monitor.status(of: "rx-404")?.stranger == true)
        #expect(fixture.monitor.counts().total == 5)
    }

    @Test func badInputFromAnUnknownIDDoesNotMakeAStranger() {
        var fixture = MonitorFixture()
        fixture.send("rx-404", "telemetry", text: "{{{{")
        #expect(fixture.monitor.status(of: "rx-404") == nil)
        #expect(fixture.monitor.counts().strangers == 0)
    }

    @Test func topicsOutsideTheReceiverTreeAreNotTheMonitors() {
        var fixture = MonitorFixture()
        let message = BusMessage(topic: "\(fixture.topics.root)/controller/status", text: "x")
        #expect(fixture.monitor.receive(message, at: fixture.now) == nil)
        let otherSite = BusMessage(topic: "loa/v1/xa-khac/rx/rx-1/status", text: "x")
        #expect(fixture.monitor.receive(otherSite, at: fixture.now) == nil)
    }

    @Test func randomBytesNeverCrash() {
        var fixture = MonitorFixture()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2000 {
            let length = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 3 == 0 { bytes = Array(#"{"v":1,"interval":10,"signal":{"rssi":"#.utf8) + bytes }
            let kind = ["status", "telemetry", "events"][round % 3]
            fixture.send("rx-\(round % 7)", kind, bytes, retained: round % 5 == 0)
        }
        #expect(fixture.monitor.counts().total == 5)
    }
}
