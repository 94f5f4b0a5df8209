/// Where an uploaded file is in its import (`GET /api/v1/imports/ID`): the upload is answered with this at
/// once (202), and the CLI polls it to show progress, so no request waits for a long programme to decode.
public struct AssetImportStatus: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable, Hashable {
        /// Received whole, waiting for the import queue.
        case queued
        case importing
        /// Imported: ``asset`` is set.
        case done
        /// Refused or broken off: ``error`` says why, ``errorKind`` how to treat it.
        case failed
    }

    public var id: String
    /// The file's name as the operator gave it.
    public var name: String
    /// The uploaded size in bytes.
    public var bytes: Int
    public var state: State
    /// What the import is doing now (`decoding`, `normalising`, `encoding`, `storing`), while it runs.
    public var stage: String?
    /// How far the whole import is, from 0 to 1.
    public var fraction: Double
    public var asset: AudioAssetMetadata?
    public var error: String?
    public var errorKind: OperationError.Kind?

    public init(
        id: String,
        name: String,
        bytes: Int,
        state: State,
        stage: String? = nil,
        fraction: Double = 0,
        asset: AudioAssetMetadata? = nil,
        error: String? = nil,
        errorKind: OperationError.Kind? = nil
    ) {
        self.id = id
        self.name = name
        self.bytes = bytes
        self.state = state
        self.stage = stage
        self.fraction = fraction
        self.asset = asset
        self.error = error
        self.errorKind = errorKind
    }

    /// Whether the import has ended, one way or the other.
    public var isFinished: Bool { state == .done || state == .failed }
}
