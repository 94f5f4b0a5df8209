internal import CSndFile

/// An open libsndfile handle for reading; closed when the value goes away.
///
/// Every libsndfile call of this module goes through here, and ``check(_:_:)`` is the one place that turns
/// libsndfile's return codes into ``SndFileError``.
final class SndFile {
    private let handle: OpaquePointer
    let path: String
    let frames: Int64
    let sampleRate: Int
    let channels: Int
    let format: AudioFileFormat

    /// Opens `path` for reading. The corresponding C function is `sf_open`.
    init(readingFrom path: String) throws(SndFileError) {
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            // With no handle, the error is the library's global one.
            let code = sf_error(nil)
            throw SndFileError(
                code: code,
                operation: "open for reading",
                path: path,
                message: String(cString: sf_strerror(nil))
            )
        }
        self.handle = handle
        self.path = path
        frames = info.frames
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        format = AudioFileFormat(rawValue: info.format)
    }

    deinit { sf_close(handle) }

    /// Reads up to `frames` interleaved frames into `buffer`; returns how many were read (0 at the end).
    /// The corresponding C function is `sf_readf_float`.
    func readFrames(into buffer: inout [Float], frames: Int) throws(SndFileError) -> Int {
        precondition(buffer.count >= frames * channels)
        let read = buffer.withUnsafeMutableBufferPointer { sf_readf_float(handle, $0.baseAddress, sf_count_t(frames)) }
        try check(read >= 0 ? 0 : -1, "read audio")
        if read == 0 { try check(sf_error(handle) == 0 ? 0 : -1, "read audio") }
        return Int(read)
    }

    /// libsndfile's log for this file (header details and warnings). The corresponding C call is
    /// `sf_command(SFC_GET_LOG_INFO)`.
    var log: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        _ = sf_command(handle, Int32(SFC_GET_LOG_INFO), &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Throws the handle's current error when `result` is negative.
    private func check(_ result: Int, _ operation: String) throws(SndFileError) {
        guard result < 0 else { return }
        throw SndFileError(
            code: sf_error(handle),
            operation: operation,
            path: path,
            message: String(cString: sf_strerror(handle))
        )
    }

    /// libsndfile's version string, e.g. `libsndfile-1.2.0`. The corresponding C function is `sf_version_string`.
    static var libraryVersion: String { String(cString: sf_version_string()) }
}
