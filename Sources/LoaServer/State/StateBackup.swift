import Foundation
import LoaCore
import LoaSecurity
import LoaStore

#if canImport(Glibc)
import Glibc
#endif

/// `loa backup FILE`: the state dir in one tar archive, made while the daemon runs or not. The store is copied
/// through SQLite's online backup, the key and the sequence are copied first, and every file is listed with
/// its SHA-256 in `backup.json`.
///
/// What belongs: the store, the key, the sequence, the manifest, the assets, and what enrolled receivers depend
/// on (``brokerFiles``: the broker's ports, its CA and certificate). What is made again on start and left out:
/// the broker's config, password and ACL files and log, the
/// on-air records (a restored one would resume an old broadcast), the local output, sockets and the lock.
public enum StateBackup {
    /// Writes the archive of `stateDirectory` to `file` (through `FILE.partial`, renamed when complete).
    public static func create(stateDirectory: String, file: String) throws(StateArchiveError) -> BackupManifest {
        let problems = StateGuard(directory: stateDirectory).problems()
        guard StateGuard(directory: stateDirectory).hasHeldAController else {
            throw StateArchiveError(
                "state dir '\(stateDirectory)' holds no controller state; pass the daemon's --state-dir",
                exitCode: Sysexits.noInput
            )
        }
        guard problems.isEmpty else {
            throw StateArchiveError(
                "state dir '\(stateDirectory)' cannot be backed up: \(problems.map(\.description).joined(separator: "; ")); back up a healthy state dir",
                exitCode: Sysexits.data
            )
        }
        let fileManager = FileManager.default
        let staging = fileManager.temporaryDirectory.appendingPathComponent("loa-backup-\(UUID().uuidString)").path
        defer { try? fileManager.removeItem(atPath: staging) }
        let key: SigningKey
        var files: [String: String] = [:]
        let schema: [String]
        do {
            try fileManager.createDirectory(atPath: staging, withIntermediateDirectories: true)
            schema = try LoaDatabase.backUp(
                "\(stateDirectory)/\(StateGuard.store)",
                to: "\(staging)/\(StateGuard.store)"
            )
            // The key's rotations with it: a restored controller must go on from the last one receivers adopted.
            for name in [
                StateGuard.key, ControllerKeyring.chainFile, ControllerKeyring.previousKeyFile, StateGuard.sequence,
                StateManifest.fileName,
            ] + Self.brokerFiles
            where fileManager.fileExists(atPath: "\(stateDirectory)/\(name)") {
                let target = "\(staging)/\(name)"
                try fileManager.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true
                )
                try fileManager.copyItem(atPath: "\(stateDirectory)/\(name)", toPath: target)
            }
            key = try SigningKey.load(from: "\(staging)/\(StateGuard.key)")
        } catch {
            throw StateArchiveError("state dir '\(stateDirectory)' cannot be copied: \(error)")
        }
        for name in try regularFiles(under: staging) {
            files[name] = FileDigest.sha256(ofFileAt: "\(staging)/\(name)")
        }
        let assets = try regularFiles(under: "\(stateDirectory)/assets").filter { !$0.hasPrefix(".incoming") }.map {
            "assets/\($0)"
        }
        for name in assets {
            guard let digest = FileDigest.sha256(ofFileAt: "\(stateDirectory)/\(name)") else {
                throw StateArchiveError("asset file '\(stateDirectory)/\(name)' cannot be read; check its permissions")
            }
            files[name] = digest
        }
        let manifest = BackupManifest(
            loaVersion: LoaVersion.current,
            schema: schema,
            createdAt: Date(),
            stateDirectory: stateDirectory,
            publicKey: key.publicKeyText,
            files: files
        )
        let partial = "\(file).partial"
        do {
            try BackupManifest.encoder.encode(manifest).write(
                to: URL(fileURLWithPath: "\(staging)/\(BackupManifest.fileName)")
            )
            try Tar.run(["-cf", partial, "-C", staging, "."])
            if !assets.isEmpty {
                let list = "\(staging).assets"
                defer { try? fileManager.removeItem(atPath: list) }
                try assets.joined(separator: "\n").appending("\n").write(
                    toFile: list,
                    atomically: true,
                    encoding: .utf8
                )
                try Tar.run(["-rf", partial, "-C", stateDirectory, "--verbatim-files-from", "-T", list])
            }
            // One rename: an older archive of the same name is replaced whole or not at all.
            guard rename(partial, file) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? fileManager.removeItem(atPath: partial)
            throw StateArchiveError("backup '\(file)' cannot be written: \(error); check the disk has room")
        }
        return manifest
    }

    /// What enrolled receivers depend on: the embedded broker's ports, the CA they trust (and the certificate it
    /// issued), and the secrets of the controller's and the observer's accounts. Receivers' own credentials
    /// are in the store.
    static let brokerFiles = [
        "broker/port", "broker/field-port", "broker/controller.secret", "broker/observer.secret",
        "broker/tls/ca.pem", "broker/tls/ca.key", "broker/tls/server.pem", "broker/tls/server.key",
    ]

    /// The regular files under `directory`, relative to it; none when it does not exist.
    static func regularFiles(under directory: String) throws(StateArchiveError) -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw StateArchiveError("'\(directory)' cannot be listed; check its permissions")
        }
        var files: [String] = []
        while let name = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")
            if attributes?[.type] as? FileAttributeType == .typeRegular { files.append(name) }
        }
        return files.sorted()
    }
}
