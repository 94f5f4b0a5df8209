/// The first bytes of the audio formats Loa imports, so an upload that is not audio is refused on its first
/// bytes instead of after it has been stored whole and handed to the decoder.
///
/// The formats are those the decoder (libsndfile) reads: WAV (RIFF, RF64, BW64), MP3 (an ID3 tag or an MPEG
/// audio frame header), FLAC, Ogg (Vorbis and Opus) and AIFF.
public enum AudioSignature: String, Sendable, Hashable, CaseIterable {
    case wav = "WAV"
    case mp3 = "MP3"
    case flac = "FLAC"
    case ogg = "Ogg"
    case aiff = "AIFF"

    /// How many bytes ``recognize(_:)`` needs to decide (fewer only when the whole file is shorter).
    public static let prefixLength = 12

    /// The formats named for an operator: `WAV, MP3, FLAC, Ogg (Vorbis, Opus) or AIFF`.
    public static let acceptedFormats = "WAV, MP3, FLAC, Ogg (Vorbis, Opus) or AIFF"

    /// The format `prefix` starts like, or nil when it is none of them.
    public static func recognize(_ prefix: some Collection<UInt8>) -> AudioSignature? {
        let bytes = Array(prefix.prefix(prefixLength))
        func starts(_ text: String, at offset: Int = 0) -> Bool {
            let magic = Array(text.utf8)
            return bytes.count >= offset + magic.count && Array(bytes[offset..<(offset + magic.count)]) == magic
        }
        if starts("RIFF") || starts("RF64") || starts("BW64") { return starts("WAVE", at: 8) ? .wav : nil }
        if starts("FORM") { return starts("AIFF", at: 8) || starts("AIFC", at: 8) ? .aiff : nil }
        if starts("fLaC") { return .flac }
        if starts("OggS") { return .ogg }
        // An ID3v2 tag comes before MP3 frames (and, rarely, before FLAC; the decoder tells them apart).
        if starts("ID3") { return .mp3 }
        if bytes.count >= 3, isMPEGAudioHeader(bytes[0], bytes[1], bytes[2]) { return .mp3 }
        return nil
    }

    /// An MPEG audio frame header: 11 sync bits, a version and a layer that exist, and a bit rate and a sample
    /// rate that are not the reserved values.
    static func isMPEGAudioHeader(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
        guard first == 0xFF, second & 0xE0 == 0xE0 else { return false }
        let version = (second >> 3) & 0b11
        let layer = (second >> 1) & 0b11
        let bitRate = third >> 4
        let sampleRate = (third >> 2) & 0b11
        return version != 0b01 && layer != 0b00 && bitRate != 0b1111 && sampleRate != 0b11
    }
}
