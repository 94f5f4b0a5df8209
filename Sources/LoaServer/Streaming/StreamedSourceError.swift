/// A live or relayed broadcast that cannot start: no capture device, no relay input.
struct StreamedSourceError: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
