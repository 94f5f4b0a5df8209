import Foundation
import NIOCore

/// A file read in chunks as an upload's body, so the CLI never holds a whole programme in memory; each chunk
/// moves the progress line.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let handle: FileHandle
    let totalBytes: Int
    let label: String
    let progress: ProgressLine
    static var chunkBytes: Int { 256 << 10 }

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: FileChunks
        var sent = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let data = try chunks.handle.read(upToCount: FileChunks.chunkBytes), !data.isEmpty else {
                return nil
            }
            sent += data.count
            chunks.progress.show(chunks.label, fraction: Double(sent) / Double(Swift.max(1, chunks.totalBytes)))
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: self) }
}
