import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// `loa live` end to end (issue 17): the station's capture, here an ALSA `file` PCM reading known speech, streamed
/// by `loa serve` to real `loa receiver` processes and played on the gateway's own line, all in step.
@Suite("Live from the station's microphone", .serialized)
struct LiveBroadcastTests {
    /// Known speech as the gateway's capture device: a `file` PCM whose `infile` holds it as raw 48 kHz mono
    /// samples, declared in an ALSA configuration that `loa serve` reads beside the system's.
    struct Microphone {
        static let pcm = "loa_live_mic"
        let environment: [String: String]
        let reference: [Float]
    }

    static func microphone(speaking text: String, in directory: String, fixtures: AudioFixtures) throws -> Microphone {
        let speech = try fixtures.speech("mic.wav", text: text)
        let raw = "\(directory)/mic.raw"
        _ = try AudioFixtures.run([
            "sox", speech, "-r", "48000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw,
        ])
        let configuration = "\(directory)/asound.conf"
        try """
        pcm.\(Microphone.pcm) {
            type file
            slave.pcm null
            file "/dev/null"
            infile "\(raw)"
            format raw
        }
        """.write(toFile: configuration, atomically: true, encoding: .utf8)
        return Microphone(
            environment: ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(configuration)"],
            reference: try StreamedSessionMeasures.reference48k(speech, fixtures: fixtures)
        )
    }

    /// A site whose gateway's microphone speaks `text`; `arguments` are added to `loa serve`'s.
    static func site(
        _ label: String,
        speaking text: String,
        arguments: [String] = []
    ) async throws -> (LiveSite, Microphone) {
        let fixtures = try AudioFixtures(label)
        let microphone = try Self.microphone(
            speaking: text,
            in: try TestBroker.makeTemporaryDirectory(prefix: "loa-mic"),
            fixtures: fixtures
        )
        let site = try await LiveSite(
            label: label,
            arguments: ["--live-device", Microphone.pcm] + arguments,
            environment: microphone.environment
        )
        return (site, microphone)
    }

    @Test func liveSpeechReachesEveryReceiverAndTheGatewayInStep() async throws {
        let (site, microphone) = try await Self.site(
            "live",
            speaking: "Kính thưa bà con, đây là thông báo trực tiếp của ủy ban nhân dân xã về lịch tiêm phòng.",
            arguments: ["--live-monitor", "on"]
        )
        defer { site.shutdown() }
        let receivers = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay")]
        for (id, zone) in receivers { try site.startReceiver(id, zone: zone) }
        try #require(await site.waitUntilOnline(receivers.map(\.0)), "receivers not online")

        // The officer goes live, speaks, and presses Ctrl-C.
        let live = try LoaProcess(
            ["live", "--receivers", receivers.map(\.0).joined(separator: ",")],
            directory: site.directory,
            environment: site.daemon.localEnvironment
        )
        defer { live.kill() }
        #expect(await eventually(timeout: .seconds(20)) { live.stdout.contains("On air") }, "\(live.stderr)")
        let seconds = Double(microphone.reference.count) / 48_000
        try await Task.sleep(for: .seconds(seconds + 1.5))
        live.signal(SIGINT)
        #expect(await live.waitForExit(timeout: .seconds(15)) == 0, "loa live: \(live.stdout) \(live.stderr)")
        #expect(live.stdout.contains("Ended: live broadcast"), "\(live.stdout)")

        // Logged like any broadcast: who, its source, and every receiver's report.
        let log = try await site.log()
        let entry = try #require(log.first { $0.source == "live:\(Microphone.pcm)" }, "no live entry in \(log)")
        let id = try #require(entry.id)
        let settled = await site.waitForLogEntry(id) { entry in
            entry.outcome == .completed
                && receivers.allSatisfy { id in
                    entry.receivers?.contains { $0.receiver == id.0 && $0.state == .played } == true
                }
        }
        #expect(settled?.outcome == .completed, "\(String(describing: settled))")
        #expect(settled?.requestedBy != nil)
        #expect(settled?.priority == .live)
        #expect(settled?.detail?.contains("stopped by") == true, "\(String(describing: settled?.detail))")
        #expect(settled.flatMap { $0.endedAt?.timeIntervalSince($0.startedAt ?? .distantFuture) } ?? 0 > seconds)

        await site.stopReceivers()
        #expect(await site.daemon.stop() == 0)

        // Every output is the officer's speech.
        for (player, path) in [("gateway", site.gatewayOutput)] + site.receivers.map({ ($0.id, $0.output) }) {
            let match = try StreamedSessionMeasures.match(path, against: microphone.reference, maxLag: 96_000)
            print("live: \(player) against the microphone: r = \(String(format: "%.3f", match.r)) at lag \(match.lag)")
            #expect(match.r >= 0.9, "\(player): r = \(match.r)")
        }
        // In step: per 40 ms message, each receiver against the gateway.
        let session = try #require(
            try LiveSite.journal(site.gatewayJournal).last?.session,
            "the gateway journalled nothing"
        )
        let offsets = try StreamedSessionMeasures.offsetsFromGateway(
            gateway: site.gatewayJournal,
            receivers: site.receivers.map(\.journal),
            session: session
        )
        #expect(offsets.count >= Int(seconds * 25) * receivers.count, "only \(offsets.count) journal lines")
        let p99 = StreamedSessionMeasures.quantile(offsets, 0.99)
        print(
            "live: receivers vs gateway per message: p50 \(StreamedSessionMeasures.quantile(offsets, 0.5)) µs, p99 \(p99) µs"
        )
        #expect(p99 <= 1_000, "p99 \(p99) µs")
    }

    @Test func aLiveSessionBelowWhatIsOnAirIsRefusedNamingItOrWaitsWhenAsked() async throws {
        let (site, _) = try await Self.site("live-busy", speaking: "Alô alô, thử micrô.")
        defer { site.shutdown() }
        try site.startReceiver("rx-dong-01", zone: "thon-dong")
        try #require(await site.waitUntilOnline(["rx-dong-01"]), "rx-dong-01 not online")
        let long = String(repeating: "Bão số ba đang tiến vào đất liền, bà con không ra khơi. ", count: 12)
        let storm = try await site.announce(["--text", long, "--zones", "thon-dong", "--priority", "emergency"])
        #expect(await site.waitForBroadcast(storm) { $0 == .playing } != nil)

        // A normal live session on the same hamlet is refused at once, naming what holds it.
        let refused = try await site.daemon.loa(["live", "--receivers", "rx-dong-01", "--priority", "normal"])
        #expect(refused.status == 69, "\(refused.stdout) \(refused.stderr)")
        #expect(
            refused.stderr.contains("broadcast \(storm)") && refused.stderr.contains("emergency"),
            "\(refused.stderr)"
        )
        #expect(refused.stderr.contains("--wait"), "\(refused.stderr)")
        let log = try await site.log()
        #expect(log.contains { $0.source == nil && $0.title == "Phát trực tiếp" && $0.outcome == .dropped })
        #expect(!log.contains { $0.title == "Phát trực tiếp" && $0.outcome == .playing })

        // With --wait it says so, and goes on air when the emergency is stopped.
        let waiting = try LoaProcess(
            ["live", "--receivers", "rx-dong-01", "--priority", "normal", "--wait"],
            directory: site.directory,
            environment: site.daemon.localEnvironment
        )
        defer { waiting.kill() }
        #expect(await eventually(timeout: .seconds(15)) { waiting.stdout.contains("Waiting: live broadcast") })
        #expect(waiting.stdout.contains("broadcast \(storm)"), "\(waiting.stdout)")
        _ = try await site.daemon.loa(["stop", String(storm)])
        #expect(await eventually(timeout: .seconds(15)) { waiting.stdout.contains("On air: live broadcast") })
        waiting.signal(SIGINT)
        #expect(await waiting.waitForExit(timeout: .seconds(15)) == 0, "\(waiting.stdout) \(waiting.stderr)")
        #expect(waiting.stdout.contains("Ended: live broadcast"), "\(waiting.stdout)")
        await site.stopReceivers()
        #expect(await site.daemon.stop() == 0)
    }

    @Test func aLiveSessionWhoseClientVanishesEndsWithinItsLease() async throws {
        let (site, _) = try await Self.site("live-lease", speaking: "Alô alô.")
        defer { site.shutdown() }
        let live = try LoaProcess(
            ["live", "--zones", "thon-dong"],
            directory: site.directory,
            environment: site.daemon.localEnvironment
        )
        #expect(await eventually(timeout: .seconds(20)) { live.stdout.contains("On air") }, "\(live.stderr)")
        // A dropped SSH link: the command dies without a word; the microphone must not stay on the poles.
        live.signal(SIGKILL)
        _ = await live.waitForExit(timeout: .seconds(5))
        let id = try #require(try await site.log().first { $0.title == "Phát trực tiếp" }?.id)
        let ended = await site.waitForBroadcast(id, timeout: .seconds(30)) { $0.isFinal }
        #expect(ended?.outcome.isFinal == true, "\(String(describing: ended))")
        #expect(ended?.detail?.hasPrefix("its client went away") == true, "\(String(describing: ended?.detail))")
        #expect(await site.daemon.stop() == 0)
    }
}
