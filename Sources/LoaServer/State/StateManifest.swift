import Foundation
import LoaCore

/// `state.json`: written once, when a state dir is first set up, so a later start knows the dir has held a
/// controller, and that a store, key or sequence missing from it was lost rather than never made.
struct StateManifest: Codable, Sendable, Hashable {
    static let fileName = "state.json"

    var format = 1
    var createdAt: Date
    var loaVersion: String
    /// The controller's public key when the dir was set up (base64), to recognise the key a restore brings.
    var publicKey: String

    /// Writes the manifest unless the dir has one; false when it could not be written.
    static func writeIfMissing(directory: String, publicKey: String) -> Bool {
        let path = "\(directory)/\(fileName)"
        guard !FileManager.default.fileExists(atPath: path) else { return true }
        let manifest = StateManifest(createdAt: Date(), loaVersion: LoaVersion.current, publicKey: publicKey)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(manifest) else { return false }
        return (try? data.write(to: URL(fileURLWithPath: path), options: .atomic)) != nil
    }
}
