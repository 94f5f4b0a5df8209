import Foundation
import LoaCore

/// Loa's pre-announcement and end chimes: synthesised by ``ChimeSynthesizer`` (LoaCore), normalised to the
/// loudness target like any asset, and committed as `audio/chime-start.wav` and `audio/chime-end.wav`.
///
/// ``write(to:target:)`` regenerates the committed files; ``framing(target:)`` makes the same audio in memory,
/// and ``load(from:)`` reads a site's (possibly replaced) files.
public enum Chimes {
    /// The chime at 48 kHz, normalised to `target`.
    public static func make(
        _ kind: ChimeKind,
        target: LoudnessTarget = .default
    ) throws(EBUR128Error) -> NormalizedAudio {
        try LoudnessNormalizer(target: target).normalize(ChimeSynthesizer.render(kind))
    }

    /// The chime as the committed WAV file's bytes.
    public static func wav(_ kind: ChimeKind, target: LoudnessTarget = .default) throws(EBUR128Error) -> [UInt8] {
        WAVFile.encode(try make(kind, target: target).clip)
    }

    /// Writes `chime-start.wav` and `chime-end.wav` into `directory`; returns their paths.
    @discardableResult
    public static func write(to directory: String, target: LoudnessTarget = .default) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try ChimeKind.allCases.map { kind in
            let path = "\(directory)/\(kind.fileName)"
            try Data(wav(kind, target: target)).write(to: URL(fileURLWithPath: path), options: .atomic)
            return path
        }
    }

    /// Both chimes generated in memory.
    public static func framing(
        target: LoudnessTarget = .default,
        gapSeconds: Double = 0.4
    ) throws(EBUR128Error)
        -> ChimeFraming
    {
        ChimeFraming(
            start: try make(.start, target: target).clip,
            end: try make(.end, target: target).clip,
            gapSeconds: gapSeconds
        )
    }

    /// Both chimes read from `directory` (`chime-start.wav`, `chime-end.wav`), at 48 kHz.
    public static func load(from directory: String, gapSeconds: Double = 0.4) throws(AudioFileError) -> ChimeFraming {
        let decoder = AudioDecoder()
        let start = try decoder.decode("\(directory)/\(ChimeKind.start.fileName)").clip
        let end = try decoder.decode("\(directory)/\(ChimeKind.end.fileName)").clip
        return ChimeFraming(start: start, end: end, gapSeconds: gapSeconds)
    }
}
