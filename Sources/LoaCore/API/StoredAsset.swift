/// One stored audio asset, as `loa assets` lists it: what it is, what it costs on disk, and whether anything
/// still uses it (unreferenced audio is reclaimed after the grace period).
public struct StoredAsset: Codable, Sendable, Hashable {
    /// The SHA-256 of its normalised audio.
    public var id: String
    public var name: String
    public var durationSeconds: Double
    /// Bytes on disk: the normalised WAV, the Opus copy and the metadata.
    public var sizeBytes: Int64
    /// Whether a schedule plays it.
    public var referenced: Bool
    /// When it was last imported (the grace period counts from here).
    public var importedAt: Date

    public init(
        id: String,
        name: String,
        durationSeconds: Double,
        sizeBytes: Int64,
        referenced: Bool,
        importedAt: Date
    ) {
        self.id = id
        self.name = name
        self.durationSeconds = durationSeconds
        self.sizeBytes = sizeBytes
        self.referenced = referenced
        self.importedAt = importedAt
    }
}
