import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

@Suite struct AnnouncementRendererTests {
    @Test func rendersAnAssetFramedByTheChimes() async throws {
        let fixtures = try AudioFixtures("render")
        defer { fixtures.remove() }
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let asset = try AssetImporter(library: library).importFile(at: try fixtures.tone("item.wav", seconds: 2))
        let chimes = try Chimes.framing()
        let renderer = AnnouncementRenderer(library: library, chimes: chimes)

        let framed = try await renderer.render(
            Announcement(title: "Bản tin", content: .audio(assetID: asset.id), chime: true)
        ).int16Samples()
        let plain = try await renderer.render(
            Announcement(title: "Bản tin", content: .audio(assetID: asset.id), chime: false)
        )
        .int16Samples()

        #expect(renderer.sampleRate == 48_000)
        #expect(plain.count == 96_000)
        #expect(framed.count == chimes.start.frameCount + 2 * Int(0.4 * 48_000) + 96_000 + chimes.end.frameCount)
        #expect(Array(framed.prefix(chimes.start.frameCount)) == chimes.start.int16Samples())
    }

    @Test func rendersAProgrammesItemsInOrderWithTheGapBetweenThemFramedOnce() async throws {
        let fixtures = try AudioFixtures("render")
        defer { fixtures.remove() }
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let importer = AssetImporter(library: library)
        let low = try importer.importFile(at: try fixtures.tone("low.wav", seconds: 1, frequency: 440))
        let high = try importer.importFile(at: try fixtures.tone("high.wav", seconds: 1, frequency: 880))
        let chimes = try Chimes.framing()
        let renderer = AnnouncementRenderer(library: library, chimes: chimes)
        let programme = Announcement(
            title: "Chương trình",
            content: .audio(assetID: low.id),
            chime: true,
            followingItems: [ProgrammeItem(title: "Cao", content: .audio(assetID: high.id))],
            itemGapSeconds: 2
        )
        let samples = try await renderer.render(programme).samples
        let framing = chimes.start.frameCount + 2 * Int(0.4 * 48_000) + chimes.end.frameCount
        #expect(samples.count == framing + 48_000 + 2 * 48_000 + 48_000)
        let first = chimes.start.frameCount + Int(0.4 * 48_000)
        #expect(AudioSignals.toneShare(samples[first + 4_800..<first + 43_200], frequency: 440) > 0.9)
        #expect(AudioSignals.rms(samples[first + 52_800..<first + 139_200]) < 0.001, "the gap is silent")
        #expect(AudioSignals.toneShare(samples[first + 148_800..<first + 187_200], frequency: 880) > 0.9)
        #expect(programme.title(ofItem: 0) == "Chương trình (1)")
        #expect(programme.title(ofItem: 1) == "Cao")
    }

    @Test func rendersTextToSpeech() async throws {
        let fixtures = try AudioFixtures("render")
        defer { fixtures.remove() }
        let renderer = AnnouncementRenderer(library: try AssetLibrary(directory: fixtures.path("assets")), chimes: nil)
        let samples = try await renderer.render(
            Announcement(title: "Họp dân", content: .tts(text: "Họp dân lúc 17h30", voice: "vi"), chime: true)
        )
        #expect(samples.frameCount > 48_000)
    }

    @Test func anUnknownAssetIsNamed() async throws {
        let fixtures = try AudioFixtures("render")
        defer { fixtures.remove() }
        let renderer = AnnouncementRenderer(library: try AssetLibrary(directory: fixtures.path("assets")), chimes: nil)
        let id = String(repeating: "ab", count: 32)
        let error = await #expect(throws: AnnouncementRenderError.self) {
            try await renderer.render(Announcement(title: "Họp dân", content: .audio(assetID: id)))
        }
        #expect(error?.description == "announcement 'Họp dân': no asset '\(id)' in the library")
    }
}
