/// An upload the daemon has admitted (role, name, size, free space) before reading its body: the body is
/// streamed into ``path`` as it arrives, then handed back to be imported.
public struct UploadTicket: Sendable, Hashable {
    /// The import's id, the one `GET /api/v1/imports/ID` reports on.
    public var id: String
    /// The file's name as the operator gave it.
    public var name: String
    /// Where the body goes: a private file in the state dir.
    public var path: String
    /// The most bytes this upload may have.
    public var maximumBytes: Int
    /// For a broadcast to air at once (`loa announce`): imported in a lane of its own, never behind a long
    /// programme's import.
    public var isUrgent: Bool

    public init(id: String, name: String, path: String, maximumBytes: Int, isUrgent: Bool = false) {
        self.id = id
        self.name = name
        self.path = path
        self.maximumBytes = maximumBytes
        self.isUrgent = isUrgent
    }
}
