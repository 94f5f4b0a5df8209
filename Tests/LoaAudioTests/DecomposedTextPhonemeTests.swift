import Foundation
import LoaAudio
import LoaCore
import Testing

/// Decomposed (NFD) Vietnamese, as pasted from the web or a Mac, read by the real espeak-ng as Loa runs it
/// (`EspeakEngine`: `-v vi -s 160 -b 1`, text on stdin), asked for phonemes (`-x -q`) instead of a WAV.
/// After Loa's normalisation NFD reads exactly as NFC; as it is, it does not (so this test can fail).
@Suite("NFD text through espeak-ng")
struct DecomposedTextPhonemeTests {
    /// espeak-ng's phonemes for `text`, as Loa would hand it the text.
    static func phonemes(_ text: String, voice: String = "vi") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "espeak-ng", "-v", voice, "-s", String(EspeakEngine().wordsPerMinute), "-b", "1", "-x", "-q", "--stdin",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data((text + "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: [
        "thưa", "nhân dân", "thông",
        "Thưa bà con, Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em ở thôn Đông.",
    ])
    func nfdGivesTheSamePhonemesAsNFCOnceNormalised(text: String) throws {
        let nfc = text.precomposedStringWithCanonicalMapping
        let nfd = text.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.unicodeScalars) != Array(nfc.unicodeScalars))
        let normalizer = VietnameseTextNormalizer()
        let expected = try Self.phonemes(normalizer.normalize(nfc))
        #expect(!expected.isEmpty)
        #expect(try Self.phonemes(normalizer.normalize(nfd)) == expected)
        // Without Loa's normalisation the decomposed text reads otherwise: "thưa" in the English voice,
        // "nhân dân" and "thông" with the wrong vowels.
        #expect(try Self.phonemes(nfd) != expected)
    }
}
