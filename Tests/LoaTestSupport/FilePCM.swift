import Foundation
import LoaALSA

/// A `file` PCM in a fresh temporary directory: a test plays into ``pcmName`` through real alsa-lib and
/// reads back, sample for sample, what was played with ``readBack()``.
///
/// The `file` PCM writes a WAV header and then every frame it is given; it is not paced in real time.
/// Close (or drain) the device before reading back. Each instance has its own directory, so tests using
/// it can run in parallel. Call ``removeDirectory()`` when done.
public struct FilePCM: Sendable {
    /// The temporary directory this instance owns.
    public let directory: URL

    /// The WAV file the PCM writes to.
    public let outputURL: URL

    /// The PCM name to open for playback: `file:'<directory>/out.wav',wav`.
    public var pcmName: String { "file:'\(outputURL.path)',wav" }

    /// Creates a fresh temporary directory.
    public init(label: String = "loa-alsa-test") throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        outputURL = directory.appendingPathComponent("out.wav")
    }

    /// Reads back what was played: the samples, the rate and the channel count from the WAV header.
    public func readBack() throws -> WAVAudio {
        try WAVAudio(parsing: Data(contentsOf: outputURL))
    }

    /// Writes `samples` (interleaved `S16_LE`) to a raw file in this directory and returns a capture PCM
    /// that plays them back, for ``PCMDevice/open(name:stream:format:latency:configuration:)``:
    ///
    ///     let source = try filePCM.captureSource(samples: known)
    ///     let device = try PCMDevice.open(name: source.pcmName, stream: .capture, format: .mono48k,
    ///                                     configuration: source.configuration)
    ///
    /// The file is raw because the `file` plugin reads a WAV header in `infile` as samples. After the
    /// samples run out, capture returns silence.
    public func captureSource(samples: [Int16], name: String = "loa_test_capture") throws -> CaptureSource {
        precondition(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "PCM name must be an identifier")
        let rawURL = directory.appendingPathComponent("\(name).raw")
        let bytes = samples.flatMap { sample -> [UInt8] in
            let bits = UInt16(bitPattern: sample.littleEndian)
            return [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8)]
        }
        try Data(bytes).write(to: rawURL)
        let configuration = """
            pcm.\(name) {
                type file
                slave.pcm null
                file "/dev/null"
                infile "\(Self.escaped(rawURL.path))"
                format raw
            }
            """
        return CaptureSource(pcmName: name, configuration: configuration, rawFileURL: rawURL)
    }

    /// A capture PCM defined by extra configuration text.
    public struct CaptureSource: Sendable, Hashable {
        /// The PCM name to open.
        public let pcmName: String
        /// The configuration text to pass as `configuration:`.
        public let configuration: String
        /// The raw sample file it reads.
        public let rawFileURL: URL
    }

    /// Deletes the temporary directory and everything in it.
    public func removeDirectory() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Escapes a string for a double-quoted ALSA configuration value.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
