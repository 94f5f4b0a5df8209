import LoaCore

/// The one file format Loa writes for audio it keeps: 16-bit PCM mono WAV, built here byte by byte so the
/// bytes (and so an asset's SHA-256) depend only on the samples, whether written whole or chunk by chunk.
public enum WAVFile {
    /// A canonical 44-byte-header WAV of `clip`, samples rounded to 16 bits.
    public static func encode(_ clip: AudioClip) -> [UInt8] {
        let header = header(sampleRate: clip.sampleRate, frameCount: clip.frameCount)
        // The samples are written straight into uninitialised space: appending a generic run of zeros first
        // cost more than the conversion itself (a 30-minute programme is 173 MB).
        return [UInt8](unsafeUninitializedCapacity: header.count + clip.frameCount * 2) { out, initialized in
            _ = out.initialize(from: header)
            clip.samples.withUnsafeBufferPointer { pcm16($0, into: out, at: header.count) }
            initialized = header.count + clip.frameCount * 2
        }
    }

    /// The 44-byte header of a mono 16-bit WAV of `frameCount` samples.
    public static func header(sampleRate: Int, frameCount: Int) -> [UInt8] {
        let dataBytes = frameCount * 2
        var header: [UInt8] = []
        header += Array("RIFF".utf8)
        header.appendLittleEndian(UInt32(36 + dataBytes))
        header += Array("WAVEfmt ".utf8)
        header.appendLittleEndian(UInt32(16))  // fmt chunk size
        header.appendLittleEndian(UInt16(1))  // PCM
        header.appendLittleEndian(UInt16(1))  // mono
        header.appendLittleEndian(UInt32(sampleRate))
        header.appendLittleEndian(UInt32(sampleRate * 2))  // byte rate
        header.appendLittleEndian(UInt16(2))  // block align
        header.appendLittleEndian(UInt16(16))  // bits per sample
        header += Array("data".utf8)
        header.appendLittleEndian(UInt32(dataBytes))
        return header
    }

    /// `samples` as the data of the WAV: 16-bit little-endian.
    public static func data(_ samples: [Float]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: samples.count * 2) { out, initialized in
            samples.withUnsafeBufferPointer { pcm16($0, into: out, at: 0) }
            initialized = samples.count * 2
        }
    }

    private static func pcm16(
        _ input: UnsafeBufferPointer<Float>,
        into out: UnsafeMutableBufferPointer<UInt8>,
        at start: Int
    ) {
        var offset = start
        for sample in input {
            // As `AudioClip.int16Samples()`: rounded, clipped to the 16-bit range.
            let value = UInt16(bitPattern: Int16(max(-32768, min(32767, (sample * 32768).rounded()))))
            out[offset] = UInt8(value & 0xFF)
            out[offset + 1] = UInt8(value >> 8)
            offset += 2
        }
    }
}
