/// A key file that cannot be used, and why.
public struct KeyFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "key file '\(path)' \(problem)" }
}
