import LoaCore

/// Reads and writes an ``OpusStream`` as an Ogg Opus file (RFC 7845), so stored assets play in any player
/// (`opusdec`, browsers) and load back packet for packet.
///
/// Pages hold up to 50 packets (1 s); each page's granule position is the decoded sample count, pre-skip
/// included, at the end of its last packet, and the last page's says where the real audio ends.
public enum OggOpusFile {
    /// An Ogg Opus file that cannot be read back.
    public struct FormatError: Error, CustomStringConvertible, Sendable, Hashable {
        public let detail: String
        public var description: String { "not a valid Ogg Opus file: \(detail)" }
    }

    static let packetsPerPage = 50

    /// The whole file for `stream`. `serial` identifies the logical stream (any value).
    public static func encode(_ stream: OpusStream, serial: UInt32 = 0x4C_4F_41_31, vendor: String = "Loa") -> [UInt8] {
        var writer = PageWriter(serial: serial)
        var head: [UInt8] = Array("OpusHead".utf8)
        head += [1, 1]  // version 1, one channel
        head.appendLittleEndian(UInt16(clamping: stream.preSkip))
        head.appendLittleEndian(UInt32(StreamFormat.sampleRate))  // input sample rate (informational)
        head.appendLittleEndian(UInt16(0))  // output gain
        head.append(0)  // channel mapping family 0
        writer.page(packets: [head], granule: 0, flags: 0x02)
        var tags: [UInt8] = Array("OpusTags".utf8)
        tags.appendLittleEndian(UInt32(vendor.utf8.count))
        tags += Array(vendor.utf8)
        tags.appendLittleEndian(UInt32(0))
        writer.page(packets: [tags], granule: 0, flags: 0)

        let end = Int64(stream.preSkip + stream.sampleCount)
        var index = 0
        if stream.packets.isEmpty { writer.page(packets: [], granule: end, flags: 0x04) }
        while index < stream.packets.count {
            var batch: [[UInt8]] = []
            var segments = 0
            var granule: Int64 = 0
            while index < stream.packets.count, batch.count < packetsPerPage {
                let packet = stream.packets[index]
                let needed = packet.data.count / 255 + 1
                if segments + needed > 255 { break }
                segments += needed
                batch.append(packet.data)
                granule = Int64(packet.timestamp + packet.duration)
                index += 1
            }
            let last = index == stream.packets.count
            writer.page(packets: batch, granule: last ? end : granule, flags: last ? 0x04 : 0)
        }
        return writer.bytes
    }

    /// Reads a file written by ``encode(_:serial:vendor:)`` (or any single-stream mono Ogg Opus file).
    public static func decode(_ bytes: [UInt8]) throws(FormatError) -> OpusStream {
        var offset = 0
        var pending: [UInt8] = []
        var packets: [[UInt8]] = []
        var lastGranule: Int64 = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 27, Array(bytes[offset..<(offset + 4)]) == Array("OggS".utf8) else {
                throw FormatError(detail: "no Ogg page at byte \(offset)")
            }
            let segmentCount = Int(bytes[offset + 26])
            let headerLength = 27 + segmentCount
            guard bytes.count - offset >= headerLength else { throw FormatError(detail: "page header cut short") }
            let lacing = bytes[(offset + 27)..<(offset + headerLength)]
            let bodyLength = lacing.reduce(0) { $0 + Int($1) }
            guard bytes.count - offset >= headerLength + bodyLength else { throw FormatError(detail: "page cut short") }
            var page = Array(bytes[offset..<(offset + headerLength + bodyLength)])
            let storedCRC = UInt32(page[22]) | UInt32(page[23]) << 8 | UInt32(page[24]) << 16 | UInt32(page[25]) << 24
            page[22] = 0
            page[23] = 0
            page[24] = 0
            page[25] = 0
            guard CRC32.ogg(page) == storedCRC else {
                throw FormatError(detail: "bad checksum in page at byte \(offset)")
            }
            var granule: Int64 = 0
            for byte in 0..<8 { granule |= Int64(page[6 + byte]) << (8 * byte) }
            if granule >= 0 { lastGranule = granule }
            var position = headerLength
            for value in lacing {
                pending += page[position..<(position + Int(value))]
                position += Int(value)
                if value < 255 {
                    packets.append(pending)
                    pending = []
                }
            }
            offset += headerLength + bodyLength
        }
        guard packets.count >= 2, packets[0].starts(with: Array("OpusHead".utf8)), packets[0].count >= 19 else {
            throw FormatError(detail: "no OpusHead")
        }
        guard packets[0][9] == 1 else { throw FormatError(detail: "\(packets[0][9]) channels; Loa streams are mono") }
        guard packets[1].starts(with: Array("OpusTags".utf8)) else { throw FormatError(detail: "no OpusTags") }
        let preSkip = Int(packets[0][10]) | Int(packets[0][11]) << 8
        var audio: [OpusPacket] = []
        var timestamp = 0
        for (sequence, data) in packets.dropFirst(2).enumerated() {
            let duration: Int
            do {
                duration = try OpusDecoder.sampleCount(of: data)
            } catch {
                throw FormatError(detail: "packet \(sequence): \(error.message)")
            }
            audio.append(OpusPacket(sequence: sequence, timestamp: timestamp, duration: duration, data: data))
            timestamp += duration
        }
        let sampleCount = max(0, min(Int(lastGranule), timestamp) - preSkip)
        return OpusStream(preSkip: preSkip, sampleCount: sampleCount, packets: audio)
    }

    /// Builds Ogg pages.
    struct PageWriter {
        let serial: UInt32
        var sequence: UInt32 = 0
        var bytes: [UInt8] = []

        mutating func page(packets: [[UInt8]], granule: Int64, flags: UInt8) {
            var lacing: [UInt8] = []
            for packet in packets {
                lacing += repeatElement(255, count: packet.count / 255)
                lacing.append(UInt8(packet.count % 255))
            }
            var page: [UInt8] = Array("OggS".utf8)
            page.append(0)  // version
            page.append(flags)
            page.appendLittleEndian(UInt64(bitPattern: granule))
            page.appendLittleEndian(serial)
            page.appendLittleEndian(sequence)
            page.appendLittleEndian(UInt32(0))  // checksum, filled below
            page.append(UInt8(lacing.count))
            page += lacing
            for packet in packets { page += packet }
            let crc = CRC32.ogg(page)
            page[22] = UInt8(crc & 0xFF)
            page[23] = UInt8((crc >> 8) & 0xFF)
            page[24] = UInt8((crc >> 16) & 0xFF)
            page[25] = UInt8((crc >> 24) & 0xFF)
            bytes += page
            sequence += 1
        }
    }
}

/// The CRC-32 of Ogg pages: polynomial 0x04C11DB7, initial value 0, no reflection, no final XOR.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
        return value
    }

    static func ogg(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes { crc = (crc << 8) ^ table[Int(((crc >> 24) ^ UInt32(byte)) & 0xFF)] }
        return crc
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var little = value.littleEndian
        Swift.withUnsafeBytes(of: &little) { append(contentsOf: $0) }
    }
}
