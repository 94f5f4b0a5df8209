import Foundation

/// `backup.json`, at the root of a `loa backup` archive: what made it, the store's schema, the key's public
/// part, and every file's SHA-256, so `loa restore` refuses an archive it cannot verify.
public struct BackupManifest: Codable, Sendable, Hashable {
    public static let fileName = "backup.json"

    public var format = 1
    public var loaVersion: String
    /// The store's applied migrations, oldest first: a newer Loa can bring an older schema up to date.
    public var schema: [String]
    public var createdAt: Date
    public var stateDirectory: String
    /// The controller's public key (base64), as receivers are configured with it.
    public var publicKey: String
    /// SHA-256 (hex) of each file, by its path in the archive.
    public var files: [String: String]

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
