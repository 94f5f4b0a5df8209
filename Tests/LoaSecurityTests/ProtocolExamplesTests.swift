import Foundation
import LoaCore
import LoaSecurity
import Testing

/// The byte-level examples of docs/protocol.md ("Examples as bytes"): made with the published test key, they
/// must verify with its public key and decode to what the document says, so a firmware author can test their
/// parser and signature check against them before they ever see a controller.
@Suite("The protocol's examples as bytes")
struct ProtocolExamplesTests {
    /// The published test key's 32-byte Ed25519 seed: the bytes 0x00, 0x01, … 0x1f. Never a real site's key.
    static let seed = [UInt8](0..<32)

    static func testKey() throws -> SigningKey {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loa-test-key-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (Data(seed).base64EncodedString() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try SigningKey.load(from: path)
    }

    static let command = ControlCommand(
        site: "xa-an-phu",
        to: .zone("thon-dong"),
        seq: 1042,
        ts: 1_764_385_199_000_000,
        volume: .init(level: 80)
    )

    static let audio = AudioMessage(
        session: SessionID(text: "s-0011223344556677")!,
        site: "xa-an-phu",
        channel: "zone/thon-dong",
        sequence: 0,
        presentationTime: 1_764_385_200_000_000,
        priority: .normal,
        isLast: true,
        packets: [[0xF8, 0xFF, 0xFE]]
    )

    /// The document's text.
    static func document() throws -> String {
        var directory = URL(fileURLWithPath: #filePath)
        while directory.path != "/" {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("docs/protocol.md")
            if FileManager.default.fileExists(atPath: candidate.path) {
                return try String(contentsOf: candidate, encoding: .utf8)
            }
        }
        throw CocoaError(.fileNoSuchFile)
    }

    /// The block of example `name`: the fenced block after `<!-- example: name -->`.
    static func example(_ name: String, in document: String) throws -> String {
        let marker = try #require(document.range(of: "<!-- example: \(name) -->"), "no example '\(name)' in the doc")
        let rest = document[marker.upperBound...]
        let open = try #require(rest.range(of: "```"))
        let afterOpen = try #require(rest[open.upperBound...].firstIndex(of: "\n"))
        let close = try #require(rest[afterOpen...].range(of: "```"))
        return String(rest[rest.index(after: afterOpen)..<close.lowerBound]).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
    }

    static func bytes(hex: String) throws -> [UInt8] {
        let digits = hex.filter(\.isHexDigit)
        try #require(digits.count.isMultiple(of: 2))
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(try #require(UInt8(digits[index..<next], radix: 16)))
            index = next
        }
        return bytes
    }

    static func hex(_ bytes: [UInt8]) -> String {
        stride(from: 0, to: bytes.count, by: 32).map { start in
            bytes[start..<min(start + 32, bytes.count)].map { String(format: "%02x", $0) }.joined()
        }.joined(separator: "\n")
    }

    @Test func theTestKeysPublicKeyIsTheOneTheDocumentPublishes() throws {
        let document = try Self.document()
        let published = try Self.example("test-public-key", in: document)
        #expect(published == (try Self.testKey().publicKeyText))
        #expect(Data(base64Encoded: published)?.count == 32)
    }

    @Test func theSignedCommandVerifiesAndDecodes() throws {
        let document = try Self.document()
        let key = try ControllerPublicKey(textOrFile: try Self.example("test-public-key", in: document))
        let payload = try Self.bytes(hex: try Self.example("command-envelope-hex", in: document))
        #expect(String(decoding: payload, as: UTF8.self) == (try Self.example("command-envelope", in: document)))
        let gate = CommandGate(site: "xa-an-phu", checker: key)
        let admitted = gate.admit(payload, channel: "zone/thon-dong", now: Self.command.ts, lastSequence: 0)
        #expect(try admitted.get() == Self.command)
        // Ed25519 is deterministic: the same key signs the same bytes the same way.
        #expect(payload == (try SignedEnvelope.seal(Self.command, with: try Self.testKey())))
        // The same bytes on another zone's topic, or one bit changed, are refused.
        #expect(
            gate.admit(payload, channel: "zone/thon-tay", now: Self.command.ts, lastSequence: 0)
                == .failure(.wrongTarget)
        )
    }

    @Test func theAudioMessageVerifiesAndDecodes() throws {
        let document = try Self.document()
        let key = try ControllerPublicKey(textOrFile: try Self.example("test-public-key", in: document))
        let bytes = try Self.bytes(hex: try Self.example("audio-message-hex", in: document))
        let message = try AudioMessage(decoding: bytes, checker: key)
        #expect(message == Self.audio)
        #expect(bytes == (try Self.audio.encoded(signer: try Self.testKey())))
        var forged = bytes
        forged[20] ^= 1  // the presentation time
        #expect(throws: AudioMessage.DecodingError.badSignature) { try AudioMessage(decoding: forged, checker: key) }
    }

    /// Prints the examples for the document (`LOA_PRINT_PROTOCOL_EXAMPLES=1`); checks nothing else.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LOA_PRINT_PROTOCOL_EXAMPLES"] == "1"))
    func printTheExamples() throws {
        let key = try Self.testKey()
        let envelope = try SignedEnvelope.seal(Self.command, with: key)
        print("public key: \(key.publicKeyText)")
        print("envelope: \(String(decoding: envelope, as: UTF8.self))")
        print("envelope hex:\n\(Self.hex(envelope))")
        print("audio hex:\n\(Self.hex(try Self.audio.encoded(signer: key)))")
        #expect(!envelope.isEmpty)
    }
}
