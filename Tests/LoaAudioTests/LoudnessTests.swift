import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

@Suite struct LoudnessTests {
    static let target = LoudnessTarget.default

    /// Inputs from far too quiet to far too loud, speech and noise; each is imported and the stored WAV is measured
    /// again from disk, independently of the importer's own figures.
    static let inputs: [(String, Double)] = [
        ("quiet speech", -20),  // espeak-ng, turned down 20 dB: needs gain and then limiting
        ("loud speech", 0),  // espeak-ng as it comes (peaks near 0 dBFS): limiting
        ("loud noise", -3),  // pink noise near full scale: turned down
        ("quiet noise", -40),  // pink noise far below target: large gain
        ("tone", -30),  // a steady sine: gain, no limiting needed
    ]

    @Test(arguments: inputs)
    func normalisedAssetsMeasureOnTargetUnderTheCeiling(_ kind: String, _ gainDB: Double) throws {
        let fixtures = try AudioFixtures("loudness")
        defer { fixtures.remove() }
        let source: String
        switch kind {
        case "quiet speech", "loud speech":
            let raw = try fixtures.speech(
                "raw.wav",
                text: "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm."
            )
            source = fixtures.path("source.wav")
            try AudioFixtures.run(["sox", raw, source, "gain", "\(gainDB)"])
        case "tone":
            source = try fixtures.tone("source.wav", seconds: 5, rate: 44_100, channels: 1, gainDB: gainDB)
        default:
            source = try fixtures.noise("source.wav", seconds: 5, gainDB: gainDB)
        }
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let asset = try AssetImporter(library: library).importFile(at: source)

        let stored = try AudioCheck.inspect(try #require(library.wavPath(asset.id)))
        let integrated = try #require(stored.integratedLUFS)
        let truePeak = try #require(stored.truePeakDBTP)
        #expect(abs(integrated - Self.target.integratedLUFS) <= 0.5, "\(kind): \(integrated) LUFS")
        #expect(truePeak <= Self.target.truePeakCeilingDBTP, "\(kind): \(truePeak) dBTP")
        #expect(stored.sampleRate == 48_000 && stored.channels == 1)
        // The importer's own "after" figures agree with the independent measurement.
        #expect(abs((asset.loudnessAfter.integratedLUFS ?? 0) - integrated) < 0.05)
        #expect(asset.loudnessBefore.integratedLUFS != nil)
    }

    @Test func aToneThatFitsIsOnlyScaled() throws {
        let clip = AudioClip(samples: (0..<96_000).map { Float(0.01 * sin(2 * Double.pi * 440 * Double($0) / 48_000)) })
        let result = try LoudnessNormalizer().normalize(clip)
        #expect(!result.limited)
        #expect(abs((result.after.integratedLUFS ?? 0) - -16) < 0.05)
        #expect((result.after.truePeakDBTP ?? 0) <= -1)
    }

    @Test func aHeavilyClippedSquareStaysUnderTheCeiling() throws {
        // A full-scale square wave with a quiet passage: it needs gain down overall.
        var samples = (0..<96_000).map { Float(($0 / 50) % 2 == 0 ? 1 : -1) }
        samples += (0..<96_000).map { Float(0.001 * sin(Double($0))) }
        let result = try LoudnessNormalizer().normalize(AudioClip(samples: samples))
        #expect((result.after.truePeakDBTP ?? 0) <= -1)
        #expect(abs((result.after.integratedLUFS ?? 0) - -16) <= 0.5)
    }

    @Test func silenceAndVeryShortClipsAreLeftUnderTheCeiling() throws {
        let silence = try LoudnessNormalizer().normalize(.silence(seconds: 1))
        #expect(silence.after.integratedLUFS == nil && silence.gainDB == 0)
        // 100 ms is too short for a 400 ms gating block: only the peak is brought under the ceiling.
        let click = AudioClip(samples: (0..<4800).map { Float(sin(Double($0) / 3)) })
        let result = try LoudnessNormalizer().normalize(click)
        #expect((result.after.truePeakDBTP ?? 0) <= -1)
    }
}
