import Foundation
import LoaCore
import LoaTestSupport
import Testing

@testable import LoaAudio

/// The relay's short-term levelling, on speech (espeak-ng) made quiet, loud, or broken by a long pause, fed in
/// 20 ms chunks as a stream would be.
@Suite struct LoudnessLevellerTests {
    static let rate = 48_000
    /// By then the leveller has measured a second of audio and gone to its aim.
    static let settling = 5

    @Test(arguments: [-32.0, -8.0])
    func bringsAProgrammeToTheTarget(inputLUFS: Double) throws {
        let speech = try Self.speech(at: inputLUFS, repeats: 3)
        let leveller = LoudnessLeveller()
        let output = Self.level(speech, with: leveller).output
        // After settling, every 3 s stretch (1 s apart) is within ±2 LU of −16 LUFS.
        let levels = try Self.loudness(of: output, from: Self.settling)
        #expect(!levels.isEmpty)
        for (second, lufs) in levels {
            #expect(abs(lufs - -16) <= 2, "input \(inputLUFS) LUFS: \(lufs) LUFS in the 3 s from \(second) s")
        }
        let ceiling = Float(Decibels.gain(LoudnessTarget.default.truePeakCeilingDBTP))
        let peak = output.map(abs).max() ?? 0
        #expect(peak <= ceiling + 1e-6, "peak \(peak) over the ceiling \(ceiling)")
    }

    /// Speech, 6 s of room tone at −70 dBFS, speech again: the gain holds through the pause (the room tone stays
    /// as quiet as it was), and does not overshoot when speech resumes.
    @Test func keepsAPauseQuietWithoutPumping() throws {
        let speech = try Self.speech(at: -24, repeats: 1)
        var state: UInt32 = 3
        let roomTone = (0..<(6 * Self.rate)).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return (Float(state >> 8) / Float(1 << 23) - 1) * 0.000_3
        }
        let programme = speech + roomTone + speech
        let leveller = LoudnessLeveller()
        let (output, gains) = Self.level(programme, with: leveller)
        let chunk = Self.rate / 50
        let pauseStart = speech.count / chunk
        let pauseEnd = (speech.count + roomTone.count) / chunk
        let before = gains[pauseStart - 1]
        // From 0.5 s into the pause (the momentary window has left the speech) to its end: the gain holds.
        let inPause = gains[(pauseStart + 25)..<pauseEnd]
        #expect(inPause.allSatisfy { abs($0 - before) <= 0.5 }, "gain \(before) dB before the pause: \(inPause)")
        let afterPause = gains[pauseEnd..<(pauseEnd + 150)]
        #expect(afterPause.allSatisfy { $0 <= before + 1 }, "after the pause: \(afterPause.max() ?? 0) dB")
        // The room tone comes out no louder than the gain before the pause makes it.
        let toneOut = AudioSignals.rms(output[(speech.count + Self.rate)..<(speech.count + roomTone.count)])
        let toneIn = AudioSignals.rms(roomTone[Self.rate...])
        #expect(toneOut <= toneIn * Decibels.gain(before + 0.5), "room tone \(toneIn) came out at \(toneOut)")
    }

    /// A programme far too hot (+12 dBFS peaks): no sample passes the ceiling, from the first on.
    @Test func neverPassesThePeakCeiling() {
        let tone = (0..<(4 * Self.rate)).map { Float(4 * sin(Double($0) * 2 * Double.pi * 440 / 48_000)) }
        let ceiling = Float(Decibels.gain(-1))
        let output = Self.level(tone, with: LoudnessLeveller()).output
        #expect((output.map(abs).max() ?? 0) <= ceiling + 1e-6)
    }

    /// However a stream is cut into chunks, the output is the same.
    @Test func theOutputDoesNotDependOnTheChunks() throws {
        let speech = try Self.speech(at: -20, repeats: 1)
        var whole = speech
        LoudnessLeveller().process(&whole)
        let leveller = LoudnessLeveller()
        var pieces: [Float] = []
        var offset = 0
        for size in [1, 4_799, 4_800, 4_801, 333, 100_000] + Array(repeating: 1_152, count: 1_000) {
            guard offset < speech.count else { break }
            var chunk = Array(speech[offset..<min(offset + size, speech.count)])
            leveller.process(&chunk)
            pieces += chunk
            offset += size
        }
        #expect(pieces.count == speech.count)
        #expect(pieces == whole)
        #expect(leveller.latency == 143)
    }

    // MARK: - Helpers

    /// ~10 s of espeak-ng speech (repeated `repeats` times), at 48 kHz, scaled to `lufs` integrated.
    static func speech(at lufs: Double, repeats: Int) throws -> [Float] {
        let fixtures = try AudioFixtures("leveller")
        defer { fixtures.remove() }
        let raw = try fixtures.speech(
            "speech.wav",
            text: "Thông báo của ủy ban nhân dân xã về lịch tiêm phòng cho gia súc, gia cầm trong tháng mười hai. "
                + "Đề nghị các hộ gia đình đưa vật nuôi đến điểm tiêm tại nhà văn hóa thôn vào sáng thứ bảy."
        )
        let path = fixtures.path("speech48.wav")
        try AudioFixtures.run(["sox", raw, "-r", "48000", "-c", "1", path])
        let wav = try WAVAudio(parsing: Data(contentsOf: URL(fileURLWithPath: path)))
        let samples = wav.samples.map { Float($0) / 32_768 }
        let measured = try #require(try LoudnessMeter.scan(AudioClip(samples: samples)).integratedLUFS)
        let gain = Float(Decibels.gain(lufs - measured))
        return Array(repeating: samples.map { $0 * gain }, count: repeats).flatMap { $0 }
    }

    /// `samples` through `leveller` in 20 ms chunks: the output, and the gain after each chunk.
    static func level(_ samples: [Float], with leveller: LoudnessLeveller) -> (output: [Float], gains: [Double]) {
        let chunk = rate / 50
        var output: [Float] = []
        var gains: [Double] = []
        output.reserveCapacity(samples.count)
        for start in stride(from: 0, to: samples.count, by: chunk) {
            var piece = Array(samples[start..<min(start + chunk, samples.count)])
            leveller.process(&piece)
            output += piece
            gains.append(leveller.gainDB)
        }
        return (output, gains)
    }

    /// The loudness of each 3 s stretch starting every second from `second`, LUFS (libebur128's integrated over
    /// the stretch: its short-term loudness with the gates).
    static func loudness(of samples: [Float], from second: Int) throws -> [(Int, Double)] {
        var levels: [(Int, Double)] = []
        var start = second
        while (start + 3) * rate <= samples.count {
            let stretch = Array(samples[(start * rate)..<((start + 3) * rate)])
            if let lufs = try LoudnessMeter.scan(AudioClip(samples: stretch)).integratedLUFS {
                levels.append((start, lufs))
            }
            start += 1
        }
        return levels
    }
}
