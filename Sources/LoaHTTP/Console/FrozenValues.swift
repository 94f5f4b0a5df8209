/// A template's values, made once and only read afterwards (strings, numbers, and lists and dictionaries of
/// them), so that a stream's task may hold them.
struct FrozenValues: @unchecked Sendable {
    let values: [String: Any]
    init(_ values: [String: Any]) { self.values = values }
}
