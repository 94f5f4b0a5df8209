/// The one way Loa decodes JSON that came from the network. Foundation's `JSONDecoder` (Swift 6.3.1's
/// swift-foundation) traps instead of throwing when the bracket that passes its nesting limit of 512 is the
/// document's last byte (`[` × 513): 513 bytes from anyone who can publish would stop a receiver (before its
/// signature check) or the controller. Loa's messages nest 4 deep at most, so a document nested deeper than
/// ``maximumDepth`` is refused before Foundation reads it. Found by `make fuzz` (issue 14).
public enum NetworkJSON {
    /// Far above any Loa message (an alert's `receivers[].reasons[]` is 4 deep), far below Foundation's 512.
    public static let maximumDepth = 32

    /// A document nested deeper than ``maximumDepth``.
    public struct TooDeep: Error, Sendable, Hashable {}

    /// Decodes `type` from `bytes` with `decoder`, once their depth is checked.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from bytes: some Collection<UInt8>,
        using decoder: JSONDecoder = JSONDecoder()
    ) throws -> T {
        guard isShallow(bytes) else { throw TooDeep() }
        return try decoder.decode(type, from: Data(bytes))
    }

    /// Whether no bracket outside a string is nested deeper than ``maximumDepth``. Strings are skipped as
    /// Foundation reads them (a backslash escapes the next byte), so Foundation can never get deeper than this.
    static func isShallow(_ bytes: some Collection<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return true
    }
}
