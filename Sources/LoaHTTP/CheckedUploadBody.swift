import Hummingbird
import LoaCore
import Synchronization

/// An upload's body as it arrives, checked on the way to disk: refused on its first bytes when they are not
/// audio, as soon as it passes its size limit, and when the disk can no longer take it. Nothing is collected:
/// each buffer goes on to the file as it comes.
struct CheckedUploadBody<Base: AsyncSequence & Sendable, Assets: AssetManaging>: AsyncSequence, Sendable
where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let ticket: UploadTicket
    let assets: Assets
    /// Why the body was refused, kept here because the file writer wraps what its source throws.
    let refusal = Refusal()

    final class Refusal: Sendable {
        let reason = Mutex<OperationError?>(nil)
    }
    /// How often (in bytes received) the free space is checked again.
    static var spaceCheckInterval: Int { 8 << 20 }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let ticket: UploadTicket
        let assets: Assets
        let refusal: Refusal
        var received = 0
        var nextSpaceCheck = CheckedUploadBody.spaceCheckInterval
        /// The first bytes, until there are enough to recognise the format; nil once recognised.
        var prefix: [UInt8]? = []

        mutating func next() async throws -> ByteBuffer? {
            do { return try await checkedNext() } catch let error as OperationError {
                refusal.reason.withLock { $0 = error }
                throw error
            }
        }

        mutating func checkedNext() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else {
                if received == 0 {
                    throw OperationError(.invalid, "'\(ticket.name)' is empty; send the audio file's bytes")
                }
                if prefix != nil { try recognize() }
                return nil
            }
            received += buffer.readableBytes
            if received > ticket.maximumBytes {
                throw OperationError(
                    .tooLarge,
                    "'\(ticket.name)' is larger than \(ticket.maximumBytes >> 20) MB, the most one upload may be; "
                        + "shorten it or send it compressed (MP3, Ogg)"
                )
            }
            if var collected = prefix {
                collected.append(
                    contentsOf: buffer.readableBytesView.prefix(AudioSignature.prefixLength - collected.count)
                )
                prefix = collected
                if collected.count >= AudioSignature.prefixLength { try recognize() }
            }
            if received >= nextSpaceCheck {
                try assets.checkSpace(for: ticket, received: received)
                nextSpaceCheck = received + CheckedUploadBody.spaceCheckInterval
            }
            return buffer
        }

        mutating func recognize() throws {
            guard AudioSignature.recognize(prefix ?? []) != nil else {
                throw OperationError(
                    .unsupportedMedia,
                    "'\(ticket.name)' is not an audio file: its first bytes are none of "
                        + "\(AudioSignature.acceptedFormats); send one of those"
                )
            }
            prefix = nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), ticket: ticket, assets: assets, refusal: refusal)
    }
}
