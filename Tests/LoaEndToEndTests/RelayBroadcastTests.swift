import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// Relays end to end (issue 17): Debian's icecast2 fed by ffmpeg (MP3, AAC) and an HLS playlist over HTTP, all
/// carrying one known programme, relayed by `loa serve` to real `loa receiver` processes; the stream killed and
/// restarted; a live emergency cutting a relay.
@Suite("Relays from Icecast and HLS", .serialized)
struct RelayBroadcastTests {
    enum Source: String, CaseIterable, Sendable {
        case mp3, aac, hls
    }

    static let receivers = [("rx-dong-01", "thon-dong"), ("rx-tay-01", "thon-tay")]
    /// The receivers started, as `--receivers` takes them: the inventory's others stay off, and a broadcast to
    /// them all would be `partial`.
    static let targets = receivers.map(\.0).joined(separator: ",")

    static func startReceivers(_ site: LiveSite) async throws {
        for (id, zone) in receivers { try site.startReceiver(id, zone: zone) }
        try #require(await site.waitUntilOnline(receivers.map(\.0)), "receivers not online")
    }

    @Test(arguments: Source.allCases)
    func aRelayReachesEveryReceiverAsTheProgramme(source: Source) async throws {
        let programme = try RelayProgramme(label: "relay-e2e")
        var stops: [() -> Void] = []
        defer { for stop in stops { stop() } }
        let url: String
        switch source {
        case .mp3, .aac:
            let server = try await IcecastServer()
            stops.append(server.stop)
            let feeder = try await StreamFeeder(
                programme: programme.path,
                server: server,
                mount: "/vov1.\(source.rawValue)",
                codec: source == .mp3 ? .mp3 : .aac
            )
            stops.append(feeder.stop)
            url = feeder.url
        case .hls:
            let server = try await HLSServer(programme: programme.path)
            stops.append(server.stop)
            url = server.url
        }
        let site = try await LiveSite(label: "relay-\(source.rawValue)")
        defer { site.shutdown() }
        try await Self.startReceivers(site)

        let id = try await site.announce([
            "--relay", url, "--receivers", Self.targets, "--duration", "7s", "--title", "Thời sự VOV",
        ])
        let entry = await site.waitForLogEntry(id, timeout: .seconds(40)) { entry in
            entry.outcome == .completed
                && Self.receivers.allSatisfy { receiver in
                    entry.receivers?.contains { $0.receiver == receiver.0 && $0.state.didPlay } == true
                }
        }
        #expect(entry?.outcome == .completed, "\(String(describing: entry))")
        #expect(entry?.source == url)
        #expect(entry?.sourceGaps == 0)
        await site.stopReceivers()
        #expect(await site.daemon.stop() == 0)

        for (player, path) in [("gateway", site.gatewayOutput)] + site.receivers.map({ ($0.id, $0.output) }) {
            let output = try LiveSite.samples(path)
            let r = programme.match(output, from: 2, seconds: 3).r
            print("relay \(source): \(player) against the programme: r = \(String(format: "%.3f", r))")
            #expect(r >= 0.9, "\(source) \(player): r = \(r)")
        }
    }

    @Test func aDeadStreamBringsTheFallbackAndAnAlertThenTheProgrammeComesBack() async throws {
        let programme = try RelayProgramme(label: "relay-e2e")
        let tone = programme.fixtures.path("fallback.wav")
        _ = try AudioFixtures.run([
            "sox", "-n", "-r", "48000", "-c", "1", tone, "synth", "2", "sine", "700", "gain", "-6",
        ])
        let server = try await IcecastServer()
        defer { server.stop() }
        let feeder = try await StreamFeeder(programme: programme.path, server: server, mount: "/vov1.mp3", codec: .mp3)
        defer { feeder.stop() }
        let site = try await LiveSite(
            label: "relay-fallback",
            arguments: ["--relay-dead-air-s", "2", "--relay-fallback", tone]
        )
        defer { site.shutdown() }
        try await Self.startReceivers(site)

        let id = try await site.announce([
            "--relay", feeder.url, "--receivers", Self.targets, "--title", "Tiếp sóng VOV",
        ])
        try await Task.sleep(for: .seconds(4))
        let killed = LiveSite.now()
        feeder.stop()
        let lost = await eventually(timeout: .seconds(10)) {
            site.alertArrivals().contains { $0.alert.kind == .relaySourceLost }
        }
        #expect(lost, "no relay-source-lost alert: \(site.alertArrivals().map(\.alert.kind))")
        let lostAt = site.alertArrivals().first { $0.alert.kind == .relaySourceLost }
        #expect(
            lostAt.map { $0.at - killed <= 5_000_000 } == true,
            "lost alerted \(String(describing: lostAt?.at)) after the kill at \(killed)"
        )
        #expect(lostAt?.alert.broadcast == id)
        try await Task.sleep(for: .seconds(3))
        try await feeder.start()
        let restored = await eventually(timeout: .seconds(20)) {
            site.alertArrivals().contains { $0.alert.kind == .relaySourceRestored }
        }
        #expect(restored, "no relay-source-restored alert")
        try await Task.sleep(for: .seconds(4))
        let stopped = try await site.daemon.loa(["stop", String(id)])
        #expect(stopped.status == 0, "\(stopped.stderr)")

        // The log shows the relay aired to its stop, with one gap of the stream's missing time.
        let entry = await site.waitForLogEntry(id, timeout: .seconds(20)) { $0.outcome.isFinal && $0.sourceGaps == 1 }
        #expect(entry?.outcome == .completed, "\(String(describing: entry))")
        let missing = Double(entry?.sourceMissingMicroseconds ?? 0) / 1_000_000
        #expect(missing >= 3 && missing <= 30, "missing \(missing) s")
        let shown = try await site.daemon.loa(["log"])
        #expect(shown.stdout.contains("STREAM MISSING") && shown.stdout.contains("in 1 gap"), "\(shown.stdout)")

        await site.stopReceivers()
        #expect(await site.daemon.stop() == 0)
        // Each receiver aired the fallback's tone in the gap, and the programme before and after it.
        for receiver in site.receivers {
            let output = try LiveSite.samples(receiver.output)
            let toneShare = Self.bestToneShare(output, hertz: 700)
            print("relay fallback: \(receiver.id): best 700 Hz share \(String(format: "%.2f", toneShare))")
            #expect(toneShare >= 0.8, "\(receiver.id): the fallback's tone never dominated (\(toneShare))")
            #expect(programme.match(output, from: 1, seconds: 3).r >= 0.9, "\(receiver.id): not the programme at first")
            let end = Double(output.count) / 48_000
            #expect(
                programme.match(output, from: end - 3.5, seconds: 3).r >= 0.9,
                "\(receiver.id): the programme did not return"
            )
        }
    }

    @Test func aLiveEmergencyCutsANormalRelayOnEveryReceiver() async throws {
        let programme = try RelayProgramme(label: "relay-e2e")
        let server = try await IcecastServer()
        defer { server.stop() }
        let feeder = try await StreamFeeder(programme: programme.path, server: server, mount: "/vov1.mp3", codec: .mp3)
        defer { feeder.stop() }
        let micDirectory = try TestBroker.makeTemporaryDirectory(prefix: "loa-mic")
        let microphone = try LiveBroadcastTests.microphone(
            speaking: "Khẩn cấp: bão số ba sắp đổ bộ, đề nghị bà con vào nơi trú ẩn an toàn.",
            in: micDirectory,
            fixtures: programme.fixtures
        )
        let site = try await LiveSite(
            label: "relay-cut",
            arguments: ["--live-device", LiveBroadcastTests.Microphone.pcm],
            environment: microphone.environment
        )
        defer { site.shutdown() }
        try await Self.startReceivers(site)

        let relay = try await site.announce([
            "--relay", feeder.url, "--receivers", Self.targets, "--title", "Tiếp sóng VOV",
        ])
        let playing = await site.waitForLogEntry(relay, timeout: .seconds(20)) { entry in
            Self.receivers.allSatisfy { receiver in
                entry.receivers?.contains { $0.receiver == receiver.0 && $0.state == .playing } == true
            }
        }
        #expect(playing != nil, "the relay never played on every receiver")

        let live = try LoaProcess(
            ["live", "--receivers", Self.targets, "--priority", "emergency", "--title", "Khẩn cấp: bão số 3"],
            directory: site.directory,
            environment: site.daemon.localEnvironment
        )
        defer { live.kill() }
        #expect(await eventually(timeout: .seconds(20)) { live.stdout.contains("On air") }, "\(live.stderr)")
        let cut = await site.waitForLogEntry(relay, timeout: .seconds(20)) { entry in
            entry.outcome == .interrupted
                && Self.receivers.allSatisfy { receiver in
                    entry.receivers?.contains { $0.receiver == receiver.0 && $0.state == .cutShort } == true
                }
        }
        #expect(cut?.outcome == .interrupted, "\(String(describing: cut))")
        #expect(cut?.detail?.contains("Khẩn cấp: bão số 3") == true, "\(String(describing: cut?.detail))")
        #expect(cut?.source == feeder.url)

        try await Task.sleep(for: .seconds(2))
        live.signal(SIGINT)
        #expect(await live.waitForExit(timeout: .seconds(15)) == 0, "\(live.stdout) \(live.stderr)")
        let log = try await site.log()
        let emergency = try #require(log.first { $0.source == "live:\(LiveBroadcastTests.Microphone.pcm)" })
        #expect(emergency.priority == .emergency)
        _ = try await site.daemon.loa(["stop"])
        await site.stopReceivers()
        #expect(await site.daemon.stop() == 0)
    }

    @Test func aScheduledRelayNeedsItsLengthAndLiveIsNotScheduled() async throws {
        let daemon = try await DaemonUnderTest()
        let url = "http://radio.example.vn:8000/vov1.mp3"
        let noLength = try await daemon.loa(["schedule", "add", "--relay", url, "--daily", "06:00", "--all"])
        #expect(noLength.status != 0)
        #expect(noLength.stderr.contains("--duration"), "\(noLength.stderr)")
        let notHTTP = try await daemon.loa([
            "schedule", "add", "--relay", "ftp://radio.example.vn/vov1.mp3", "--duration", "30m", "--daily", "06:00",
            "--all",
        ])
        #expect(notHTTP.status != 0)
        #expect(notHTTP.stderr.contains("--relay") && notHTTP.stderr.contains("http://"), "\(notHTTP.stderr)")
        let badLength = try await daemon.loa(["announce", "--relay", url, "--duration", "half an hour", "--all"])
        #expect(badLength.status == 64, "\(badLength.stderr)")
        #expect(badLength.stderr.contains("30m"), "\(badLength.stderr)")

        let added = try await daemon.loa([
            "schedule", "add", "--relay", url, "--duration", "30m", "--daily", "06:00", "--all", "--title",
            "Thời sự sáng VOV1", "--json",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let schedule = try APICoding.decoder().decode(Schedule.self, from: Data(added.stdout.utf8))
        #expect(schedule.announcement.content == .relay(source: url, seconds: 1_800))
        let shown = try await daemon.loa(["schedule", "show", schedule.id])
        #expect(shown.stdout.contains("relays     \(url) for 30m"), "\(shown.stdout)")
        #expect(await daemon.stop() == 0)
    }

    /// The largest share of a 0.5 s window's energy at `hertz` (Goertzel), over the whole output.
    static func bestToneShare(_ samples: [Float], hertz: Double) -> Double {
        let window = 24_000
        var best = 0.0
        var start = 0
        while start + window <= samples.count {
            let slice = samples[start..<(start + window)]
            let coefficient = 2 * cos(2 * Double.pi * hertz / 48_000)
            var (previous, beforePrevious, energy) = (0.0, 0.0, 0.0)
            for sample in slice {
                let value = Double(sample) + coefficient * previous - beforePrevious
                beforePrevious = previous
                previous = value
                energy += Double(sample) * Double(sample)
            }
            let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
            // A pure tone's Goertzel power over N samples is (N/2)·(its energy): normalised to a share of 1.
            if energy > 1 { best = max(best, power / (Double(window) / 2) / energy) }
            start += window / 2
        }
        return best
    }
}
