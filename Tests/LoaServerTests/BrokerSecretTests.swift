import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaSecurity
import Testing

/// Broker secrets are kept only as mosquitto's `$6$` hash, and the password and ACL files are written from the
/// accounts; a real mosquitto accepting the hash is shown end to end (BrokerAccessTests).
@Suite("Broker secrets and access files")
struct BrokerSecretTests {
    @Test func aSecretIsRandomAndOnlyItsHashIsWritten() throws {
        let first = BrokerSecret()
        let second = BrokerSecret()
        #expect(first.password != second.password)
        #expect(first.password.count >= 43)
        let hash = first.passwordFileHash()
        #expect(hash.hasPrefix("$6$"))
        #expect(!hash.contains(first.password))
        #expect(BrokerSecret.matches(first.password, hash: hash))
        #expect(!BrokerSecret.matches(second.password, hash: hash))
        // Stable, so an unchanged password file is not written again on each start.
        #expect(first.passwordFileHash() == hash)
        #expect(!"\(first)".contains(first.password))
    }

    @Test func theSecretFileIsMadeOnceOwnerOnlyAndAnEmptyOneIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loa-secret-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/observer.secret"
        let made = try BrokerSecret.loadOrCreate(at: path)
        #expect(try BrokerSecret.loadOrCreate(at: path) == made)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        try "\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: KeyFileError.self) { try BrokerSecret.loadOrCreate(at: path) }
    }

    @Test func theAccessFilesListEveryAccountAndOnlyEnrolledOnesMayLogIn() throws {
        let topics = try TopicTree(site: "xa-an-phu")
        let accounts = [
            BrokerAccount.controller(topics),
            BrokerAccount.receiver(id: "rx-dong-01", zone: "thon-dong", topics: topics),
            BrokerAccount.receiver(id: "rx-tay-01", zone: "thon-tay", topics: topics),
        ]
        let files = MosquittoAccessFiles(
            accounts: accounts,
            hashes: ["loa-ctl-xa-an-phu": "$6$a$b", "loa-rx-xa-an-phu-rx-dong-01": "$6$c$d"]
        )
        let passwordLines = files.passwords.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(passwordLines == ["loa-ctl-xa-an-phu:$6$a$b", "loa-rx-xa-an-phu-rx-dong-01:$6$c$d"])
        #expect(files.acl.contains("user loa-rx-xa-an-phu-rx-tay-01\ntopic read loa/v1/xa-an-phu/cmd/all\n"))
        #expect(files.acl.contains("topic write loa/v1/xa-an-phu/rx/rx-tay-01/events\n"))
        #expect(!files.acl.contains("topic readwrite"))
    }
}
