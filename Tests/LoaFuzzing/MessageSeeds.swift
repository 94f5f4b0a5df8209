import Foundation
import LoaCore

/// Valid messages of every kind, with random fields, written by the project's own encoders: the starting
/// point of every mutant, so the fuzzer explores near what real senders send.
public enum MessageSeeds {
    static let texts = [
        "", "r1", "fw-1.4.2", "Thông báo khẩn: bão số 3 đổ bộ", "Lịch tiêm chủng thôn Đông", "ok", "fault", "off",
        "4g", "wifi", "disk full", "underrun", "clock", "Loa phường 7", "thôn-đông", "\u{301}e", "🔊",
    ]

    static func text(_ random: inout FuzzRandom) -> String { random.pick(texts) }

    static func optional<T>(_ random: inout FuzzRandom, _ make: (inout FuzzRandom) -> T) -> T? {
        random.chance(60) ? make(&random) : nil
    }

    static func int(_ random: inout FuzzRandom) -> Int {
        random.chance(80) ? random.int(-10...5000) : Int.random(in: .min ... .max, using: &random)
    }

    static func instant(_ random: inout FuzzRandom) -> Int64 {
        random.chance(85)
            ? 1_800_000_000_000_000 + Int64(random.int(-60_000_000...60_000_000))
            : Int64.random(in: .min ... .max, using: &random)
    }

    static func session(_ random: inout FuzzRandom) -> SessionID { SessionID(random.next()) }

    static func json<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(value)) ?? Data())
    }

    public static func telemetry(_ random: inout FuzzRandom) -> [UInt8] {
        let telemetry = Telemetry(
            interval: random.chance(80) ? random.int(1...3600) : int(&random),
            uptime: optional(&random, int),
            firmware: optional(&random, text),
            signal: optional(&random) {
                Telemetry.Signal(rssi: optional(&$0) { $0.int(-160...10) }, network: optional(&$0, text))
            },
            volume: optional(&random) { $0.int(-5...105) },
            amplifier: optional(&random) { $0.pick(["ok", "fault", "off", "?"]) },
            temperature: optional(&random) { Double($0.int(-40...120)) + 0.5 },
            clockOffsetMs: optional(&random) { Double($0.int(-100_000...100_000)) / 7 },
            freeStorageMB: optional(&random, int),
            underruns: optional(&random, int),
            lateFrames: optional(&random, int),
            lastError: optional(&random, text),
            playing: optional(&random, session),
            lastSeq: optional(&random) { Int64($0.int(-1...1_000_000)) },
            at: optional(&random, instant)
        )
        return json(telemetry)
    }

    public static func status(_ random: inout FuzzRandom) -> [UInt8] {
        json(
            AvailabilityStatus(
                state: random.chance(50) ? .online : .offline,
                version: optional(&random, text),
                instance: optional(&random) { _ in AvailabilityStatus.newInstance() }
            )
        )
    }

    public static func event(_ random: inout FuzzRandom) -> [UInt8] {
        json(
            ReceiverEvent(
                kind: random.pick(ReceiverEvent.Kind.allCases),
                at: instant(&random),
                session: optional(&random, session),
                seq: optional(&random) { Int64($0.int(-1...1_000_000)) },
                cmd: optional(&random) { $0.pick([ControlCommand.Kind.play, .stop, .volume]) },
                reason: optional(&random) { $0.pick(CommandRejection.allCases).rawValue },
                underruns: optional(&random, int),
                lateFrames: optional(&random, int),
                concealed: optional(&random, int),
                detail: optional(&random, text),
                lastSeq: optional(&random) { Int64($0.int(-1...1_000_000)) }
            )
        )
    }

    public static func alert(_ random: inout FuzzRandom) -> [UInt8] {
        let subjects = (0..<random.int(0...(random.chance(10) ? 60 : 4))).map { index in
            ReceiverAlert.Subject(
                id: "r\(index)",
                name: optional(&random, text),
                zone: optional(&random, text),
                state: random.pick(ReceiverState.allCases),
                since: optional(&random, instant),
                reasons: (0..<random.int(0...3)).map { _ in random.pick(DegradedReason.allCases) },
                stranger: random.chance(10),
                clockOffsetMs: optional(&random) { Double($0.int(-9000...9000)) / 3 },
                clockSkewMs: optional(&random) { Double($0.int(-9000...9000)) / 3 }
            )
        }
        let alert = ReceiverAlert(
            id: "a-\(random.next() % 100_000)",
            site: "fuzz",
            at: instant(&random),
            kind: random.pick(ReceiverAlert.Kind.allCases),
            summary: text(&random),
            receivers: subjects,
            suppressed: random.int(0...5),
            broadcast: optional(&random) { Int64($0.int(1...100_000)) }
        )
        return alert.encoded()
    }

    /// The command a receiver's gate expects: site `fuzz`, on one of its channels, near the fuzzer's clock.
    public static func command(_ random: inout FuzzRandom) -> ControlCommand {
        let to = random.pick([TopicTree.Channel.all, .zone("a"), .receiver("r1"), .receiver("r2")])
        let seq = Int64(random.int(90...1000))
        let ts = instant(&random)
        switch random.int(0...2) {
        case 0:
            let play = ControlCommand.Play(
                session: session(&random),
                channel: to.tail,
                start: instant(&random),
                priority: random.pick(Priority.allCases),
                title: text(&random),
                volume: optional(&random) { $0.int(-5...105) },
                durationMs: optional(&random, int)
            )
            return ControlCommand(site: "fuzz", to: to, seq: seq, ts: ts, play: play)
        case 1:
            let target = random.chance(50) ? "*" : session(&random).description
            return ControlCommand(site: "fuzz", to: to, seq: seq, ts: ts, stop: .init(session: target))
        default:
            return ControlCommand(site: "fuzz", to: to, seq: seq, ts: ts, volume: .init(level: random.int(-5...105)))
        }
    }

    public static func audio(_ random: inout FuzzRandom) -> AudioMessage {
        let count = random.int(1...(random.chance(20) ? AudioMessage.maximumPackets : 5))
        let channel = random.pick([
            "all", "zone/thon-dong", "rx/rx-dong-01", "zone/" + String(repeating: "z", count: 64),
        ])
        let binding = 2 + 4 + channel.utf8.count
        let budget =
            (AudioMessage.maximumSize - AudioMessage.headerSize - binding - AudioMessage.signatureSize) / count - 2
        return AudioMessage(
            session: session(&random),
            site: "fuzz",
            channel: channel,
            sequence: UInt32(truncatingIfNeeded: random.next()),
            presentationTime: instant(&random),
            channels: UInt8(random.int(1...2)),
            sampleRate: random.chance(90) ? 48_000 : UInt32(truncatingIfNeeded: random.next()),
            samplesPerPacket: random.chance(90) ? 960 : UInt16(truncatingIfNeeded: random.next()),
            priority: random.pick(Priority.allCases),
            isLast: random.chance(10),
            isAborted: random.chance(5),
            packets: (0..<count).map { _ in
                (0..<random.int(0...min(budget, 120))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
        )
    }
}
