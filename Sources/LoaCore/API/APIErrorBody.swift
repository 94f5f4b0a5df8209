/// The body of every error the HTTP API returns, so the CLI can print the server's one-line reason.
public struct APIErrorBody: Codable, Sendable, Hashable {
    public var error: String
    public var status: Int

    public init(error: String, status: Int) {
        self.error = error
        self.status = status
    }
}
