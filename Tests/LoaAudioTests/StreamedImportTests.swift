import Crypto
import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaAudio

/// The two-pass import that never holds the programme makes the asset the in-memory pipeline makes, to the
/// byte, and leaves to that pipeline what needs the limiter.
@Suite("Streamed imports")
struct StreamedImportTests {
    /// The in-memory pipeline's asset for `path`: its id, its Opus packets and its loudness.
    static func inMemory(_ importer: AssetImporter, _ path: String) throws -> (String, OpusStream, NormalizedAudio) {
        let prepared = try importer.pipeline.prepare(file: path, name: "x")
        let id = SHA256.hash(data: prepared.wav).map { String(format: "%02x", $0) }.joined()
        return (id, prepared.opus, prepared.normalized)
    }

    @Test(arguments: [
        ("resampled stereo", 44_100, 2, "wav"),
        ("48 kHz mono", 48_000, 1, "wav"),
        ("an MP3", 44_100, 2, "mp3"),
    ])
    func aProgrammeThatNeedsOnlyAGainIsStreamedToTheSameAsset(
        what: String,
        rate: Int,
        channels: Int,
        kind: String
    )
        throws
    {
        let fixtures = try AudioFixtures("streamed")
        defer { fixtures.remove() }
        // Brown noise 20 dB down: a gain of several dB brings it to -16 LUFS with its peaks well under the ceiling.
        let wav = fixtures.path("noise.wav")
        try AudioFixtures.run([
            "sox", "-R", "-n", "-r", "\(rate)", "-c", "\(channels)", "-b", "16", wav, "synth", "20", "brownnoise",
            "gain", "-20",
        ])
        let path = kind == "wav" ? wav : try fixtures.convert(wav, to: "noise.mp3")
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let importer = AssetImporter(library: library)
        let streamed = try #require(try importer.importStreaming(at: path, name: "x", progress: nil), "\(what)")
        let (id, opus, normalized) = try Self.inMemory(importer, path)
        #expect(streamed.id == id, "\(what)")
        #expect(streamed.limited == false && normalized.limited == false)
        #expect(streamed.gainDB == normalized.gainDB)
        #expect(streamed.loudnessBefore == normalized.before && streamed.loudnessAfter == normalized.after)
        let stored = try OggOpusFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: library.opusPath(id)!))))
        #expect(stored == opus, "\(what)")
        #expect(AudioFixtures.contents(of: "\(library.directory)/.incoming").isEmpty)
    }

    @Test func aProgrammeThatNeedsTheLimiterIsLeftToTheInMemoryPipeline() throws {
        let fixtures = try AudioFixtures("streamed")
        defer { fixtures.remove() }
        // Quiet noise and one full-scale click: the gain it needs would push the click far over the ceiling.
        let quiet = try fixtures.noise("quiet.wav", seconds: 10, gainDB: -30)
        let click = fixtures.path("click.wav")
        try AudioFixtures.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", click, "synth", "0.01", "square"])
        let programme = fixtures.path("programme.wav")
        try AudioFixtures.run(["sox", quiet, click, programme])
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let importer = AssetImporter(library: library)
        #expect(try importer.importStreaming(at: programme, name: "x", progress: nil) == nil)
        #expect(AudioFixtures.contents(of: "\(library.directory)/.incoming").isEmpty)
        let imported = try importer.importFile(at: programme)
        #expect(imported.limited)
        #expect(imported.id == (try Self.inMemory(importer, programme)).0)
    }
}
