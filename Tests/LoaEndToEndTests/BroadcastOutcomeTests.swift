import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 13: "Loa never says a loudspeaker played when it did not". The sample commune's five receivers, as
/// they are on a bad day: two play, one has the wrong controller key, one dies mid-broadcast, one is offline.
/// Each target ends in exactly one outcome, from its own evidence; the broadcast is `partial`, and the CLI,
/// `loa health` and an alert say so. A hamlet whose only receiver is offline is reached by nobody: `failed`.
@Suite("Each target's outcome, end to end", .serialized)
struct BroadcastOutcomeTests {
    @Test func eachTargetEndsInOneOutcomeAndTheBroadcastSaysWhoDidNotPlay() async throws {
        let fixtures = try AudioFixtures("outcomes")
        defer { fixtures.remove() }
        let tone = try fixtures.tone("thong-bao.wav", seconds: 8, rate: 48_000, channels: 1, frequency: 440)
        let site = try await LiveSite(label: "outcomes")
        defer { site.shutdown() }
        let stranger = try SigningKey.loadOrCreate(at: "\(site.directory)/other-controller.key")
        try site.startReceiver("rx-dong-01", zone: "thon-dong")
        try site.startReceiver("rx-tay-01", zone: "thon-tay")
        try site.startReceiver("rx-bai-01", zone: "xom-bai", controllerKey: stranger.publicKeyText)
        let dying = try site.startReceiver("rx-dong-02", zone: "thon-dong")
        // rx-tt-01, the only receiver of `trung-tam`, is not running.
        let running = ["rx-dong-01", "rx-tay-01", "rx-bai-01", "rx-dong-02"]
        try #require(await site.waitUntilOnline(running), "not online: \(site.receivers.map(\.process.stderr))")

        let broadcast = try await site.announce(["--audio", tone, "--all", "--no-chime", "--title", "Họp thôn"])
        let session = try #require(await site.command { $0.play != nil }?.command?.play?.session)
        let started = await site.event(of: dying.id) { $0.kind == .sessionStarted && $0.session == session }
        try #require(started != nil, "rx-dong-02 never started")
        dying.process.kill()

        let entry = try #require(
            await site.waitForBroadcast(broadcast) { $0.isFinal },
            "the broadcast never ended"
        )
        let reports = Dictionary(uniqueKeysWithValues: (entry.receivers ?? []).map { ($0.receiver, $0) })
        print("outcomes: \(entry.outcome.rawValue) — \(entry.detail ?? "")")
        for (id, report) in reports.sorted(by: { $0.key < $1.key }) {
            print("outcomes: \(id) \(report.state.rawValue) \(report.detail ?? "")")
        }
        #expect(entry.outcome == .partial)
        #expect(reports.keys.sorted() == ["rx-bai-01", "rx-dong-01", "rx-dong-02", "rx-tay-01", "rx-tt-01"])
        #expect(reports["rx-dong-01"]?.state == .played)
        #expect(reports["rx-tay-01"]?.state == .played)
        #expect(reports["rx-bai-01"]?.state == .refused)
        #expect(reports["rx-bai-01"]?.detail == "bad-signature")
        #expect(reports["rx-dong-02"]?.state == .cutShort)
        #expect(reports["rx-dong-02"]?.detail?.contains("went offline midway") == true)
        #expect(reports["rx-tt-01"]?.state == .neverReached)
        #expect(reports["rx-tt-01"]?.detail == "offline at the start")
        #expect(
            entry.detail
                == "played on 2 of 5; rx-bai-01 refused (bad-signature), rx-dong-02 cut short (went offline midway), rx-tt-01 never reached (offline at the start)",
            "\(entry.detail ?? "")"
        )

        // The operators are told, once.
        let partial = await eventually(timeout: .seconds(10)) {
            site.alerts().contains { $0.kind == .broadcastPartial && $0.broadcast == broadcast }
        }
        #expect(partial, "no broadcast-partial alert: \(site.alerts().map(\.kind))")
        #expect(site.alerts().filter { $0.broadcast == broadcast }.count == 1)

        // The CLI's table, and `loa health`.
        let log = try await site.daemon.loa(["log", "--receivers"])
        let rows = log.stdout.split(separator: "\n").filter { $0.hasPrefix("\(broadcast) ") }
        for (id, state) in [
            ("rx-bai-01", "refused"), ("rx-dong-02", "cut-short"), ("rx-tt-01", "never-reached"),
            ("rx-tay-01", "played"),
        ] {
            #expect(
                rows.contains { $0.contains(id) && $0.contains(state) },
                "no \(state) row for \(id):\n\(log.stdout)"
            )
        }
        let summary = rows.first { $0.contains("partial") }
        #expect(summary?.contains("2 of 5 played (1 cut-short, 1 refused, 1 never-reached)") == true, "\(log.stdout)")
        let health = try await site.daemon.loa(["health"])
        #expect(health.status == 1, "\(health.stdout)")
        #expect(
            health.stdout.contains("broadcast \(broadcast) 'Họp thôn' partial: played on 2 of 5"),
            "\(health.stdout)"
        )

        // A hamlet whose only receiver is offline: nobody heard it. Failed, and alerted as unacknowledged.
        let nobody = try await site.announce(["--audio", tone, "--zones", "trung-tam", "--no-chime"])
        let failed = try #require(await site.waitForBroadcast(nobody) { $0.isFinal })
        #expect(failed.outcome == .failed)
        #expect(failed.detail == "played on 0 of 1; rx-tt-01 never reached (offline at the start)")
        let unacknowledged = await eventually(timeout: .seconds(15)) {
            site.alerts().contains { $0.kind == .broadcastUnacknowledged && $0.broadcast == nobody }
        }
        #expect(unacknowledged, "no broadcast-unacknowledged alert: \(site.alerts().map(\.kind))")

        // A broadcast every target played is completed, and clears the warning.
        let everyone = try await site.announce([
            "--audio", tone, "--receivers", "rx-dong-01,rx-tay-01", "--no-chime",
        ])
        #expect(await site.waitForBroadcast(everyone) { $0.isFinal }?.outcome == .completed)
        let cleared = try await site.daemon.loa(["health"])
        #expect(!cleared.stdout.contains("partial") && !cleared.stdout.contains("failed"), "\(cleared.stdout)")
        await site.stopReceivers()
        #expect(await site.daemon.stop() == 0)
    }

    /// `loa announce` printed "On air" and exited 0 for a broadcast that failed at once. A clip whose stored
    /// audio is damaged (a bad disk) cannot be played: the command exits 69 and says why, and `loa health` warns.
    @Test func announceSaysSoAndExitsNonZeroWhenTheBroadcastDoesNotStart() async throws {
        let fixtures = try AudioFixtures("announce-fails")
        defer { fixtures.remove() }
        let tone = try fixtures.tone("thong-bao.wav", seconds: 2, rate: 48_000, channels: 1, frequency: 440)
        let daemon = try await DaemonUnderTest(arguments: ["--audio-device", "null"])
        let imported = try await daemon.loa(["schedule", "add", "--audio", tone, "--daily", "05:00", "--all"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let library = "\(daemon.stateDirectory)/assets"
        let stored = try FileManager.default.contentsOfDirectory(atPath: library).filter { !$0.hasPrefix(".") }
        try #require(stored.count == 1, "\(stored)")
        for file in ["audio.wav", "audio.opus"] {
            try Data("damaged".utf8).write(to: URL(fileURLWithPath: "\(library)/\(stored[0])/\(file)"))
        }

        let announced = try await daemon.loa(["announce", "--audio", tone, "--all", "--title", "Hỏng"])
        #expect(announced.status == 69, "exit \(announced.status): \(announced.stdout) \(announced.stderr)")
        #expect(!announced.stdout.contains("On air"), "\(announced.stdout)")
        #expect(announced.stderr.contains("did not go on air: failed: "), "\(announced.stderr)")
        let health = try await daemon.loa(["health"])
        #expect(health.status == 1, "\(health.stdout)")
        #expect(health.stdout.contains("'Hỏng' failed"), "\(health.stdout)")
        #expect(await daemon.stop() == 0)
    }

    /// A slot that could not air raised no alert: the alert schema had no kind for it. An emergency holds every
    /// zone past a daily slot's lateness limit: the slot is logged `missed`, and `broadcast-missed` is alerted.
    @Test func aMissedSlotIsAlerted() async throws {
        let fixtures = try AudioFixtures("missed")
        defer { fixtures.remove() }
        let site = try await LiveSite(label: "missed")
        defer { site.shutdown() }
        // The next minute at least 20 s away: the slot's planned instant, in the site's time zone (UTC+7).
        let zone = try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var planned = calendar.nextDate(after: Date(), matching: DateComponents(second: 0), matchingPolicy: .nextTime)!
        if planned.timeIntervalSinceNow < 20 { planned = planned.addingTimeInterval(60) }
        let parts = calendar.dateComponents([.hour, .minute], from: planned)
        let time = try LocalTime(parsing: String(format: "%02d:%02d", parts.hour!, parts.minute!))
        let draft = ScheduleDraft(
            announcement: Announcement(title: "Bản tin chiều", content: .tts(text: "Bản tin của xã.", voice: "vi")),
            recurrence: .daily(times: [time]),
            latenessLimitSeconds: 2
        )
        var request = URLRequest(url: URL(string: "\(site.daemon.url)/api/v1/schedules")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(try await site.daemon.bearer(), forHTTPHeaderField: "Authorization")
        request.httpBody = try APICoding.encoder().encode(draft)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201, "\(String(decoding: body, as: UTF8.self))")
        let schedule = try APICoding.decoder().decode(Schedule.self, from: body)
        #expect(try await site.daemon.loa(["schedule", "approve", schedule.id]).status == 0)

        // An emergency on air from 8 s before the slot until well after its lateness limit.
        let emergency = try fixtures.tone("khan-cap.wav", seconds: 20, rate: 48_000, channels: 1, frequency: 660)
        let startBy = planned.addingTimeInterval(-8)
        if startBy.timeIntervalSinceNow > 0 { try await Task.sleep(for: .seconds(startBy.timeIntervalSinceNow)) }
        _ = try await site.announce(["--priority", "emergency", "--audio", emergency, "--all", "--no-chime"])

        let missed = await eventually(timeout: .seconds(60), every: .milliseconds(250)) {
            site.alerts().contains { $0.kind == .broadcastMissed }
        }
        #expect(missed, "no broadcast-missed alert: \(site.alerts().map(\.kind))")
        let entry = try await site.log().first { $0.scheduleID == schedule.id }
        #expect(entry?.outcome == .missed, "\(String(describing: entry))")
        let alert = site.alerts().first { $0.kind == .broadcastMissed }
        #expect(alert?.broadcast == entry?.id)
        #expect(alert?.summary.contains("'Bản tin chiều'") == true, "\(alert?.summary ?? "")")
        _ = try await site.daemon.loa(["stop", "--all"])
        #expect(await site.daemon.stop() == 0)
    }
}
