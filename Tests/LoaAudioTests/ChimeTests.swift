import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

@Suite struct ChimeTests {
    /// The repository's `audio/` folder.
    static let audioDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("audio").path

    /// The committed chimes are what the generator makes (within one 16-bit step). Set `LOA_WRITE_CHIMES=1` to
    /// regenerate them after changing the synthesiser.
    @Test(arguments: ChimeKind.allCases)
    func committedChimesMatchTheGenerator(_ kind: ChimeKind) throws {
        if ProcessInfo.processInfo.environment["LOA_WRITE_CHIMES"] == "1" {
            try Chimes.write(to: Self.audioDirectory)
        }
        let path = "\(Self.audioDirectory)/\(kind.fileName)"
        let committed = try #require(FileManager.default.contents(atPath: path), "missing \(path)")
        let generated = try Chimes.wav(kind)
        #expect(committed.count == generated.count)
        let a = Self.samples(Array(committed))
        let b = Self.samples(generated)
        var worst = 0
        for (x, y) in zip(a, b) { worst = max(worst, abs(Int(x) - Int(y))) }
        #expect(worst <= 1)
        #expect(committed.count < 200_000, "chimes stay small")
    }

    /// The 16-bit samples after a canonical 44-byte header.
    static func samples(_ wav: [UInt8]) -> [Int16] {
        stride(from: 44, to: wav.count - 1, by: 2).map { Int16(bitPattern: UInt16(wav[$0]) | UInt16(wav[$0 + 1]) << 8) }
    }

    @Test(arguments: ChimeKind.allCases)
    func chimesAreNormalisedLikeEverythingElse(_ kind: ChimeKind) throws {
        let info = try AudioCheck.inspect("\(Self.audioDirectory)/\(kind.fileName)")
        #expect(info.sampleRate == 48_000 && info.channels == 1)
        #expect(abs((info.integratedLUFS ?? 0) - -16) <= 0.5)
        #expect((info.truePeakDBTP ?? 0) <= -1)
        #expect((1.0...2.5).contains(info.durationSeconds))
    }

    @Test func theAnnouncementsSettingDecidesTheFraming() throws {
        let framing = try Chimes.load(from: Self.audioDirectory)
        let item = AudioClip(samples: [Float](repeating: 0.1, count: 48_000))
        let with = Announcement(title: "Họp dân", content: .audio(assetID: "x"), chime: true)
        let without = Announcement(title: "Họp dân", content: .audio(assetID: "x"), chime: false)

        let framed = framing.assemble(item, for: with)
        let gap = Int(0.4 * 48_000)
        #expect(framed.frameCount == framing.start.frameCount + gap + item.frameCount + gap + framing.end.frameCount)
        #expect(Array(framed.samples.prefix(framing.start.frameCount)) == framing.start.samples)
        #expect(Array(framed.samples.suffix(framing.end.frameCount)) == framing.end.samples)
        #expect(framed.samples[framing.start.frameCount + gap] == 0.1)
        #expect(framing.assemble(item, for: without) == item)
    }

    @Test func generatedAndLoadedChimesAgree() throws {
        let generated = try Chimes.framing()
        let loaded = try Chimes.load(from: Self.audioDirectory)
        #expect(generated.start.frameCount == loaded.start.frameCount)
        #expect(AudioSignals.correlation(generated.start.samples, loaded.start.samples, lag: 0) > 0.999)
    }

    @Test func theSynthesiserIsDeterministic() {
        #expect(ChimeSynthesizer.render(.start) == ChimeSynthesizer.render(.start))
        #expect(ChimeSynthesizer.render(.start) != ChimeSynthesizer.render(.end))
    }
}
