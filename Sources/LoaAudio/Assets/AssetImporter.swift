import Crypto
import Foundation
import LoaCore
import Logging

/// Imports operator audio into an ``AssetLibrary``: checks the name, runs the ``AudioPipeline`` (decode,
/// 48 kHz mono, loudness target, Opus) and stores the result under the SHA-256 of its WAV.
///
/// Bad input gets an ``AudioFileError`` naming the file, and nothing is stored: every file is written into a
/// private staging directory that becomes the asset by one rename only when complete.
public struct AssetImporter: Sendable {
    public var library: AssetLibrary
    public var pipeline: AudioPipeline
    public var logger: Logger

    /// The default duration limit: one hour.
    public static let defaultMaximumSeconds: Double = 3600

    public init(
        library: AssetLibrary,
        maximumSeconds: Double = AssetImporter.defaultMaximumSeconds,
        target: LoudnessTarget = .default,
        opusProfile: OpusProfile = .speech,
        logger: Logger = Logger(label: "loa.audio.import")
    ) {
        self.library = library
        self.pipeline = AudioPipeline(
            decoder: AudioDecoder(maximumSeconds: maximumSeconds),
            normalizer: LoudnessNormalizer(target: target),
            opusProfile: opusProfile
        )
        self.logger = logger
    }

    /// Imports the file at `path`. `originalName` is the name the operator gave it (an upload's file name);
    /// it is kept for display and never used as a path. By default it is the path's last component. `progress`
    /// follows the import and can stop it.
    public func importFile(
        at path: String,
        originalName: String? = nil,
        progress: ImportProgress? = nil
    ) throws(AudioFileError) -> AudioAssetMetadata {
        let name = originalName ?? AudioDecoder.lastComponent(path)
        try Self.validateName(name)
        let prepared: PreparedAudio
        do {
            // A programme is streamed, pass by pass over the file (or its spooled samples), never held whole;
            // only silence and audio too quiet or too short to gate go through memory.
            if let streamed = try importStreaming(at: path, name: name, progress: progress) {
                logImported(streamed, name: name)
                return streamed
            }
            prepared = try pipeline.prepare(file: path, name: name, progress: progress)
        } catch {
            logger.notice(
                "asset.import-refused",
                metadata: ["asset.name": "\(AudioFileError.printable(name))", "asset.problem": "\(error.problem)"]
            )
            throw error
        }
        return try store(prepared, name: name, origin: "import")
    }

    /// Stores audio made in memory (synthesised speech, a chime-framed item). `origin` is e.g. `tts`.
    public func importClip(
        _ clip: AudioClip,
        originalName: String,
        origin: String
    ) throws(AudioFileError)
        -> AudioAssetMetadata
    {
        try Self.validateName(originalName)
        if let limit = pipeline.decoder.maximumSeconds, clip.seconds > limit {
            throw AudioFileError(
                file: originalName,
                problem: .tooLong,
                detail:
                    "\(AudioDecoder.seconds(clip.seconds)) long; this site allows at most \(AudioDecoder.seconds(limit))"
            )
        }
        let source = AudioAssetMetadata.Source(
            format: origin.uppercased(),
            durationSeconds: clip.seconds,
            sampleRate: clip.sampleRate,
            channels: 1
        )
        let prepared = try pipeline.prepare(clip, source: source, name: originalName)
        return try store(prepared, name: originalName, origin: origin)
    }

    private func store(
        _ prepared: PreparedAudio,
        name: String,
        origin: String
    ) throws(AudioFileError)
        -> AudioAssetMetadata
    {
        let id = SHA256.hash(data: prepared.wav).hexString
        let metadata = try library.store(
            prepared,
            id: id,
            originalName: name,
            origin: origin,
            target: pipeline.normalizer.target
        )
        logImported(metadata, name: name)
        return metadata
    }

    private func logImported(_ metadata: AudioAssetMetadata, name: String) {
        logger.info(
            "asset.imported",
            metadata: [
                "asset.id": "\(metadata.id)", "asset.name": "\(AudioFileError.printable(name))",
                "asset.seconds": "\(metadata.durationSeconds)",
                "asset.lufs": "\(metadata.loudnessAfter.integratedLUFS.map { "\($0)" } ?? "-")",
            ]
        )
    }

    /// Refuses names that could be taken as a path or that carry control characters. (The name is only ever
    /// displayed, but a name like `../x.mp3` is a sign of a confused or hostile client, and refusing it keeps
    /// logs and downloads honest.)
    public static func validateName(_ name: String) throws(AudioFileError) {
        let problem: String?
        if name.isEmpty {
            problem = "the name is empty"
        } else if name.contains("/") || name.contains("\\") {
            problem = "a file name must not contain '/' or '\\' (it is a name, not a path)"
        } else if name == "." || name == ".." {
            problem = "'\(name)' is not a file name"
        } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problem = "the name contains control characters"
        } else if name.utf8.count > 255 {
            problem = "the name is longer than 255 bytes"
        } else {
            problem = nil
        }
        if let problem { throw AudioFileError(file: name, problem: .unsafeName, detail: problem) }
    }
}
