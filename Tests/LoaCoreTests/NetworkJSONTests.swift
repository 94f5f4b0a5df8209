import Foundation
import LoaCore
import Testing

/// Every parser of network input refuses, instead of crashing on, the documents that trap Foundation's
/// `JSONDecoder`: the bracket that passes its nesting limit of 512 as the last byte. Found by `make fuzz`
/// (seed 20261206, command-gate input 757076: `[` × 513).
@Suite("JSON from the network")
struct NetworkJSONTests {
    static let crashers: [String] = [
        String(repeating: "[", count: 513),
        String(repeating: "{\"a\":", count: 512) + "{",
        "{\"v\":1,\"state\":" + String(repeating: "[", count: 512),
    ]

    @Test(arguments: crashers)
    func everyReaderRefusesADocumentDeeperThanLoaWrites(_ text: String) throws {
        let bytes = Array(text.utf8)
        let signer = ChecksumSigner(key: 7)
        let gate = CommandGate(site: "xa-an-phu", checker: signer)
        #expect(gate.admit(bytes, channel: "all", now: 0, lastSequence: 0) == .failure(.malformed))
        // The same, signed: the command inside the envelope.
        let envelope =
            #"{"v":1,"command":"\#(Data(bytes).base64EncodedString())","sig":"\#(Data(try signer.signature(for: bytes)).base64EncodedString())"}"#
        #expect(gate.admit(Array(envelope.utf8), channel: "all", now: 0, lastSequence: 0) == .failure(.malformed))
        #expect(SignedEnvelope.readableSequence(bytes) == nil)
        #expect(SignedEnvelope.readableSequence(Array(envelope.utf8)) == nil)
        for kind in ["status", "telemetry", "events"] {
            guard case .failure(let rejection) = ReceiverMessageReader.read(kind: kind, payload: bytes, retained: false)
            else {
                Issue.record("\(kind) accepted")
                continue
            }
            #expect([.malformed, .tooLarge].contains(rejection.problem))
        }
        #expect(ReceiverEvent(recording: bytes) == nil)
        #expect(throws: NetworkJSON.TooDeep.self) { try AvailabilityStatus(decoding: bytes) }
        #expect(throws: NetworkJSON.TooDeep.self) { try ReceiverAlert(decoding: bytes) }
    }

    @Test func depthCountsBracketsOutsideStringsOnly() throws {
        let inString = #"{"v":1,"state":"online","version":"\#(String(repeating: "[", count: 600))\"\\"}"#
        #expect(try AvailabilityStatus(decoding: Array(inString.utf8)).state == .online)
        let deepest =
            String(repeating: "[", count: NetworkJSON.maximumDepth)
            + String(repeating: "]", count: NetworkJSON.maximumDepth)
        #expect(throws: DecodingError.self) { try NetworkJSON.decode(Int.self, from: Array(deepest.utf8)) }
        let deeper = "[" + deepest + "]"
        #expect(throws: NetworkJSON.TooDeep.self) { try NetworkJSON.decode(Int.self, from: Array(deeper.utf8)) }
    }
}
