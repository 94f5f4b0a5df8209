import LoaConfiguration

/// A certificate the site supplies for the embedded broker's field listener (`field-tls:` in the config
/// file), instead of one from the on-box CA: all three files, or none.
public struct FieldTLSFiles: Sendable, Hashable {
    public var certificateFile: String?
    public var keyFile: String?
    /// The CA that signs it, which enrollments hand to receivers.
    public var caFile: String?

    public init() {}

    /// Whether the site gave any of them (then it must give all three).
    public var isGiven: Bool { certificateFile != nil || keyFile != nil || caFile != nil }

    static func declarations<Settings>(at keyPath: WritableKeyPath<Settings, FieldTLSFiles>) -> [Setting<Settings>] {
        let fields: [(String, WritableKeyPath<FieldTLSFiles, String?>, String)] = [
            ("cert-file", \.certificateFile, "The field listener's certificate (PEM), instead of the on-box CA's."),
            ("key-file", \.keyFile, "Its private key (PEM)."),
            ("ca-file", \.caFile, "The CA that signs it (PEM), handed to receivers in their enrollment."),
        ]
        return fields.map { key, field, help in
            Setting(
                "field-tls.\(key)",
                keyPath.appending(path: field),
                valueName: "FILE",
                help: help,
                sources: .configFileOnly
            ) { value, context in context.absolutePath(value.text) }
        }
    }
}
