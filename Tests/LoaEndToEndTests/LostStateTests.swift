import Foundation
import LoaBroker
import LoaMQTT
import LoaStore
import LoaTestSupport
import Testing

/// Issue 13, part 3: state that was lost is said to be lost. A state dir `loa serve` has used (30 schedules,
/// then SIGKILLed, so its write-ahead log is left) is copied and broken one way per copy; each start is
/// refused with its own code and a message naming the loss and the way out, and leaves every file as it was,
/// byte for byte. `--accept-lost-state` starts anyway, loudly, moving the damaged file aside.
@Suite("Lost state end to end", .serialized)
struct LostStateTests {
    struct Breakage: Sendable, CustomStringConvertible {
        let name: String
        let expectedStatus: Int32
        let messageContains: [String]
        let breaking: @Sendable (String) throws -> Void
        var description: String { name }
    }

    static let breakages: [Breakage] = [
        Breakage(
            name: "a missing store next to its write-ahead log",
            expectedStatus: 66,
            messageContains: ["loa.sqlite is missing (its write-ahead log is left as it is)", "loa restore FILE"]
        ) { state in
            try FileManager.default.moveItem(atPath: "\(state)/loa.sqlite", toPath: "\(state)/../loa.sqlite.elsewhere")
        },
        Breakage(name: "an empty store", expectedStatus: 66, messageContains: ["loa.sqlite is empty"]) { state in
            try Data().write(to: URL(fileURLWithPath: "\(state)/loa.sqlite"))
        },
        Breakage(
            name: "a missing key",
            expectedStatus: 66,
            messageContains: ["controller.key is missing", "a new key: give every receiver the new public key"]
        ) { state in
            try FileManager.default.moveItem(atPath: "\(state)/controller.key", toPath: "\(state)/../controller.key")
        },
        Breakage(name: "a garbled sequence", expectedStatus: 65, messageContains: ["command.seq is garbled"]) { state in
            try Data("0000000000000004\u{0}\u{0}\u{0}\u{0}\n".utf8).write(
                to: URL(fileURLWithPath: "\(state)/command.seq")
            )
        },
        Breakage(
            name: "a damaged write-ahead log",
            expectedStatus: 65,
            messageContains: ["loa.sqlite-wal is damaged", "fails its checksum, but frame"]
        ) { state in
            let path = "\(state)/loa.sqlite-wal"
            var log = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let pageSize = Int(log[8]) << 24 | Int(log[9]) << 16 | Int(log[10]) << 8 | Int(log[11])
            let frames = (log.count - 32) / (24 + pageSize)
            try #require(frames > 10, "only \(frames) frames in the log")
            for index in 0..<8 { log[32 + (frames / 2) * (24 + pageSize) + 24 + 300 + index] ^= 0x5a }
            try Data(log).write(to: URL(fileURLWithPath: path))
        },
        Breakage(
            name: "a store that is not a database",
            expectedStatus: 65,
            messageContains: ["loa.sqlite is not an SQLite database (corrupt)"]
        ) { state in
            try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: "\(state)/loa.sqlite"))
        },
        Breakage(name: "a store SQLite finds corrupt", expectedStatus: 65, messageContains: ["is corrupt"]) { state in
            // Only the checkpointed file, its first page's schema table overwritten.
            for suffix in ["-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: "\(state)/loa.sqlite\(suffix)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(state)/loa.sqlite"))
            try handle.seek(toOffset: 100)
            try handle.write(contentsOf: Data(repeating: 0xa5, count: 3_996))
            try handle.close()
        },
    ]

    @Test func eachLossIsRefusedWithItsCodeAndNothingIsTouched() async throws {
        let used = try await Self.usedStateDir()
        for breakage in Self.breakages {
            let copy = try Self.copy(used)
            try breakage.breaking("\(copy)/state")
            let before = try Self.snapshot("\(copy)/state")
            #expect(before["state.json"] != nil && before["command.seq"] != nil, "\(before.keys.sorted())")
            let result = try await Self.serve(in: copy)
            print("lost state: \(breakage.name): exit \(result.status): \(result.stderr)")
            #expect(result.status == breakage.expectedStatus, "\(breakage.name): \(result.stderr)")
            for text in breakage.messageContains {
                #expect(result.stderr.contains(text), "\(breakage.name): \(result.stderr)")
            }
            #expect(!result.stderr.contains("LOA OK"))
            let after = try Self.snapshot("\(copy)/state")
            #expect(after.keys.sorted() == before.keys.sorted(), "\(breakage.name): files changed")
            for (name, data) in before { #expect(after[name] == data, "\(breakage.name): \(name) changed") }
            try? FileManager.default.removeItem(atPath: copy)
        }
    }

    @Test func acceptingTheLossStartsLoudlyAndMovesTheDamageAside() async throws {
        let used = try await Self.usedStateDir()
        let copy = try Self.copy(used)
        let garbled = Data("not a number\n".utf8)
        try garbled.write(to: URL(fileURLWithPath: "\(copy)/state/command.seq"))
        let daemon = try await DaemonUnderTest(
            arguments: ["--audio-device", "null", "--accept-lost-state"],
            directory: copy
        )
        let stderr = daemon.process?.stderr ?? ""
        #expect(stderr.contains("state.lost-accepted"), "\(stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory)
        let aside = try #require(names.first { $0.hasPrefix("command.seq.lost-") }, "\(names)")
        #expect(FileManager.default.contents(atPath: "\(daemon.stateDirectory)/\(aside)") == garbled)
        // The store and its log were intact: every schedule is there.
        let list = try await daemon.loa(["schedule", "list", "--json"])
        #expect(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any] != nil)
        #expect((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count == 30)
        #expect(await daemon.stop() == 0)
        // Accepted once: the next start needs no flag.
        try await daemon.start()
        #expect(await daemon.stop() == 0)
        // And audited.
        let audit = try LoaDatabase(path: "\(daemon.stateDirectory)/loa.sqlite").recentAudit()
        let accepted = try #require(audit.first { $0.action == "state.lost-accepted" }, "\(audit.map(\.action))")
        #expect(accepted.subject == "command.seq" && accepted.detail?.contains("garbled") == true)
    }

    @Test func acceptingADamagedLogStartsFromTheLastCheckpointAndKeepsTheLog() async throws {
        let used = try await Self.usedStateDir()
        let copy = try Self.copy(used)
        try #require(Self.breakages.first { $0.name == "a damaged write-ahead log" }).breaking("\(copy)/state")
        let damaged = try Data(contentsOf: URL(fileURLWithPath: "\(copy)/state/loa.sqlite-wal"))
        let daemon = try await DaemonUnderTest(
            arguments: ["--audio-device", "null", "--accept-lost-state"],
            directory: copy
        )
        #expect(daemon.process?.stderr.contains("state.lost-accepted") == true)
        let names = try FileManager.default.contentsOfDirectory(atPath: daemon.stateDirectory)
        let aside = try #require(names.first { $0.hasPrefix("loa.sqlite-wal.lost-") }, "\(names)")
        #expect(FileManager.default.contents(atPath: "\(daemon.stateDirectory)/\(aside)") == damaged)
        let list = try await daemon.loa(["schedule", "list", "--json"])
        #expect(((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])?.count ?? 30) < 30)
        #expect(await daemon.stop() == 0)
        let audit = try LoaDatabase(path: "\(daemon.stateDirectory)/loa.sqlite").recentAudit()
        #expect(audit.contains { $0.action == "state.lost-accepted" && $0.subject == "loa.sqlite-wal" })
    }

    @Test func aFirstStartStoppedAfterItsStoreIsMadeLeavesAStateDirTheNextStartTakes() async throws {
        // A file where the asset library goes stops the first start after the store is made.
        let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-first")
        try FileManager.default.createDirectory(atPath: "\(directory)/state", withIntermediateDirectories: true)
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: "\(directory)/state/assets"))
        let failed = try await Self.serve(in: directory)
        #expect(failed.status == 78 && failed.stderr.contains("audio library"), "\(failed.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/state/loa.sqlite"))
        try FileManager.default.moveItem(atPath: "\(directory)/state/assets", toPath: "\(directory)/assets.aside")
        let daemon = try await DaemonUnderTest(directory: directory)
        #expect(FileManager.default.fileExists(atPath: "\(daemon.stateDirectory)/state.json"))
        #expect(await daemon.stop() == 0)
    }

    /// A daemon's state dir after 30 schedules and a SIGKILL (its write-ahead log left, as after a crash).
    static func usedStateDir() async throws -> String {
        let daemon = try await DaemonUnderTest()
        #expect(FileManager.default.fileExists(atPath: "\(daemon.stateDirectory)/state.json"), "no manifest")
        for index in 0..<30 {
            let at = String(format: "%02d:%02d", 5 + index / 3, (index % 3) * 20)
            let added = try await daemon.loa([
                "schedule", "add", "--text", "Thông báo số \(index)", "--title", "Lịch \(index)", "--daily", at,
                "--all",
            ])
            try #require(added.status == 0, "\(added.stderr)")
        }
        _ = await daemon.stop(signal: SIGKILL)
        #expect(FileManager.default.fileExists(atPath: "\(daemon.stateDirectory)/loa.sqlite-wal"))
        return daemon.directory
    }

    /// A copy of `directory`'s state dir in a new directory (as `state/`): its directories and regular files
    /// (not the control socket the killed daemon left).
    static func copy(_ directory: String) throws -> String {
        let copy = try TestBroker.makeTemporaryDirectory(prefix: "loa-lost")
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: "\(copy)/state", withIntermediateDirectories: true)
        let enumerator = fileManager.enumerator(atPath: "\(directory)/state")
        while let name = enumerator?.nextObject() as? String {
            let attributes = try fileManager.attributesOfItem(atPath: "\(directory)/state/\(name)")
            switch attributes[.type] as? FileAttributeType {
            case .typeDirectory?:
                try fileManager.createDirectory(atPath: "\(copy)/state/\(name)", withIntermediateDirectories: true)
            case .typeRegular?:
                try fileManager.copyItem(atPath: "\(directory)/state/\(name)", toPath: "\(copy)/state/\(name)")
            default:
                continue
            }
        }
        return copy
    }

    /// `loa serve` on `directory/state`, to its end.
    static func serve(in directory: String) async throws -> (status: Int32, stdout: String, stderr: String) {
        let port = try MosquittoBroker.freePort()
        return try await LoaProcess.run(
            [
                "serve", "--http", "127.0.0.1:\(port)", "--state-dir", "\(directory)/state", "--device-configs",
                DaemonUnderTest.sampleDeviceConfigs, "--audio-device", "null", "--https", "127.0.0.1:0",
            ],
            directory: directory
        )
    }

    /// Every regular file of the state dir and its bytes, but the broker's log (its dying child may still write).
    static func snapshot(_ state: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: state)
        while let name = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(state)/\(name)")
            guard attributes[.type] as? FileAttributeType == .typeRegular, !name.hasPrefix("broker/") else { continue }
            files[name] = try Data(contentsOf: URL(fileURLWithPath: "\(state)/\(name)"))
        }
        return files
    }
}
