import Foundation
import LoaSecurity
import LoaTestSupport
import Testing

/// `--controller-key` takes the key itself or a file holding it. Base64 text may start with `/` (one key in
/// 64 does): such a key must still be read as a key, not as a missing file.
@Suite("The controller key on the receiver's command line")
struct ControllerKeyTests {
    /// A 32-byte key whose base64 starts with `/` (its first six bits all set).
    static let slashKey = Data([0xFC] + [UInt8](repeating: 7, count: 31)).base64EncodedString()

    @Test func aKeyStartingWithASlashIsAKey() throws {
        #expect(Self.slashKey.hasPrefix("/"))
        let key = try ControllerPublicKey(textOrFile: Self.slashKey)
        #expect(!key.isValidSignature([UInt8](repeating: 0, count: 64), for: [1, 2, 3]))
    }

    @Test func aFileHoldingTheKeyIsRead() throws {
        let directory = try TestBroker.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "\(Self.slashKey)\n".write(toFile: "\(directory)/controller.pub", atomically: true, encoding: .utf8)
        _ = try ControllerPublicKey(textOrFile: "\(directory)/controller.pub")
    }

    @Test(arguments: ["/nonexistent/controller.pub", "./controller.pub"])
    func aPathThatIsNotThereCannotBeRead(_ path: String) {
        #expect {
            try ControllerPublicKey(textOrFile: path)
        } throws: { error in
            (error as? KeyFileError)?.problem.contains("cannot be read") == true
        }
    }
}
