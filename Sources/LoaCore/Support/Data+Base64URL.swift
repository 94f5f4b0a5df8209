/// base64url without padding (RFC 4648 §5): text that needs no escaping in a URL, a query or a one-line form.
/// Page cursors, enrollment lines and broker secrets use it.
extension Data {
    public func base64URLEncodedString() -> String {
        base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    /// Decodes base64url, padded or not; nil when `text` is not base64url.
    public init?(base64URLEncoded text: String) {
        var base64 = text.replacing("-", with: "+").replacing("_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
