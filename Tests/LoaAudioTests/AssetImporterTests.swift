import Foundation
import LoaAudio
import LoaCore
import LoaTestSupport
import Testing

@Suite struct AssetImporterTests {
    @Test func importsAnMP3ContentAddressedWithItsMetadata() throws {
        let fixtures = try AudioFixtures("import")
        defer { fixtures.remove() }
        let speech = try fixtures.speech("speech.wav", text: "Thông báo của Ủy ban nhân dân xã về lịch tiêm phòng.")
        let stereo = fixtures.path("stereo.wav")
        try AudioFixtures.run(["sox", speech, "-r", "44100", "-c", "2", stereo])
        let mp3 = try fixtures.convert(stereo, to: "bulletin.mp3")
        let library = try AssetLibrary(directory: fixtures.path("state/assets"))

        let asset = try AssetImporter(library: library).importFile(at: mp3, originalName: "Bản tin sáng.mp3")

        #expect(AssetLibrary.isValidID(asset.id))
        #expect(asset.originalName == "Bản tin sáng.mp3")
        #expect(asset.origin == "import")
        #expect(asset.source.format == "MP3")
        #expect(asset.source.sampleRate == 44_100 && asset.source.channels == 2)
        #expect(abs(asset.durationSeconds - asset.source.durationSeconds) < 0.02)
        #expect(asset.sampleRate == 48_000)
        #expect(asset.target == .default)
        #expect(asset.opus.profile == "speech" && asset.opus.bitRate <= 32_000)

        // Files: the WAV's SHA-256 is the ID; the metadata round-trips; the Opus file holds the packets.
        let wavPath = try #require(library.wavPath(asset.id))
        let sha256sum = try AudioFixtures.run(["sha256sum", wavPath])
        #expect(sha256sum.hasPrefix(asset.id + " "))
        #expect(library.metadata(asset.id) == asset)
        let stream = try #require(try library.opusStream(asset.id))
        #expect(stream.packets.count == asset.opus.packets && stream.preSkip == asset.opus.preSkip)
        #expect(abs(stream.seconds - asset.durationSeconds) < 0.001)
        #expect(try library.clip(asset.id)?.frameCount == Int((asset.durationSeconds * 48_000).rounded()))
        #expect(
            AudioFixtures.contents(of: library.directory)
                == [
                    ".incoming", asset.id, "\(asset.id)/audio.opus", "\(asset.id)/audio.wav",
                    "\(asset.id)/metadata.json",
                ]
        )
        #expect(library.list() == [asset])
    }

    @Test func theSameAudioIsStoredOnce() throws {
        let fixtures = try AudioFixtures("import")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("a.wav", seconds: 2)
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let importer = AssetImporter(library: library)
        let first = try importer.importFile(at: wav)
        let copy = fixtures.path("copy.wav")
        try FileManager.default.copyItem(atPath: wav, toPath: copy)
        let second = try importer.importFile(at: copy)
        #expect(first.id == second.id)
        #expect(second.originalName == "a.wav")
        #expect(library.list().count == 1)
    }

    @Test func importsSynthesisedSpeech() async throws {
        let fixtures = try AudioFixtures("import")
        defer { fixtures.remove() }
        let speech = try await SpeechSynthesizer().synthesize("Xin chào bà con", voice: "vi-vn-x-south")
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        let asset = try AssetImporter(library: library).importClip(
            speech.audio.clip,
            originalName: "Xin chào",
            origin: "tts"
        )
        #expect(asset.origin == "tts" && asset.source.format == "TTS")
        #expect(abs((asset.loudnessAfter.integratedLUFS ?? 0) - -16) <= 0.5)
    }

    @Test func onlyWellFormedIDsBecomePaths() throws {
        let fixtures = try AudioFixtures("import")
        defer { fixtures.remove() }
        let library = try AssetLibrary(directory: fixtures.path("assets"))
        for id in ["../../etc/passwd", "", String(repeating: "A", count: 64), String(repeating: "0", count: 63) + "/"] {
            #expect(library.wavPath(id) == nil)
            #expect(library.metadata(id) == nil)
        }
    }

    @Test func audioCheckReportsTheFileAsItIs() throws {
        let fixtures = try AudioFixtures("check")
        defer { fixtures.remove() }
        let wav = try fixtures.tone("tone.wav", seconds: 3, rate: 44_100, channels: 2, frequency: 1000, gainDB: -20)
        let info = try AudioCheck.inspect(wav)
        #expect(info.file == "tone.wav")
        #expect(info.format == "WAV (PCM 16-bit)")
        #expect(abs(info.durationSeconds - 3) < 0.001)
        #expect(info.sampleRate == 44_100 && info.channels == 2)
        // A 1 kHz sine at −20 dBFS peak in both channels: −20 − 3.01 (RMS) + 3.01 (two channels) ≈ −20 LUFS.
        #expect(abs((info.integratedLUFS ?? 0) - -20) < 0.2)
        #expect(abs((info.truePeakDBTP ?? 0) - -20) < 0.2)
        let json = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
        #expect(json.contains("\"integratedLUFS\""))

        let mp3 = try fixtures.convert(wav, to: "tone.mp3")
        #expect(try AudioCheck.inspect(mp3).format == "MP3")
        #expect(throws: AudioFileError.self) { try AudioCheck.inspect(fixtures.path("missing.wav")) }
    }
}
