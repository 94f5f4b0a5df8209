import Foundation
import Hummingbird
import HummingbirdTesting
import LoaAudio
import LoaCore
import LoaHTTP
import LoaTestSupport
import Testing

@testable import LoaServer

/// Uploads and imports in-process: refused early (size, first bytes, free space) with a status and a message
/// naming the file, imported in the background, cancelled at once, and reclaimed when nothing plays them.
@Suite("Uploads and imports")
struct AssetImportServiceTests {
    static let user = Caller.chuTich

    func application(_ station: StationHarness, _ assets: AssetImportService) -> some ApplicationProtocol {
        Application(
            router: APIRouter.build(
                access: station.access,
                health: station.health,
                schedules: station.book,
                assets: assets,
                receivers: station.monitor,
                metrics: station.monitor.metricsSource(health: station.health, database: station.database, journal: nil)
            )
        )
    }

    static func headers(_ station: StationHarness, name: String, length: Int? = nil) async throws -> HTTPFields {
        var fields = try await station.credentials(user.name)
        fields[.init("X-Loa-Filename")!] = name
        if let length { fields[.contentLength] = "\(length)" }
        return fields
    }

    static func error(_ response: TestResponse) throws -> String {
        try JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: response.body)).error
    }

    /// Leaves no file behind in the staging area.
    static func staged(_ station: StationHarness) -> [String] {
        AudioFixtures.contents(of: "\(station.state)/assets/.incoming")
    }

    @Test func anUploadTheDiskCannotHoldIsRefusedBeforeItsBody() async throws {
        let station = try await StationHarness()
        let assets = try station.makeAssets(freeSpace: { _ in 300 << 20 })
        let limits = AssetImportService.Limits()
        // A 600 MB WAV: itself, the hour of audio its import may store, and the reserve.
        let needed = AssetImportService.spaceNeeded(forUpload: 600 << 20) + limits.reserveBytes
        let refusal = await #expect(throws: OperationError.self) {
            try await assets.admitUpload(
                name: "chuong-trinh.wav",
                declaredBytes: 600 << 20,
                urgent: false,
                by: Self.user
            )
        }
        #expect(refusal?.kind == .insufficientStorage)
        #expect(
            refusal?.message.hasPrefix("'chuong-trinh.wav' needs \(FreeSpace.describe(needed)) free") == true,
            "\(refusal?.message ?? "")"
        )
        #expect(refusal?.message.contains("only 300 MB is free") == true, "\(refusal?.message ?? "")")

        // Through the API: 507, before the body is read, and nothing staged.
        let full = try station.makeAssets(freeSpace: { _ in 10 << 20 })
        try await application(station, full).test(.router) { client in
            let refused = try await client.execute(
                uri: "/api/v1/assets",
                method: .post,
                headers: try await Self.headers(station, name: "chuong-trinh.wav"),
                body: ByteBuffer(bytes: Array("RIFF\0\0\0\0WAVE".utf8))
            )
            #expect(refused.status.code == 507)
            #expect(try Self.error(refused).contains("only 10 MB is free"))
        }
        #expect(Self.staged(station).isEmpty)
    }

    @Test func anUploadOverTheLimitIsRefused() async throws {
        let station = try await StationHarness()
        let declared = await #expect(throws: OperationError.self) {
            try await station.makeAssets().admitUpload(
                name: "dai.wav",
                declaredBytes: 700 << 20 + 1,
                urgent: false,
                by: Self.user
            )
        }
        #expect(declared?.kind == .tooLarge)
        #expect(declared?.message.contains("one upload may have at most 700 MB") == true)
        let assets = try station.makeAssets(limits: .init(maximumUploadBytes: 64 << 10))
        try await application(station, assets).test(.router) { client in
            // Refused from its Content-Length, or, without one, as the bytes arrive.
            let streamed = try await client.execute(
                uri: "/api/v1/assets",
                method: .post,
                headers: try await Self.headers(station, name: "dai.wav"),
                body: ByteBuffer(bytes: Array("RIFF\0\0\0\0WAVE".utf8) + [UInt8](repeating: 0, count: 128 << 10))
            )
            #expect(streamed.status == .contentTooLarge)
            #expect(try Self.error(streamed).hasPrefix("'dai.wav'"))
        }
        #expect(Self.staged(station).isEmpty)
    }

    @Test func aFileThatIsNotAudioIsRefusedOnItsFirstBytes() async throws {
        let station = try await StationHarness()
        let assets = try station.makeAssets()
        try await application(station, assets).test(.router) { client in
            let refused = try await client.execute(
                uri: "/api/v1/assets",
                method: .post,
                headers: try await Self.headers(station, name: "bien-ban.pdf"),
                body: ByteBuffer(bytes: Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0x20, count: 1 << 20))
            )
            #expect(refused.status == .unsupportedMediaType)
            let message = try Self.error(refused)
            #expect(message.contains("'bien-ban.pdf' is not an audio file"), "\(message)")
            #expect(message.contains(AudioSignature.acceptedFormats), "\(message)")
        }
        #expect(Self.staged(station).isEmpty)
        #expect(try await assets.storedAssets().isEmpty)
    }

    @Test func anUploadIsAnsweredAtOnceAndImportedInTheBackground() async throws {
        let station = try await StationHarness()
        let fixtures = try AudioFixtures("upload")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("ban-tin.wav", seconds: 3)
        let assets = try station.makeAssets()
        let running = Task { try await assets.run() }
        defer { running.cancel() }
        let reader = try await station.credentials("thanh-tra")
        try await application(station, assets).test(.router) { client in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: wav))
            let accepted = try await client.execute(
                uri: "/api/v1/assets",
                method: .post,
                headers: try await Self.headers(station, name: "ban-tin.wav", length: bytes.count),
                body: ByteBuffer(bytes: bytes)
            )
            #expect(accepted.status == .accepted)
            let receipt = try APICoding.decoder().decode(AssetImportStatus.self, from: Data(buffer: accepted.body))
            #expect(receipt.bytes == bytes.count && receipt.name == "ban-tin.wav")
            var status = receipt
            let finished = await eventually(timeout: .seconds(30)) {
                let reply = try? await client.execute(
                    uri: "/api/v1/imports/\(receipt.id)",
                    method: .get,
                    headers: reader
                )
                status =
                    (try? APICoding.decoder().decode(AssetImportStatus.self, from: Data(buffer: reply!.body)))
                    ?? status
                return status.isFinished
            }
            #expect(finished && status.state == .done, "\(status)")
            let listed = try await client.execute(uri: "/api/v1/assets", method: .get, headers: reader)
            let stored = try APICoding.decoder().decode([StoredAsset].self, from: Data(buffer: listed.body))
            #expect(stored.map(\.id) == [status.asset?.id])
            #expect(stored.first?.referenced == false && (stored.first?.sizeBytes ?? 0) > 0)
        }
        #expect(Self.staged(station).isEmpty)
    }

    @Test func stoppingTheServiceCancelsARunningImport() async throws {
        let station = try await StationHarness()
        let fixtures = try AudioFixtures("cancel")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("dai.wav", seconds: 900, rate: 8_000, channels: 1)
        let assets = try station.makeAssets()
        let running = Task { try await assets.run() }
        let ticket = try await assets.admitUpload(name: "dai.wav", declaredBytes: nil, urgent: false, by: Self.user)
        try FileManager.default.copyItem(atPath: wav, toPath: ticket.path)
        let receipt = try await assets.enqueueImport(ticket, bytes: 1)
        let importing = await eventually(timeout: .seconds(30), every: .milliseconds(20)) {
            (try? await assets.importStatus(id: receipt.id))?.state == .importing
        }
        #expect(importing)
        running.cancel()
        // The scenario: SIGTERM ends the service's run; it must return, not wait for the import to finish.
        #expect(await within(.seconds(30)) { (try? await running.value) != nil })
        let status = try await assets.importStatus(id: receipt.id)
        #expect(status.state == .failed && status.error?.contains("cancelled") == true, "\(status)")
        #expect(Self.staged(station).isEmpty)
    }

    @Test func anUrgentUploadIsImportedWhileAProgrammeIsStillImporting() async throws {
        let station = try await StationHarness()
        let fixtures = try AudioFixtures("urgent")
        defer { fixtures.remove() }
        let assets = try station.makeAssets()
        let running = Task { try await assets.run() }
        defer { running.cancel() }
        let programme = try await assets.admitUpload(name: "dai.wav", declaredBytes: nil, urgent: false, by: Self.user)
        try FileManager.default.copyItem(
            atPath: try fixtures.tone("dai.wav", seconds: 1_800, rate: 8_000, channels: 1),
            toPath: programme.path
        )
        let long = try await assets.enqueueImport(programme, bytes: 1)
        #expect(
            await eventually(timeout: .seconds(30), every: .milliseconds(20)) {
                (try? await assets.importStatus(id: long.id))?.state == .importing
            }
        )

        // An operator may upload, but only those who may air at once send an urgent upload.
        await #expect(throws: OperationError.self) {
            _ = try await assets.admitUpload(name: "bao.wav", declaredBytes: nil, urgent: true, by: .canBoVanHoa)
        }
        let flood = try await assets.admitUpload(name: "bao.wav", declaredBytes: nil, urgent: true, by: Self.user)
        #expect(flood.isUrgent)
        try FileManager.default.copyItem(atPath: try fixtures.tone("bao.wav", seconds: 3), toPath: flood.path)
        let receipt = try await assets.enqueueImport(flood, bytes: 1)
        // The urgent upload's request waits for its import, which does not wait for the programme's.
        await assets.waitUntilFinished(id: receipt.id)
        let status = try await assets.importStatus(id: receipt.id)
        #expect(status.state == .done, "\(status)")
        // It did not wait for the programme, which is still being imported.
        #expect(try await assets.importStatus(id: long.id).state == .importing)
    }

    @Test func audioNothingPlaysIsReclaimedAfterTheGracePeriod() async throws {
        let station = try await StationHarness()
        let fixtures = try AudioFixtures("reclaim")
        defer { fixtures.remove() }
        let assets = try station.makeAssets(limits: .init(graceSeconds: 1))
        let running = Task { try await assets.run() }
        defer { running.cancel() }
        func imported(_ name: String, frequency: Int) async throws -> String {
            let ticket = try await assets.admitUpload(name: name, declaredBytes: nil, urgent: false, by: Self.user)
            try FileManager.default.copyItem(
                atPath: try fixtures.tone(name, seconds: 2, frequency: frequency),
                toPath: ticket.path
            )
            let receipt = try await assets.enqueueImport(ticket, bytes: 1)
            var status = receipt
            _ = await eventually(timeout: .seconds(30)) {
                status = (try? await assets.importStatus(id: receipt.id)) ?? status
                return status.isFinished
            }
            return try #require(status.asset?.id, "\(status)")
        }
        let kept = try await imported("lich-tiem.wav", frequency: 440)
        let draft = ScheduleDraft(
            announcement: Announcement(title: "Lịch tiêm", content: .audio(assetID: kept)),
            recurrence: .daily(times: [try LocalTime(parsing: "05:00")])
        )
        _ = try await station.book.addSchedule(draft, by: Self.user)
        let dropped = try await imported("thu-am.wav", frequency: 660)

        let reclaimed = await eventually(timeout: .seconds(30)) {
            (try? await assets.storedAssets())?.map(\.id) == [kept]
        }
        #expect(reclaimed)
        #expect(!FileManager.default.fileExists(atPath: "\(station.state)/assets/\(dropped)"))
        #expect(FileManager.default.fileExists(atPath: "\(station.state)/assets/\(kept)/audio.opus"))
        #expect(try await assets.storedAssets().first?.referenced == true)
    }
}
