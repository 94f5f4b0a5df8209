import LoaCore
import Testing

/// Uploads are refused on their first bytes when they are not audio: the signatures of the formats Loa
/// imports, and look-alikes that are not audio.
@Suite("Audio signatures")
struct AudioSignatureTests {
    static func bytes(_ text: String, then rest: [UInt8] = []) -> [UInt8] { Array(text.utf8) + rest }

    @Test(arguments: [
        (bytes("RIFF", then: [0x24, 0, 0, 0]) + bytes("WAVEfmt "), AudioSignature.wav),
        (bytes("RF64", then: [0xFF, 0xFF, 0xFF, 0xFF]) + bytes("WAVEds64"), .wav),
        (bytes("ID3", then: [4, 0, 0, 0, 0, 0, 0, 0, 0]), .mp3),
        ([0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0], .mp3),  // MPEG-1 layer III, 128 kbit/s, 44.1 kHz
        ([0xFF, 0xF3, 0x48, 0xC4, 0, 0, 0, 0, 0, 0, 0, 0], .mp3),  // MPEG-2 layer III (lame at 16 kHz)
        (bytes("fLaC", then: [0, 0, 0, 0x22, 0, 0, 0, 0]), .flac),
        (bytes("OggS", then: [0, 2, 0, 0, 0, 0, 0, 0]), .ogg),
        (bytes("FORM", then: [0, 0, 0, 0]) + bytes("AIFF"), .aiff),
    ])
    func recognisesTheFormatsLoaImports(prefix: [UInt8], format: AudioSignature) {
        #expect(AudioSignature.recognize(prefix) == format)
    }

    @Test(
        arguments: [
            ("a PDF", bytes("%PDF-1.7\n%âãÏÓ")),
            ("a ZIP", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0]),
            ("a PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]),
            ("text", bytes("Kính thưa bà con")),
            ("an AVI in RIFF", bytes("RIFF", then: [0, 0, 0, 0]) + bytes("AVI LIST")),
            ("a reserved MPEG layer", [0xFF, 0xF9, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0]),
            ("a reserved bit rate", [0xFF, 0xFB, 0xF0, 0x64, 0, 0, 0, 0, 0, 0, 0, 0]),
            ("too short to tell", bytes("RIF")),
            ("nothing", []),
        ] as [(String, [UInt8])]
    )
    func refusesWhatIsNotAudio(what: String, prefix: [UInt8]) {
        #expect(AudioSignature.recognize(prefix) == nil, "\(what)")
    }
}
