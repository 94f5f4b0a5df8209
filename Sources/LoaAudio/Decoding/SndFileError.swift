internal import CSndFile

/// An error reported by libsndfile, with the operation that failed and the file it failed on.
///
/// Keeps libsndfile's code as it came (`SF_ERR_UNRECOGNISED_FORMAT` is 1, and libsndfile has many more
/// internal codes) and the text libsndfile gave at the time, which for an open handle can be more specific
/// than the code's generic text.
public struct SndFileError: Error, CustomStringConvertible, Sendable, Hashable {
    /// libsndfile's error code (`sf_error`), 0 when a call failed without setting one.
    public let code: Int32
    /// What Loa was doing, phrased to follow "cannot", e.g. `open for reading`.
    public let operation: String
    public let path: String
    /// libsndfile's text for the error. The corresponding C function is `sf_strerror`.
    public let message: String

    public init(code: Int32, operation: String, path: String, message: String) {
        self.code = code
        self.operation = operation
        self.path = path
        self.message = message
    }

    /// Whether libsndfile did not recognise the data as any audio format it knows.
    public var isUnrecognisedFormat: Bool { code == Int32(SF_ERR_UNRECOGNISED_FORMAT) }

    public var description: String { "libsndfile: cannot \(operation) '\(path)': \(message) (\(code))" }
}
