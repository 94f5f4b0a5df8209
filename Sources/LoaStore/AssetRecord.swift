import Foundation

/// An asset as the store knows it: its name and length, when it was last imported, and whether a schedule
/// still plays it.
public struct AssetRecord: Sendable, Hashable {
    public var id: String
    public var originalName: String
    public var durationSeconds: Double
    public var importedAt: Date
    public var referenced: Bool
}
