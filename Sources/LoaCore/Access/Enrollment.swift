/// Everything one receiver needs to join its site, in one file a technician carries to the pole
/// (`loa receivers enroll ID --output FILE`, then `loa receiver --enrollment FILE`): where the broker is,
/// which CA vouches for it, the device's own account and secret, who it is, and whose commands to obey.
///
/// The secret is shown only here, once: the controller keeps only its hash. Enrolling again issues a new one.
public struct Enrollment: Codable, Sendable, Hashable {
    public var v = 1
    public var site: String
    public var id: String
    public var zone: String
    /// `mqtts://HOST:PORT`, the names and addresses the broker's certificate holds; the first is tried.
    public var brokers: [String]
    /// The PEM of the CA that signs the broker's certificate.
    public var ca: String
    public var username: String
    public var password: String
    /// The controller's Ed25519 public key (`loa key show`).
    public var controllerKey: String
    /// When it was issued, µs since 1970.
    public var issuedAt: Int64

    public init(
        site: String,
        id: String,
        zone: String,
        brokers: [String],
        ca: String,
        username: String,
        password: String,
        controllerKey: String,
        issuedAt: Int64
    ) {
        self.site = site
        self.id = id
        self.zone = zone
        self.brokers = brokers
        self.ca = ca
        self.username = username
        self.password = password
        self.controllerKey = controllerKey
        self.issuedAt = issuedAt
    }

    /// What starts the one-line form, so a pasted line is recognised and a truncated one is not taken for JSON.
    public static let lineScheme = "loa-enroll:"

    /// The one-line form: `loa-enroll:` and the JSON in base64url, to carry by hand or by message.
    public var line: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return Self.lineScheme + data.base64URLEncodedString()
    }

    /// Reads an enrollment file: one enrollment as JSON, a JSON array of them (for `--simulate`), or the
    /// one-line form. The error says what the text is not.
    public static func parse(_ text: String) throws(ConfigurationError) -> [Enrollment] {
        let trimmed = text.trimmingWhitespace()
        var data = Data(trimmed.utf8)
        if trimmed.hasPrefix(lineScheme) {
            guard let decoded = Data(base64URLEncoded: String(trimmed.dropFirst(lineScheme.count))) else {
                throw ConfigurationError(
                    key: "enrollment",
                    problem: "is a loa-enroll: line that is cut or garbled; copy the whole line again"
                )
            }
            data = decoded
        }
        do {
            if trimmed.hasPrefix("[") { return try NetworkJSON.decode([Enrollment].self, from: data) }
            return [try NetworkJSON.decode(Enrollment.self, from: data)]
        } catch {
            throw ConfigurationError(
                key: "enrollment",
                problem:
                    "is not an enrollment (the JSON or the loa-enroll: line that `loa receivers enroll` writes): \(error)"
            )
        }
    }
}
