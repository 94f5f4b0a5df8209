import Foundation
import LoaALSA

/// 16-bit PCM audio read from a WAV file, such as the one a `file` PCM writes (see ``FilePCM``).
public struct WAVAudio: Sendable, Hashable {
    /// Interleaved samples.
    public var samples: [Int16]
    public var sampleRate: Int
    public var channels: Int

    /// The format, for comparing with what a device was opened with.
    public var format: PCMFormat { PCMFormat(sampleRate: sampleRate, channels: channels) }

    /// The number of frames.
    public var frameCount: Int { samples.count / channels }

    /// Why a WAV file could not be read.
    public struct ParseError: Error, CustomStringConvertible, Sendable, Hashable {
        public let reason: String
        public var description: String { "cannot read WAV: \(reason)" }
    }

    /// Parses a RIFF/WAVE file by walking its chunks: the `fmt ` chunk must describe 16-bit PCM (plain or
    /// `WAVE_FORMAT_EXTENSIBLE`), and the samples come from the `data` chunk, however many chunks precede
    /// it. A `data` size that runs past the end (a header never finalised) is cut to the bytes present.
    public init(parsing data: Data) throws {
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }

        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else {
            throw ParseError(reason: "not a RIFF/WAVE file (\(bytes.count) bytes)")
        }
        var format: (rate: Int, channels: Int)? = nil
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = tag(offset)
            let size = u32(offset + 4)
            let body = offset + 8
            switch id {
            case "fmt ":
                guard size >= 16, body + 16 <= bytes.count else { throw ParseError(reason: "short fmt chunk") }
                let audioFormat = u16(body)
                let bits = u16(body + 14)
                guard audioFormat == 1 || audioFormat == 0xFFFE, bits == 16 else {
                    throw ParseError(reason: "not 16-bit PCM (format \(audioFormat), \(bits) bits)")
                }
                let channels = u16(body + 2)
                guard channels > 0 else { throw ParseError(reason: "zero channels") }
                format = (u32(body + 4), channels)
            case "data":
                guard let format else { throw ParseError(reason: "data chunk before fmt chunk") }
                let end = min(body + size, bytes.count)
                let count = (end - body) / 2
                var samples = [Int16](repeating: 0, count: count)
                for index in 0..<count {
                    samples[index] = Int16(bitPattern: UInt16(u16(body + 2 * index)))
                }
                self.samples = samples
                self.sampleRate = format.rate
                self.channels = format.channels
                return
            default:
                break
            }
            offset = body + size + (size & 1)  // chunks are padded to an even length
        }
        throw ParseError(reason: "no data chunk")
    }
}
