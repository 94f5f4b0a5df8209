import Foundation
import LoaCore
import Testing

/// A stand-in for Ed25519 in the core's unit tests: a keyed checksum, 64 bytes, that any change to the
/// message or the key breaks. The real signatures are tested in the security adapter.
struct ChecksumSigner: MessageSigning, SignatureChecking {
    let key: UInt8

    var publicKey: [UInt8] { [UInt8](repeating: key, count: 32) }

    func signature(for message: [UInt8]) throws -> [UInt8] {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(key)
        var result: [UInt8] = []
        for round in 0..<8 {
            for byte in message { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
            state ^= UInt64(round)
            withUnsafeBytes(of: state.bigEndian) { result.append(contentsOf: $0) }
        }
        return result
    }

    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        (try? self.signature(for: message)) == signature
    }
}

@Suite("Protocol v1 messages")
struct ProtocolTests {
    let signer = ChecksumSigner(key: 7)
    let now: Int64 = 1_764_385_200_000_000

    func play(
        seq: Int64 = 10,
        ts: Int64? = nil,
        to: TopicTree.Channel = .zone("thon-dong"),
        site: String = "xa-an-phu"
    )
        -> ControlCommand
    {
        ControlCommand(
            site: site,
            to: to,
            seq: seq,
            ts: ts ?? now,
            play: .init(
                session: SessionID(0x2f9c_01aa),
                channel: "zone/thon-dong",
                start: now + 1_000_000,
                priority: .normal,
                title: "Tin sáng"
            )
        )
    }

    func admit(
        _ payload: [UInt8],
        channel: String = "zone/thon-dong",
        last: Int64 = 9,
        checker: ChecksumSigner? = nil
    )
        -> Result<ControlCommand, CommandRejection>
    {
        CommandGate(site: "xa-an-phu", checker: checker ?? signer).admit(
            payload,
            channel: channel,
            now: now,
            lastSequence: last
        )
    }

    @Test func aSignedCommandIsAdmitted() throws {
        let payload = try SignedEnvelope.seal(play(), with: signer)
        #expect(try admit(payload).get() == play())
    }

    @Test func everyCheckRejectsWithItsReason() throws {
        let good = try SignedEnvelope.seal(play(), with: signer)
        #expect(admit(Array(#"{"v":1,"command":"e30="}"#.utf8)) == .failure(.unsigned))
        #expect(admit(good, checker: ChecksumSigner(key: 8)) == .failure(.badSignature))
        #expect(admit(try SignedEnvelope.seal(play(ts: now - 31_000_000), with: signer)) == .failure(.stale))
        #expect(admit(good, last: 10) == .failure(.replayed))
        #expect(admit(good, channel: "zone/thon-tay") == .failure(.wrongTarget))
        #expect(admit(try SignedEnvelope.seal(play(site: "xa-khac"), with: signer)) == .failure(.wrongSite))
        #expect(admit(Array("not json".utf8)) == .failure(.malformed))
        #expect(admit([UInt8](repeating: 0x20, count: 5000)) == .failure(.tooLarge))
        // A forged body under a real signature: change one byte of the command.
        var envelope = try JSONDecoder().decode(SignedEnvelope.self, from: Data(good))
        var bytes = Data(base64Encoded: envelope.command!)!
        bytes[bytes.startIndex + 10] ^= 1
        envelope.command = bytes.base64EncodedString()
        #expect(admit(Array(try JSONEncoder().encode(envelope))) == .failure(.badSignature))
    }

    /// A signed command whose `ts` is so far from the receiver's clock that `ts - now` overflows Int64 is stale,
    /// not a trap. Found by `make fuzz` (seed 1, command-gate input 400: `ts` 6000614169505245559).
    @Test(arguments: [Int64.min, Int64.min + 1, -4_000_000_000_000_000_000, Int64.max])
    func aTimestampBeyondAnyClockIsStale(ts: Int64) throws {
        let payload = try SignedEnvelope.seal(play(ts: ts), with: signer)
        #expect(admit(payload) == .failure(.stale))
        let gate = CommandGate(site: "xa-an-phu", checker: signer)
        let farFuture = try SignedEnvelope.seal(play(ts: 6_000_614_169_505_245_559), with: signer)
        #expect(
            gate.admit(farFuture, channel: "zone/thon-dong", now: -4_000_000_000_000_000_000, lastSequence: 9)
                == .failure(.stale)
        )
    }

    /// Signed values a receiver could not compute with (its end would overflow) are malformed, not obeyed.
    @Test func aSignedPlayOutOfBoundsIsMalformed() throws {
        var farStart = play()
        farStart.play?.start = Int64.max - 10
        var endless = play()
        endless.play?.durationMs = Int.max
        var noRate = play()
        noRate.play?.codec.rate = 0
        for command in [farStart, endless, noRate] {
            #expect(admit(try SignedEnvelope.seal(command, with: signer)) == .failure(.malformed))
        }
        #expect(admit(try SignedEnvelope.seal(play(), with: signer)) == .success(play()))
    }

    @Test func aSignedAudioMessagePresentedBeyondAnyClockIsMalformed() throws {
        for time in [Int64.max - 1, 0, -5] {
            let message = AudioMessage(
                session: SessionID(42),
                site: "xa-an-phu",
                channel: "all",
                sequence: 7,
                presentationTime: time,
                priority: .normal,
                packets: [[1]]
            )
            #expect(throws: AudioMessage.DecodingError.malformed) {
                try AudioMessage(decoding: try message.encoded(signer: signer), checker: signer)
            }
        }
    }

    @Test func audioMessagesRoundTripAndRejectTampering() throws {
        let message = AudioMessage(
            session: SessionID(42),
            site: "xa-an-phu",
            channel: "zone/thon-dong",
            sequence: 7,
            presentationTime: now,
            priority: .emergency,
            isLast: true,
            packets: [[1, 2, 3], [4, 5], Array(repeating: 9, count: 300)]
        )
        let bytes = try message.encoded(signer: signer)
        #expect(bytes.count == AudioMessage.headerSize + 2 + 9 + 14 + 6 + 305 + 64)
        #expect(bytes[2] == 2)
        #expect(try AudioMessage(decoding: bytes, checker: signer) == message)
        #expect(message.presentationTime(ofPacket: 2) == now + 40_000)

        var tampered = bytes
        tampered[20] ^= 0x01
        #expect(throws: AudioMessage.DecodingError.badSignature) {
            try AudioMessage(decoding: tampered, checker: signer)
        }
        #expect(throws: AudioMessage.DecodingError.truncated) {
            try AudioMessage(decoding: Array(bytes.prefix(40)), checker: signer)
        }
        #expect(throws: AudioMessage.DecodingError.tooLarge) {
            try AudioMessage(decoding: [UInt8](repeating: 0, count: 3000), checker: signer)
        }
        var otherVersion = bytes
        otherVersion[2] = 3
        #expect(throws: AudioMessage.DecodingError.unknownVersion) {
            try AudioMessage(decoding: otherVersion, checker: signer)
        }
    }

    /// Version 1 carried no site or channel, so a copy could be re-aimed at another hamlet: it is refused,
    /// even correctly signed.
    @Test func versionOneAudioIsRefusedEvenSigned() throws {
        let message = AudioMessage(
            session: SessionID(42),
            site: "xa-an-phu",
            channel: "all",
            sequence: 0,
            presentationTime: now,
            priority: .normal,
            packets: [[1, 2, 3]]
        )
        var body = Array(try message.encoded(signer: signer).dropLast(AudioMessage.signatureSize))
        body[2] = 1
        // A version 1 layout: no site, no channel.
        body.removeSubrange(AudioMessage.headerSize..<(AudioMessage.headerSize + message.bindingSize))
        let version1 = body + (try signer.signature(for: body))
        #expect(throws: AudioMessage.DecodingError.unknownVersion) {
            try AudioMessage(decoding: version1, checker: signer)
        }
    }

    /// The site and channel are inside the signed bytes: naming another channel breaks the signature, and a
    /// binding that is not a topic level is malformed, signed or not.
    @Test func theSiteAndChannelAreSigned() throws {
        let message = AudioMessage(
            session: SessionID(42),
            site: "xa-an-phu",
            channel: "zone/thon-dong",
            sequence: 0,
            presentationTime: now,
            priority: .normal,
            packets: [[1, 2, 3]]
        )
        let bytes = try message.encoded(signer: signer)
        let decoded = try AudioMessage(decoding: bytes, checker: signer)
        #expect(decoded.site == "xa-an-phu" && decoded.channel == "zone/thon-dong")
        // "zone/thon-dong" to "zone/thon-tay": same length, one letter apart.
        var reaimed = bytes
        let channelStart = AudioMessage.headerSize + 2 + 9
        reaimed.replaceSubrange(channelStart..<(channelStart + 14), with: Array("zone/thon-tay".utf8) + [0x67])
        #expect(throws: AudioMessage.DecodingError.badSignature) {
            try AudioMessage(decoding: reaimed, checker: signer)
        }
        for (site, channel) in [("", "all"), ("xa-an-phu", ""), ("Xa", "all"), ("xa", "zone/thôn")] {
            var bad = message
            bad.site = site
            bad.channel = channel
            #expect(throws: AudioMessage.DecodingError.malformed) {
                try AudioMessage(decoding: try bad.encoded(signer: signer), checker: signer)
            }
        }
    }

    @Test func sessionIDsPrintAndParseAsInTheProtocol() {
        let id = SessionID(0x2f9c_01aa)
        #expect(id.description == "s-000000002f9c01aa")
        #expect(SessionID(text: id.description) == id)
        #expect(SessionID(text: "s-xyz") == nil)
        #expect(TopicTree.Channel(tail: "zone/thon-dong") == .zone("thon-dong"))
        #expect(TopicTree.Channel(tail: "rx/a/b") == nil)
    }
}
