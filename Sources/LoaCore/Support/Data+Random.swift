extension Data {
    /// `count` bytes from the system's cryptographically secure generator: secrets, tokens, CSRF tokens.
    public static func random(count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
