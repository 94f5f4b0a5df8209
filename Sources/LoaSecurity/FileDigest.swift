import Crypto
import Foundation

/// SHA-256 of a file, hex: a backup's manifest lists one per file, so a restore refuses an archive that was
/// truncated or changed since it was made.
public enum FileDigest {
    /// The digest of the file at `path`, read in 1 MiB pieces; nil when it cannot be read.
    public static func sha256(ofFileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { return nil }
            // The end of the file: nil (swift-corelibs-foundation) or empty.
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        return hasher.finalize().hexString
    }
}
