import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// The points of docs/protocol.md that a receiver written from the document alone had to guess (issue 20,
/// protocol v1 draft 10), each pinned to what the document now says. The receiver's audio behaviour (gaps,
/// duplicates, pre-skip, aborted sessions, joining mid-session) is pinned by the conformance kit's run against
/// `loa receiver` (ConformanceKitTests); the key format and the byte examples by ProtocolExamplesTests.
@Suite("The protocol's contract with firmware (draft 10)")
struct ProtocolContractTests {
    let signer = ChecksumSigner(key: 7)
    let now: Int64 = 1_764_385_200_000_000

    func volume(v: Int = 1, seq: Int64 = 10) -> ControlCommand {
        var command = ControlCommand(
            site: "xa-an-phu",
            to: .zone("thon-dong"),
            seq: seq,
            ts: now,
            volume: .init(level: 50)
        )
        command.v = v
        return command
    }

    func admit(_ payload: [UInt8]) -> Result<ControlCommand, CommandRejection> {
        CommandGate(site: "xa-an-phu", checker: signer).admit(
            payload,
            channel: "zone/thon-dong",
            now: now,
            lastSequence: 9
        )
    }

    /// An envelope around `command` (raw JSON text) and `sig` as given, not necessarily valid.
    func envelope(command: String?, sig: String?) -> [UInt8] {
        var fields = [#""v":1"#]
        if let command { fields.append(#""command":"\#(command)""#) }
        if let sig { fields.append(#""sig":"\#(sig)""#) }
        return Array("{\(fields.joined(separator: ","))}".utf8)
    }

    /// Point 2: sizes are KiB, 1 KB = 1,024 bytes.
    @Test func sizesAreKibibytes() throws {
        #expect(CommandGate.maximumSize == 4 * 1024)
        #expect(AudioMessage.maximumSize == 2 * 1024)
        #expect(KeyRotationChain.maximumSize == 8 * 1024)
        #expect(SignedAlert.maximumSize == 48 * 1024)
        // A command of exactly 4,096 bytes is read; one more byte is too large.
        let signed = try SignedEnvelope.seal(volume(), with: signer)
        let padded = Array(signed.dropLast()) + [UInt8](repeating: 0x20, count: 4096 - signed.count) + [signed.last!]
        #expect(padded.count == 4096)
        #expect(admit(padded) == .success(volume()))
        #expect(admit(padded + [0x20]) == .failure(.tooLarge))
    }

    /// Points 3 and 4: where each kind of bad command lands, in the order the document gives.
    @Test func eachBadCommandGetsTheReasonTheDocumentGives() throws {
        let good = try SignedEnvelope.seal(volume(), with: signer)
        let parts = try JSONDecoder().decode(SignedEnvelope.self, from: Data(good))
        // 1. Over 4,096 bytes: reported as too-large, never parsed.
        #expect(admit([UInt8](repeating: 0x7B, count: 4097)) == .failure(.tooLarge))
        // 2. An envelope that is not JSON, or has no integer `v`.
        #expect(admit(Array("not json at all".utf8)) == .failure(.malformed))
        #expect(admit(Array(#"{"command":"e30=","sig":"AAAA"}"#.utf8)) == .failure(.malformed))
        // 3. No `sig` (or no `command`): unsigned.
        #expect(admit(envelope(command: parts.command, sig: nil)) == .failure(.unsigned))
        #expect(admit(envelope(command: nil, sig: parts.sig)) == .failure(.unsigned))
        // 4. A `sig` or `command` that is not base64: a bad signature, not a missing one.
        #expect(admit(envelope(command: parts.command, sig: "not base64!")) == .failure(.badSignature))
        #expect(admit(envelope(command: "%%%", sig: parts.sig)) == .failure(.badSignature))
        // 5. Signed, but an unknown `cmd` or a `v` other than 1: malformed (judged after the signature).
        let unknown = Array(
            #"{"cmd":"reboot","seq":10,"site":"xa-an-phu","to":"zone/thon-dong","ts":1764385200000000,"v":1}"#.utf8
        )
        let signedUnknown = envelope(
            command: Data(unknown).base64EncodedString(),
            sig: Data(try signer.signature(for: unknown)).base64EncodedString()
        )
        #expect(admit(signedUnknown) == .failure(.malformed))
        #expect(admit(try SignedEnvelope.seal(volume(v: 2), with: signer)) == .failure(.malformed))
        // The envelope's own `v` is not checked.
        var otherEnvelopeVersion = parts
        otherEnvelopeVersion.v = 7
        #expect(admit(Array(try JSONEncoder().encode(otherEnvelopeVersion))) == .success(volume()))
        // Every reason the document lists is one a receiver can report, and nothing else.
        #expect(
            Set(CommandRejection.allCases.map(\.rawValue))
                == [
                    "too-large", "malformed", "unsigned", "bad-signature", "stale", "replayed", "wrong-target",
                    "wrong-site",
                ]
        )
    }

    /// Point 8: `rssi` lives in `signal`; a top-level one is an unknown field, ignored; the range applies to
    /// `signal.rssi`.
    @Test func rssiIsAFieldOfSignal() throws {
        var fixture = MonitorFixture()
        fixture.online("rx-1")
        fixture.send("rx-1", "telemetry", text: #"{"v":1,"interval":10,"signal":{"rssi":-101,"network":"4g"}}"#)
        #expect(fixture.monitor.status(of: "rx-1")?.reasons.contains(.weakSignal) == true)
        let bare = try JSONDecoder().decode(Telemetry.self, from: Data(#"{"v":1,"interval":10,"rssi":-101}"#.utf8))
        #expect(bare.signal == nil)
        fixture.send("rx-1", "telemetry", text: #"{"v":1,"interval":10,"rssi":-101}"#)
        #expect(fixture.monitor.status(of: "rx-1")?.reasons.contains(.weakSignal) == false, "a bare rssi is ignored")
        let before = fixture.monitor.status(of: "rx-1")?.telemetry
        fixture.send("rx-1", "telemetry", text: #"{"v":1,"interval":10,"signal":{"rssi":-200}}"#)
        #expect(fixture.monitor.status(of: "rx-1")?.telemetry == before, "signal.rssi out of range: dropped")
    }

    /// Point 9: `offline` lasts until the receiver is heard again: its next telemetry puts it back online.
    @Test func aReceiverOfflineComesBackWithItsNextTelemetry() {
        var fixture = MonitorFixture()
        fixture.up("rx-1")
        fixture.offline("rx-1")
        #expect(fixture.state("rx-1") == .offline)
        fixture.telemetry("rx-1")
        #expect(fixture.state("rx-1") == .online)
    }

    /// Point 10: the controller tracks at most 256 strangers by default; the reference receiver's client id is
    /// its account name.
    @Test func strangersAreCappedAndTheClientIDIsTheAccountName() {
        #expect(MonitorConfiguration().maxStrangers == 256)
        var fixture = MonitorFixture(receivers: 1)
        for index in 0..<300 { fixture.online("stranger-\(index)") }
        #expect(fixture.monitor.counts().strangers == 256)
        fixture.up("rx-1")
        #expect(fixture.state("rx-1") == .online, "the inventory's receivers are always tracked")
        #expect(BrokerAccount.receiverName(site: "xa-an-phu", id: "rx-dong-01") == "loa-rx-xa-an-phu-rx-dong-01")
    }
}
