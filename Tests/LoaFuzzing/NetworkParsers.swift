import Foundation
import LoaCore

/// Every parser Loa runs on bytes from the network (issue 14, item 5), each through the entry point its
/// reader calls: the receiver's audio decoder, command gate and rejection peek; the controller's reader of
/// status, telemetry and events and its broadcast log's event reader; and an alert consumer's decode.
public enum NetworkParsers {
    public static let all: [FuzzTarget] = [
        audioMessage, commandGate, commandPeek, receiverStatus, receiverTelemetry, receiverEvents, receiverTopic,
        recordedEvent, availabilityStatus, alert, signedAlert, keyRotation,
    ]

    /// The target named `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    static let signer = FuzzSigner()
    /// The fuzzer's "now": the generators put most timestamps within a minute of it.
    static let now: Int64 = 1_800_000_000_000_000
    static let channels = ["all", "zone/a", "rx/r1", "rx/r2"]

    static let telemetryWords = [
        "v", "interval", "uptime", "firmware", "signal", "volume", "amplifier", "temperature", "clockOffsetMs",
        "freeStorageMB", "underruns", "lateFrames", "lastError", "playing", "lastSeq", "at", "rssi", "network",
        "s-00000000000000ff",
    ]
    static let eventWords =
        [
            "v", "kind", "at", "session", "seq", "cmd", "reason", "underruns", "lateFrames", "concealed", "detail",
            "lastSeq", "play", "stop", "volume",
        ] + ReceiverEvent.Kind.allCases.map(\.rawValue)
    static let statusWords = ["v", "state", "version", "instance", "online", "offline", "lost"]
    static let commandWords = [
        "v", "site", "to", "seq", "ts", "cmd", "play", "stop", "volume", "session", "channel", "codec", "start",
        "priority", "title", "durationMs", "level", "name", "rate", "channels", "frameMs", "opus", "fuzz", "all",
        "zone/a", "rx/r1", "normal", "emergency", "live", "*",
    ]
    static let alertWords =
        ReceiverAlert.Kind.allCases.map(\.rawValue) + ReceiverState.allCases.map(\.rawValue)
        + DegradedReason.allCases.map(\.rawValue) + [
            "v", "id", "site", "at", "kind", "severity", "summary", "receivers", "count", "suppressed", "broadcast",
            "name", "zone", "state", "since", "reasons", "stranger", "clockOffsetMs", "clockSkewMs", "critical", "ok",
        ]

    /// A valid message, or one bent by the tree mutator, the byte mutator or both.
    static func mutant(_ seed: [UInt8], _ mutator: JSONMutator, _ random: inout FuzzRandom) -> [UInt8] {
        switch random.int(0...99) {
        case 0..<8: return seed
        case 8..<68:
            guard var tree = JSONTree(parsing: seed) else { return seed }
            mutator.mutate(&tree, using: &random)
            var bytes = tree.bytes
            if random.chance(25) { ByteMutator.mutate(&bytes, using: &random) }
            return bytes
        case 68..<96:
            var bytes = seed
            ByteMutator.mutate(&bytes, count: 6, using: &random)
            return bytes
        default:
            return (0..<random.int(0...64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
    }

    static func jsonTarget(
        _ name: String,
        reader: String,
        words: [String],
        limit: Int,
        seed: @escaping @Sendable (inout FuzzRandom) -> [UInt8],
        parse: @escaping @Sendable (FuzzTarget.Input) -> Bool
    ) -> FuzzTarget {
        let mutator = JSONMutator(words: words, sizeLimit: limit)
        return FuzzTarget(name: name, reader: reader, generate: { mutant(seed(&$0), mutator, &$0) }, parse: parse)
    }

    // MARK: The receiver's parsers

    static let audioMessage = FuzzTarget(
        name: "audio-message",
        reader: "receiver: AudioMessage(decoding:checker:)",
        generate: { random in
            var bytes = (try? MessageSeeds.audio(&random).encoded(signer: signer)) ?? []
            // The fixed header, and the site and channel after it.
            let body = AudioMessage.headerSize + 2
            switch random.int(0...9) {
            case 0: return bytes
            case 1...5:
                // A header field or a packet length set to an edge value, then signed again.
                let offset = random.int(2...min(bytes.count - AudioMessage.signatureSize, body + 100) - 1)
                bytes[offset] = random.pick([0, 1, 2, 3, 0x31, 0x32, 0x33, 0x7F, 0x80, 0xFE, 0xFF])
                if random.chance(30) { ByteMutator.mutate(&bytes, using: &random) }
            default:
                ByteMutator.mutate(&bytes, count: 6, using: &random)
            }
            if random.chance(85), bytes.count >= AudioMessage.signatureSize {
                bytes.removeLast(AudioMessage.signatureSize)
                bytes += signer.signature(for: bytes)
            }
            return bytes
        },
        parse: { (try? AudioMessage(decoding: $0.bytes, checker: signer)) != nil }
    )

    /// A signed envelope whose command is a mutant, usually signed again so the mutant reaches the decoder.
    static func envelope(_ random: inout FuzzRandom) -> [UInt8] {
        let command = MessageSeeds.json(MessageSeeds.command(&random))
        let mutator = JSONMutator(words: commandWords, sizeLimit: 2800)
        let body = random.chance(70) ? mutant(command, mutator, &random) : command
        var text = Data(body).base64EncodedString()
        var sig = Data(signer.signature(for: body)).base64EncodedString()
        switch random.int(0...19) {
        case 0: text = String(text.dropLast(random.int(0...3)))
        case 1: text.insert("\n", at: text.index(text.startIndex, offsetBy: random.int(0...text.count)))
        case 2: text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        case 3:
            sig = Data((0..<random.int(0...70)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                .base64EncodedString()
        default: break
        }
        let tree = JSONTree.object([
            .init("command", .string(text)), .init("sig", .string(sig)), .init("v", .number("1")),
        ])
        return random.chance(35)
            ? mutant(tree.bytes, JSONMutator(words: commandWords, sizeLimit: 4096), &random) : tree.bytes
    }

    static let commandGate = FuzzTarget(
        name: "command-gate",
        reader: "receiver: CommandGate.admit (SignedEnvelope, ControlCommand)",
        generate: envelope,
        parse: { input in
            let gate = CommandGate(site: "fuzz", checker: signer)
            let now = input.variant & 4 == 0 ? Self.now : Int64(bitPattern: input.variant)
            let result = gate.admit(
                input.bytes,
                channel: channels[Int(input.variant & 3)],
                now: now,
                lastSequence: Int64(input.variant >> 56)
            )
            if case .success = result { return true }
            return false
        }
    )

    static let commandPeek = FuzzTarget(
        name: "command-peek",
        reader: "receiver: SignedEnvelope.readableSequence/readableTimestamp (rejections)",
        generate: envelope,
        parse: { SignedEnvelope.readableSequence($0.bytes) != nil && SignedEnvelope.readableTimestamp($0.bytes) != nil }
    )

    // MARK: The controller's parsers

    static func read(_ kind: String, _ input: FuzzTarget.Input) -> Bool {
        if case .success = ReceiverMessageReader.read(
            kind: kind,
            payload: input.bytes,
            retained: input.variant % 10 == 0
        ) {
            return true
        }
        return false
    }

    static let receiverStatus = jsonTarget(
        "receiver-status",
        reader: "controller: ReceiverMessageReader.read(kind: \"status\")",
        words: statusWords,
        limit: ReceiverMessageReader.statusLimit,
        seed: MessageSeeds.status,
        parse: { read("status", $0) }
    )

    static let receiverTelemetry = jsonTarget(
        "receiver-telemetry",
        reader: "controller: ReceiverMessageReader.read(kind: \"telemetry\")",
        words: telemetryWords,
        limit: ReceiverMessageReader.telemetryLimit,
        seed: MessageSeeds.telemetry,
        parse: { read("telemetry", $0) }
    )

    static let receiverEvents = jsonTarget(
        "receiver-events",
        reader: "controller: ReceiverMessageReader.read(kind: \"events\")",
        words: eventWords,
        limit: ReceiverMessageReader.eventLimit,
        seed: MessageSeeds.event,
        parse: { read("events", $0) }
    )

    static let topics = try! TopicTree(site: "fuzz")

    static let receiverTopic = FuzzTarget(
        name: "receiver-topic",
        reader: "controller: ReceiverMessageReader.route and isValidID (topic names)",
        generate: { random in
            let id = random.pick(["r1", "loa-07", "thôn", "", "a/b", "+", "#", String(repeating: "x", count: 65)])
            var bytes = Array(
                random.pick([topics.receiverStatus(id), topics.receiverTelemetry(id), topics.receiverEvents(id)]).utf8
            )
            if random.chance(80) { ByteMutator.mutate(&bytes, count: 4, using: &random) }
            return bytes
        },
        parse: { input in
            guard let route = ReceiverMessageReader.route(String(decoding: input.bytes, as: UTF8.self), topics: topics)
            else { return false }
            return ReceiverMessageReader.isValidID(route.receiver)
        }
    )

    static let recordedEvent = jsonTarget(
        "recorded-event",
        reader: "controller's broadcast log: ReceiverEvent(recording:)",
        words: eventWords,
        limit: ReceiverEvent.recordingLimit,
        seed: MessageSeeds.event,
        parse: { ReceiverEvent(recording: $0.bytes) != nil }
    )

    static let availabilityStatus = jsonTarget(
        "availability-status",
        reader: "status readers: AvailabilityStatus(decoding:)",
        words: statusWords,
        limit: ReceiverMessageReader.statusLimit,
        seed: MessageSeeds.status,
        parse: { (try? AvailabilityStatus(decoding: $0.bytes)) != nil }
    )

    // MARK: The alert consumers' parser

    static let alert = jsonTarget(
        "alert",
        reader: "alert consumers: ReceiverAlert(decoding:)",
        words: alertWords,
        limit: 8192,
        seed: MessageSeeds.alert,
        parse: { (try? ReceiverAlert(decoding: $0.bytes)) != nil }
    )

    /// What alert consumers read on `{root}/alerts` since protocol v1 draft 7: the signed envelope.
    static let signedAlert = jsonTarget(
        "signed-alert",
        reader: "alert consumers: SignedAlert.open(_:checker:site:)",
        words: ["v", "alert", "sig"],
        limit: SignedAlert.maximumSize,
        seed: { random in
            let bytes = MessageSeeds.alert(&random)
            let envelope = SignedAlert(
                v: 1,
                alert: Data(bytes).base64EncodedString(),
                sig: random.chance(90) ? Data(signer.signature(for: bytes)).base64EncodedString() : nil
            )
            return Array((try? JSONEncoder().encode(envelope)) ?? Data())
        },
        parse: { (try? SignedAlert.open($0.bytes, checker: signer, site: "fuzz")) != nil }
    )

    // MARK: The receiver's key rotations

    /// The retained chain on `{root}/controller/key`, read and walked as a receiver does.
    static let keyRotation = jsonTarget(
        "key-rotation",
        reader: "receiver: KeyRotationChain(decoding:) and follow(from:after:site:makeChecker:)",
        words: ["v", "rotations", "rotation", "sig"],
        limit: KeyRotationChain.maximumSize,
        seed: { random in
            var chain = KeyRotationChain()
            for seq in 1...random.int(1...4) {
                let rotation = KeyRotation(
                    site: "fuzz",
                    seq: Int64(seq),
                    ts: now,
                    previous: signer.publicKey,
                    key: signer.publicKey
                )
                if let link = try? KeyRotationChain.Link.sign(rotation, with: signer) { chain = chain.appending(link) }
            }
            return chain.encoded()
        },
        parse: { input in
            guard let chain = KeyRotationChain(decoding: input.bytes) else { return false }
            return !chain.follow(from: signer.publicKey, after: 0, site: "fuzz", makeChecker: { _ in signer }).isEmpty
        }
    )
}
