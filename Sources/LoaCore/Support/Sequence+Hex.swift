import Foundation

extension Sequence<UInt8> {
    /// Lower-case hex, two digits a byte: asset ids, file and token digests, random ids.
    public var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
