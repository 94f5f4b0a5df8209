import Foundation
import LoaSecurity
import LoaTestSupport
import Testing

/// The controller's command sequence: it grows across restarts, and a new number needs no new disk block, so
/// a full disk cannot stop a command.
@Suite("The command sequence file")
struct CommandSequenceTests {
    @Test func numbersGrowAcrossRestartsAndAreWrittenInPlace() throws {
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-seq")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/command.seq"
        // A file from before the fixed-width record.
        try "41\n".write(toFile: path, atomically: true, encoding: .utf8)
        let first = try CommandSequence(path: path)
        let inode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
        #expect(try first.next() == 42)
        #expect(try first.next() == 43)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "00000000000000000043\n")

        let restarted = try CommandSequence(path: path)
        #expect(try restarted.next() == 44)
    }
}
