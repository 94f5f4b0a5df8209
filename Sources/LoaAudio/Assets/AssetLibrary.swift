import Foundation
import LoaCore

/// Imported audio, content-addressed in a directory (normally `<state>/assets`):
///
/// ```
/// <directory>/<sha256>/audio.wav      48 kHz mono 16-bit, loudness-normalised; <sha256> is this file's SHA-256
/// <directory>/<sha256>/audio.opus     the same as Ogg Opus (20 ms packets), what receivers get
/// <directory>/<sha256>/metadata.json  AudioAssetMetadata
/// <directory>/.incoming/              imports in progress; cleared when the library opens
/// ```
///
/// An asset appears by one `rename` of its finished directory, so a reader sees all of it or nothing. Only IDs
/// that are 64 lower-case hex digits are ever turned into paths.
public struct AssetLibrary: Sendable {
    public let directory: String

    public static let wavFileName = "audio.wav"
    public static let opusFileName = "audio.opus"
    public static let metadataFileName = "metadata.json"
    static let incomingName = ".incoming"

    /// Opens (creating if needed) the library at `directory`, removing imports a crash left half done.
    public init(directory: String) throws(AudioFileError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: incomingDirectory) {
                try FileManager.default.removeItem(atPath: incomingDirectory)
            }
            try FileManager.default.createDirectory(atPath: incomingDirectory, withIntermediateDirectories: true)
        } catch {
            throw AudioFileError(
                file: directory,
                problem: .storage,
                detail: "cannot prepare the asset directory: \(error)"
            )
        }
    }

    var incomingDirectory: String { "\(directory)/\(Self.incomingName)" }

    /// Where an upload is received before its import: in the staging area, so a crash's leftovers are removed
    /// when the library opens again. `id` must be one the daemon made, never a name from a client.
    public func uploadPath(_ id: String) -> String { "\(incomingDirectory)/\(id).upload" }

    /// Whether `id` has the form of an asset ID (64 lower-case hex digits).
    public static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The asset's directory, or nil for a malformed ID or a missing asset.
    public func assetDirectory(_ id: String) -> String? {
        guard Self.isValidID(id) else { return nil }
        let path = "\(directory)/\(id)"
        return FileManager.default.fileExists(atPath: "\(path)/\(Self.metadataFileName)") ? path : nil
    }

    public func contains(_ id: String) -> Bool { assetDirectory(id) != nil }

    /// The stored WAV (48 kHz mono), or nil.
    public func wavPath(_ id: String) -> String? { assetDirectory(id).map { "\($0)/\(Self.wavFileName)" } }

    /// The stored Ogg Opus file, or nil.
    public func opusPath(_ id: String) -> String? { assetDirectory(id).map { "\($0)/\(Self.opusFileName)" } }

    public func metadata(_ id: String) -> AudioAssetMetadata? {
        guard let path = assetDirectory(id),
            let data = FileManager.default.contents(atPath: "\(path)/\(Self.metadataFileName)")
        else { return nil }
        return try? JSONDecoder().decode(AudioAssetMetadata.self, from: data)
    }

    /// The asset's Opus packets, as the streaming layer sends them.
    public func opusStream(_ id: String) throws -> OpusStream? {
        guard let path = opusPath(id), let data = FileManager.default.contents(atPath: path) else { return nil }
        return try OggOpusFile.decode([UInt8](data))
    }

    /// The asset's normalised audio.
    public func clip(_ id: String) throws(AudioFileError) -> AudioClip? {
        guard let path = wavPath(id) else { return nil }
        return try AudioDecoder().decode(path, name: id).clip
    }

    /// Every asset, sorted by original name.
    public func list() -> [AudioAssetMetadata] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { metadata($0) }.sorted { $0.originalName < $1.originalName }
    }

    /// Stores `prepared` under its content hash; returns the stored (or already present) metadata.
    func store(
        _ prepared: PreparedAudio,
        id: String,
        originalName: String,
        origin: String,
        target: LoudnessTarget
    )
        throws(AudioFileError) -> AudioAssetMetadata
    {
        if let existing = metadata(id) { return existing }
        let metadata = AudioAssetMetadata(
            id: id,
            originalName: originalName,
            origin: origin,
            source: prepared.source,
            loudnessBefore: prepared.normalized.before,
            loudnessAfter: prepared.normalized.after,
            target: target,
            gainDB: prepared.normalized.gainDB,
            limited: prepared.normalized.limited,
            sampleRate: prepared.normalized.clip.sampleRate,
            durationSeconds: prepared.normalized.clip.seconds,
            opus: AudioAssetMetadata.OpusSummary(prepared.opus, profile: prepared.opusProfile)
        )
        return try store(prepared, metadata: metadata)
    }

    func store(_ prepared: PreparedAudio, metadata: AudioAssetMetadata) throws(AudioFileError) -> AudioAssetMetadata {
        let staging = try makeStagingDirectory(for: metadata.originalName)
        do {
            try Data(prepared.wav).write(to: URL(fileURLWithPath: "\(staging)/\(Self.wavFileName)"))
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw AudioFileError(file: metadata.originalName, problem: .storage, detail: "\(error)")
        }
        return try finishStaged(staging, opus: prepared.opus, metadata: metadata)
    }

    /// A new private directory in the staging area, where an asset's files are written before it appears.
    func makeStagingDirectory(for name: String) throws(AudioFileError) -> String {
        let staging = "\(incomingDirectory)/\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
        }
        return staging
    }

    /// Completes the asset staged in `staging`, whose WAV is already there: writes its Opus and its metadata and
    /// moves it into place by one rename; returns the stored (or already present) metadata. The staging
    /// directory is gone afterwards, whatever happens.
    func finishStaged(
        _ staging: String,
        opus: OpusStream,
        metadata: AudioAssetMetadata
    ) throws(AudioFileError) -> AudioAssetMetadata {
        let final = "\(directory)/\(metadata.id)"
        do {
            if let existing = self.metadata(metadata.id) {
                try? FileManager.default.removeItem(atPath: staging)
                return existing
            }
            try Data(OggOpusFile.encode(opus)).write(to: URL(fileURLWithPath: "\(staging)/\(Self.opusFileName)"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(metadata).write(to: URL(fileURLWithPath: "\(staging)/\(Self.metadataFileName)"))
            if rename(staging, final) != 0 {
                let code = errno
                try? FileManager.default.removeItem(atPath: staging)
                // Another import of the same audio won the race: that copy is as good as this one.
                if let existing = self.metadata(metadata.id) { return existing }
                throw AudioFileError(
                    file: metadata.originalName,
                    problem: .storage,
                    detail: "cannot move the asset into place: \(String(cString: strerror(code)))",
                    code: code
                )
            }
            return metadata
        } catch let error as AudioFileError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw AudioFileError(file: metadata.originalName, problem: .storage, detail: "\(error)")
        }
    }
}

extension AudioAssetMetadata.OpusSummary {
    /// What metadata says of an encoded stream.
    init(_ stream: OpusStream, profile: OpusProfile) {
        self.init(
            profile: profile.name,
            packets: stream.packets.count,
            payloadBytes: stream.payloadBytes,
            bitRate: stream.averageBitRate,
            preSkip: stream.preSkip
        )
    }
}
