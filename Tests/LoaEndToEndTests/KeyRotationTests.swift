import Foundation
import LoaCore
import LoaMQTT
import LoaSecurity
import LoaStore
import LoaTestSupport
import Testing

/// `loa key rotate` on the real thing (protocol v1 draft 7): `loa serve` replaces its key and announces it,
/// retained, signed by the old one; real `loa receiver` processes configured with the old key adopt the new one,
/// keep it across a restart, and refuse what the old key signs. One started after the rotation catches up from
/// the retained message.
@Suite("Key rotation end to end", .serialized)
struct KeyRotationTests {
    @Test func receiversFollowARotationKeepItAcrossARestartAndRefuseTheOldKey() async throws {
        let site = try await LiveSite(label: "rotate")
        defer { site.shutdown() }
        let dong = try site.startReceiver("rx-dong-01", zone: "thon-dong")
        try #require(await site.waitUntilOnline([dong.id]), "receiver not online: \(dong.process.stderr)")
        let keyFile = "\(site.daemon.stateDirectory)/controller.key"
        let oldKey = try SigningKey.load(from: keyFile)
        #expect(oldKey.publicKeyText == site.key)

        // Neither an operator nor an approver may rotate; the technician may.
        for user in ["can-bo-van-hoa", "chu-tich"] {
            let refused = try await site.daemon.loa(["key", "rotate"], user: user)
            #expect(
                refused.status == 77 && refused.stderr.contains("may not manage receivers or the controller's key"),
                "\(refused)"
            )
        }
        let rotate = try await site.daemon.loa(["key", "rotate"], user: "ky-thuat")
        try #require(rotate.status == 0, "loa key rotate failed: \(rotate.stderr)")
        let newKey = try #require(rotate.stdout.split(separator: "\n").last.map(String.init))
        #expect(newKey != site.key)
        let shown = try await site.daemon.loa(["key", "show"])
        #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == newKey)
        #expect(try SigningKey.load(from: keyFile).publicKeyText == newKey)
        // A receiver enrolled from now on is given the new key.
        let enrollment = "\(site.directory)/after-rotation.enrollment"
        let enrolled = try await site.daemon.loa(["receivers", "enroll", "rx-tt-01", "--output", enrollment])
        try #require(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(
            try Enrollment.parse(String(contentsOfFile: enrollment, encoding: .utf8)).first?.controllerKey == newKey
        )
        #expect(try SigningKey.load(from: "\(keyFile).previous").publicKeyText == site.key, "the old key is kept")

        func adopted(_ receiver: LiveSite.Receiver) async -> Bool {
            await eventually(timeout: .seconds(15), every: .milliseconds(50)) {
                FileManager.default.fileExists(atPath: "\(receiver.stateDirectory)/controller-key-rotations.json")
            }
        }
        func volumeFile(_ receiver: LiveSite.Receiver) -> String? {
            (try? String(contentsOfFile: "\(receiver.stateDirectory)/volume", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        /// `loa volume LEVEL --all`, signed with the new key: obeyed by every receiver in `receivers`.
        func obeyed(_ level: Int, by receivers: [LiveSite.Receiver]) async throws -> Int64 {
            let volume = try await site.daemon.loa(["volume", "\(level)", "--all"])
            try #require(volume.status == 0, "\(volume.stderr)")
            let sent = try #require(await site.command { $0.volume?.level == level }?.command)
            for receiver in receivers {
                let accepted = await site.event(of: receiver.id, timeout: .seconds(15)) {
                    $0.kind == .commandAccepted && $0.seq == sent.seq
                }
                #expect(accepted != nil, "\(receiver.id) did not obey the new key's volume \(level)")
                #expect(await eventually(timeout: .seconds(5)) { volumeFile(receiver) == "\(level)" })
            }
            return sent.seq
        }
        /// A volume 90 signed with the old key, as someone holding the rotated-out key file would send it:
        /// refused as `bad-signature` by every receiver in `receivers`.
        func refusedOldKey(seq: Int64, by receivers: [LiveSite.Receiver]) async throws {
            let command = ControlCommand(
                site: LiveSite.site,
                to: .all,
                seq: seq,
                ts: LiveSite.now(),
                volume: .init(level: 90)
            )
            try site.publish(try SignedEnvelope.seal(command, with: oldKey), on: site.topics.commands(.all))
            for receiver in receivers {
                let rejected = await site.event(of: receiver.id, timeout: .seconds(15)) {
                    $0.kind == .commandRejected && $0.seq == seq
                }
                #expect(rejected?.reason == "bad-signature", "\(receiver.id): \(String(describing: rejected))")
                #expect(volumeFile(receiver) != "90")
            }
        }

        #expect(await adopted(dong), "rx-dong-01 kept no rotation: \(dong.process.stderr)")
        var seq = try await obeyed(30, by: [dong])
        try await refusedOldKey(seq: seq + 1_000, by: [dong])

        // Started after the rotation, configured with the old key: it catches up from the retained chain.
        let tay = try site.startReceiver("rx-tay-01", zone: "thon-tay", controllerKey: site.key)
        try #require(await site.waitUntilOnline([tay.id]), "receiver not online: \(tay.process.stderr)")
        #expect(await adopted(tay), "rx-tay-01 did not catch up: \(tay.process.stderr)")
        seq = try await obeyed(35, by: [dong, tay])
        try await refusedOldKey(seq: seq + 1_000, by: [dong, tay])

        // Restarted with the retained chain gone from the broker: the key kept in its state dir is all it has.
        try site.watcher.publish(
            BusMessage(topic: site.topics.controllerKey, payload: [], delivery: .atLeastOnce, retain: true)
        )
        dong.process.signal(SIGTERM)
        #expect(await dong.process.waitForExit(timeout: .seconds(10)) != nil, "rx-dong-01 did not stop")
        let restarted = try site.startReceiver("rx-dong-01", zone: "thon-dong", controllerKey: site.key)
        try #require(
            await eventually(timeout: .seconds(30), every: .milliseconds(50)) {
                site.statuses(of: restarted.id).suffix(2) == [.offline, .online]
            },
            "receiver not back online: \(restarted.process.stderr)"
        )
        seq = try await obeyed(25, by: [restarted, tay])
        try await refusedOldKey(seq: seq + 1_000, by: [restarted])

        // Audited once, for the technician who rotated, over the socket; the refused ones left no rotation behind.
        let audit = try LoaDatabase(path: "\(site.daemon.stateDirectory)/loa.sqlite").recentAudit()
        let rotations = audit.filter { $0.action == "key.rotated" }
        #expect(rotations.count == 1 && rotations.first?.actor == "ky-thuat", "\(rotations)")
        #expect(rotations.first?.origin?.hasPrefix("socket") == true, "\(rotations)")
        #expect(rotations.first?.detail?.contains(newKey) == true)
    }
}
