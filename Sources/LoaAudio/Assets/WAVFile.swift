import LoaCore

/// The one file format Loa writes for audio it keeps: 16-bit PCM mono WAV, built here byte by byte so the
/// bytes (and so an asset's SHA-256) depend only on the samples.
public enum WAVFile {
    /// A canonical 44-byte-header WAV of `clip`, samples rounded to 16 bits.
    public static func encode(_ clip: AudioClip) -> [UInt8] {
        let dataBytes = clip.frameCount * 2
        var bytes: [UInt8] = []
        bytes.reserveCapacity(44 + dataBytes)
        bytes += Array("RIFF".utf8)
        bytes.appendLittleEndian(UInt32(36 + dataBytes))
        bytes += Array("WAVEfmt ".utf8)
        bytes.appendLittleEndian(UInt32(16))  // fmt chunk size
        bytes.appendLittleEndian(UInt16(1))  // PCM
        bytes.appendLittleEndian(UInt16(1))  // mono
        bytes.appendLittleEndian(UInt32(clip.sampleRate))
        bytes.appendLittleEndian(UInt32(clip.sampleRate * 2))  // byte rate
        bytes.appendLittleEndian(UInt16(2))  // block align
        bytes.appendLittleEndian(UInt16(16))  // bits per sample
        bytes += Array("data".utf8)
        bytes.appendLittleEndian(UInt32(dataBytes))
        bytes.append(contentsOf: repeatElement(0, count: dataBytes))
        clip.samples.withUnsafeBufferPointer { input in
            bytes.withUnsafeMutableBufferPointer { out in
                var offset = 44
                for sample in input {
                    // As `AudioClip.int16Samples()`: rounded, clipped to the 16-bit range.
                    let value = UInt16(bitPattern: Int16(max(-32768, min(32767, (sample * 32768).rounded()))))
                    out[offset] = UInt8(value & 0xFF)
                    out[offset + 1] = UInt8(value >> 8)
                    offset += 2
                }
            }
        }
        return bytes
    }
}
