import Crypto
import Foundation
import LoaCore
import LoaTestSupport
import Synchronization
import Testing

@testable import LoaAudio

/// The streamed import that never holds the programme makes the asset the in-memory pipeline makes, to the byte,
/// whether it needs only a gain (two passes) or the limiter (its passes read back the spooled samples).
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

    /// A programme of each kind that needs a gain the limiter must hold under the ceiling: pink noise 20 dB down
    /// with a passage 10 dB louder (a crescendo), loud speech (espeak-ng as it comes, 22 050 Hz), a quiet square
    /// wave with full-scale square bursts, and quiet noise with one full-scale click.
    static func loudProgramme(_ kind: String, _ fixtures: AudioFixtures) throws -> String {
        let programme = fixtures.path("programme.wav")
        switch kind {
        case "pink noise":
            let quiet = try fixtures.noise("quiet.wav", seconds: 9)
            let loud = try fixtures.noise("loud.wav", seconds: 1, gainDB: -10)
            try AudioFixtures.run(["sox", quiet, loud, programme])
        case "loud speech":
            return try fixtures.speech(
                "speech.wav",
                text: "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc, gia cầm. Đề nghị bà con chú ý."
            )
        case "square wave":
            // 220 Hz at -40 dBFS, and every half second 20 ms of it at 0.9.
            let samples = (0..<(48_000 * 6)).map { index in
                let level: Float = index % 24_000 < 960 ? 0.9 : 0.01
                return (index / 109) % 2 == 0 ? level : -level
            }
            try Data(WAVFile.encode(AudioClip(samples: samples))).write(to: URL(fileURLWithPath: programme))
        default:
            let quiet = try fixtures.noise("quiet.wav", seconds: 10, gainDB: -30)
            let click = fixtures.path("click.wav")
            try AudioFixtures.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", click, "synth", "0.01", "square"])
            try AudioFixtures.run(["sox", quiet, click, programme])
        }
        return programme
    }

    @Test(arguments: ["pink noise", "loud speech", "square wave", "quiet noise and a click"])
    func aProgrammeThatNeedsTheLimiterIsStreamedToTheSameAsset(kind: String) throws {
        let fixtures = try AudioFixtures("streamed")
        defer { fixtures.remove() }
        let path = try Self.loudProgramme(kind, fixtures)
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let importer = AssetImporter(library: library)
        let progress = ImportProgress()
        let streamed = try #require(try importer.importStreaming(at: path, name: "x", progress: progress), "\(kind)")
        #expect(progress.snapshot.stage == .storing)
        let (id, opus, normalized) = try Self.inMemory(importer, path)
        #expect(streamed.limited && normalized.limited, "\(kind)")
        #expect(streamed.id == id, "\(kind)")
        #expect(streamed.gainDB == normalized.gainDB, "\(kind)")
        #expect(streamed.loudnessBefore == normalized.before && streamed.loudnessAfter == normalized.after, "\(kind)")
        #expect(streamed.durationSeconds == normalized.clip.seconds)
        #expect((streamed.loudnessAfter.truePeakDBTP ?? 0) <= LoudnessTarget.default.truePeakCeilingDBTP)
        let stored = try OggOpusFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: library.opusPath(id)!))))
        #expect(stored == opus, "\(kind)")
        // The spooled samples and every dropped pass are gone.
        #expect(AudioFixtures.contents(of: "\(library.directory)/.incoming").isEmpty)
        #expect(AudioFixtures.contents(of: library.directory).filter { !$0.contains("/") } == [".incoming", id])
    }

    @Test func aStreamedImportThroughTheLimiterStopsWhenCancelledAndLeavesNothing() throws {
        let fixtures = try AudioFixtures("streamed")
        defer { fixtures.remove() }
        let path = try Self.loudProgramme("pink noise", fixtures)
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let progress = ImportProgress()
        // Cancels once the limiter's passes have started (the measuring pass is over), and keeps the stage seen.
        let seen = Mutex(ImportProgress.Stage.decoding)
        let watcher = Thread {
            let deadline = Date().addingTimeInterval(120)
            while progress.snapshot.stage == .decoding && Date() < deadline { usleep(200) }
            seen.withLock { $0 = progress.snapshot.stage }
            progress.cancel()
        }
        watcher.start()
        let error = #expect(throws: AudioFileError.self) {
            try AssetImporter(library: library).importStreaming(at: path, name: "x", progress: progress)
        }
        #expect(error?.problem == .cancelled)
        #expect(seen.withLock { $0 } == .normalising)
        #expect(AudioFixtures.contents(of: library.directory) == [".incoming"])
        #expect(AudioFixtures.contents(of: "\(library.directory)/.incoming").isEmpty)
    }
}
