import Foundation

/// A programme's samples (48 kHz mono, 32-bit float, exactly as the decoder gave them) spooled to a file in the
/// staging area, so the limiter's later passes read them back chunk by chunk instead of decoding and resampling
/// the upload again, and nothing holds the programme in memory. An hour is 691 MB; the file goes with its
/// staging directory.
///
/// Not thread-safe: one import, one thread.
final class SampleSpool {
    let path: String
    /// The name of the file being imported, for errors.
    let name: String
    private var writer: FileHandle?
    /// Samples written, once writing is over.
    private(set) var count: Int?
    private var written = 0

    /// A new, empty spool at `path`.
    init(path: String, name: String) throws(AudioFileError) {
        self.path = path
        self.name = name
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw AudioFileError(file: name, problem: .storage, detail: "cannot create \(path)")
        }
        do {
            writer = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
        }
    }

    deinit { try? writer?.close() }

    /// Appends `samples`.
    func append(_ samples: [Float]) throws(AudioFileError) {
        guard let writer else { preconditionFailure("the spool is complete") }
        do {
            try writer.write(contentsOf: samples.withUnsafeBytes { Data($0) })
        } catch {
            throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
        }
        written += samples.count
    }

    /// Ends writing: from now on the spool can be read.
    func complete() throws(AudioFileError) {
        do {
            try writer?.close()
        } catch {
            throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
        }
        writer = nil
        count = written
    }

    /// Reads the samples back in chunks of at most `chunkFrames`, handing each to `body`.
    func read(chunkFrames: Int = 8192, _ body: ([Float]) throws(AudioFileError) -> Void) throws(AudioFileError) {
        precondition(count != nil, "the spool is still being written")
        let reader: FileHandle
        do {
            reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
        }
        defer { try? reader.close() }
        let stride = MemoryLayout<Float>.stride
        var remaining = written
        while remaining > 0 {
            let want = min(chunkFrames, remaining)
            let data: Data
            do {
                data = try reader.read(upToCount: want * stride) ?? Data()
            } catch {
                throw AudioFileError(file: name, problem: .storage, detail: "\(error)")
            }
            guard data.count == want * stride else {
                throw AudioFileError(file: name, problem: .storage, detail: "\(path) ended early")
            }
            let chunk = [Float](unsafeUninitializedCapacity: want) { buffer, initialized in
                initialized = data.copyBytes(to: buffer) / stride
            }
            remaining -= want
            try body(chunk)
        }
    }
}
