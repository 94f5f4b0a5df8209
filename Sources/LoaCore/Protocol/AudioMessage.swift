/// The binary audio message of docs/protocol.md: a session's consecutive Opus packets with their
/// presentation time, signed by the controller. Big-endian; one message per 100 ms keeps the broker's
/// per-delivery cost low.
///
/// Version 2 carries the site and the channel it is published on inside the signed bytes, as a command's
/// `site` and `to` do: version 1 audio could be copied onto another hamlet's topic and played there in full.
public struct AudioMessage: Sendable, Hashable {
    public static let magic: [UInt8] = [0x4C, 0x41]
    public static let version: UInt8 = 2
    /// The fixed part of the header, before the site and the channel.
    public static let headerSize = 34
    /// The longest channel tail: `zone/` and a 64-character zone.
    public static let maximumChannelLength = 80
    public static let signatureSize = 64
    public static let maximumSize = 2048
    public static let maximumPackets = 50
    /// The latest presentation time a message may carry, µs since 1970 (2^53: the year 2255).
    public static let latestPresentation: Int64 = 1 << 53
    /// The sample rates a message may name.
    public static let sampleRates: ClosedRange<UInt32> = 8_000...192_000

    public enum Codec: UInt8, Sendable, Hashable {
        case opus = 1
    }

    public var session: SessionID
    /// The site the message is for (the commune's id).
    public var site: String
    /// The audio topic tail it is published on: `all`, `zone/{zone}`, `rx/{id}`.
    public var channel: String
    public var sequence: UInt32
    /// Wall-clock µs at which the first sample of the first packet is presented.
    public var presentationTime: Int64
    public var codec: Codec
    public var channels: UInt8
    public var sampleRate: UInt32
    /// Samples per packet, per channel (960 for 20 ms at 48 kHz).
    public var samplesPerPacket: UInt16
    public var priority: Priority
    public var isLast: Bool
    public var isAborted: Bool
    public var packets: [[UInt8]]

    public init(
        session: SessionID,
        site: String,
        channel: String,
        sequence: UInt32,
        presentationTime: Int64,
        codec: Codec = .opus,
        channels: UInt8 = 1,
        sampleRate: UInt32 = UInt32(StreamFormat.sampleRate),
        samplesPerPacket: UInt16 = UInt16(StreamFormat.samplesPerPacket),
        priority: Priority,
        isLast: Bool = false,
        isAborted: Bool = false,
        packets: [[UInt8]]
    ) {
        self.session = session
        self.site = site
        self.channel = channel
        self.sequence = sequence
        self.presentationTime = presentationTime
        self.codec = codec
        self.channels = channels
        self.sampleRate = sampleRate
        self.samplesPerPacket = samplesPerPacket
        self.priority = priority
        self.isLast = isLast
        self.isAborted = isAborted
        self.packets = packets
    }

    /// Microseconds one packet lasts.
    public var packetDuration: Int64 { Int64(samplesPerPacket) * 1_000_000 / Int64(max(sampleRate, 1)) }

    /// The presentation instant of packet `index`.
    public func presentationTime(ofPacket index: Int) -> Int64 { presentationTime + Int64(index) * packetDuration }

    /// The same message bound to another channel of the site.
    public func on(channel: String) -> AudioMessage {
        var message = self
        message.channel = channel
        return message
    }

    /// Bytes the site and the channel take in the header.
    public var bindingSize: Int { 2 + site.utf8.count + channel.utf8.count }

    /// The signed wire bytes.
    public func encoded(signer: any MessageSigning) throws -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(
            Self.headerSize + bindingSize + packets.count * 2 + packets.reduce(0) { $0 + $1.count }
                + Self.signatureSize
        )
        bytes.append(Self.version)
        bytes.append((isLast ? 1 : 0) | (isAborted ? 2 : 0))
        bytes.appendBigEndian(session.value)
        bytes.appendBigEndian(sequence)
        bytes.appendBigEndian(UInt64(bitPattern: presentationTime))
        bytes.append(codec.rawValue)
        bytes.append(channels)
        bytes.appendBigEndian(sampleRate)
        bytes.appendBigEndian(samplesPerPacket)
        bytes.append(UInt8(Self.wireValue(of: priority)))
        bytes.append(UInt8(packets.count))
        bytes.append(UInt8(truncatingIfNeeded: site.utf8.count))
        bytes.append(contentsOf: site.utf8)
        bytes.append(UInt8(truncatingIfNeeded: channel.utf8.count))
        bytes.append(contentsOf: channel.utf8)
        for packet in packets { bytes.appendBigEndian(UInt16(packet.count)) }
        for packet in packets { bytes.append(contentsOf: packet) }
        bytes.append(contentsOf: try signer.signature(for: bytes))
        return bytes
    }

    /// Why a message was dropped.
    public enum DecodingError: Error, Sendable, Hashable {
        case tooLarge, truncated, notLoa, unknownVersion, badSignature, malformed
    }

    /// Parses and verifies wire bytes; the signature is checked before any field is trusted.
    public init(decoding bytes: [UInt8], checker: any SignatureChecking) throws(DecodingError) {
        guard bytes.count <= Self.maximumSize else { throw .tooLarge }
        guard bytes.count >= Self.headerSize + Self.signatureSize else { throw .truncated }
        guard Array(bytes[0..<2]) == Self.magic else { throw .notLoa }
        guard bytes[2] == Self.version else { throw .unknownVersion }
        let body = Array(bytes[..<(bytes.count - Self.signatureSize)])
        let signature = Array(bytes[(bytes.count - Self.signatureSize)...])
        guard checker.isValidSignature(signature, for: body) else { throw .badSignature }
        var reader = ByteReader(body, offset: 3)
        let flags = reader.uint8()
        let session = reader.uint64()
        let sequence = reader.uint32()
        let presentation = Int64(bitPattern: reader.uint64())
        guard let codec = Codec(rawValue: reader.uint8()) else { throw .malformed }
        let channels = reader.uint8()
        let rate = reader.uint32()
        let samples = reader.uint16()
        // Times and rates a receiver can compute with: a presentation time past 2^53 µs (year 2255) or a rate
        // below 8 kHz would let `presentationTime(ofPacket:)` overflow, and trap, on a signed message.
        guard (1...Self.latestPresentation).contains(presentation), Self.sampleRates.contains(rate) else {
            throw .malformed
        }
        guard let priority = Self.priority(wireValue: reader.uint8()) else { throw .malformed }
        let count = Int(reader.uint8())
        guard let site = Self.bindingText(&reader, maximumLength: 64),
            let channel = Self.bindingText(&reader, maximumLength: Self.maximumChannelLength)
        else { throw .malformed }
        guard (1...Self.maximumPackets).contains(count), reader.remaining >= count * 2 else { throw .malformed }
        let lengths = (0..<count).map { _ in Int(reader.uint16()) }
        guard lengths.reduce(0, +) == reader.remaining else { throw .malformed }
        let packets = lengths.map { reader.bytes($0) }
        self.init(
            session: SessionID(session),
            site: site,
            channel: channel,
            sequence: sequence,
            presentationTime: presentation,
            codec: codec,
            channels: channels,
            sampleRate: rate,
            samplesPerPacket: samples,
            priority: priority,
            isLast: flags & 1 != 0,
            isAborted: flags & 2 != 0,
            packets: packets
        )
    }

    /// A length-prefixed site or channel: 1…`maximumLength` bytes of `a-z`, `0-9`, `-`, `_` and `/` (a topic
    /// tail's levels), nil when it is anything else.
    static func bindingText(_ reader: inout ByteReader, maximumLength: Int) -> String? {
        guard reader.remaining >= 1 else { return nil }
        let length = Int(reader.uint8())
        guard (1...maximumLength).contains(length), reader.remaining >= length else { return nil }
        let bytes = reader.bytes(length)
        let allowed = bytes.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
                || byte == 0x2F
        }
        return allowed ? String(decoding: bytes, as: UTF8.self) : nil
    }

    static func wireValue(of priority: Priority) -> Int {
        switch priority {
        case .normal: 0
        case .priority: 1
        case .live: 2
        case .emergency: 3
        }
    }

    static func priority(wireValue: UInt8) -> Priority? {
        switch wireValue {
        case 0: .normal
        case 1: .priority
        case 2: .live
        case 3: .emergency
        default: nil
        }
    }
}

/// Reads big-endian integers from bytes whose length was checked beforehand.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    init(_ bytes: [UInt8], offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func uint8() -> UInt8 {
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16 { UInt16(truncatingIfNeeded: integer(2)) }
    mutating func uint32() -> UInt32 { UInt32(truncatingIfNeeded: integer(4)) }
    mutating func uint64() -> UInt64 { integer(8) }

    mutating func integer(_ size: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<(offset + size) { value = value << 8 | UInt64(bytes[index]) }
        offset += size
        return value
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}

extension [UInt8] {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        var bigEndian = value.bigEndian
        Swift.withUnsafeBytes(of: &bigEndian) { append(contentsOf: $0) }
    }
}
