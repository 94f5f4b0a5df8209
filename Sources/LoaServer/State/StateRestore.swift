import Foundation
import LoaCore
import LoaSecurity
import LoaStore

#if canImport(Glibc)
import Glibc
#endif

/// `loa restore FILE`: puts a `loa backup` archive in place of the state dir. The archive is unpacked next to
/// the state dir and checked whole first (every file's SHA-256, the key against its public part, the store's
/// integrity and schema); the current state is then moved aside to `DIR.before-restore-TIMESTAMP`, never
/// deleted, and the unpacked one renamed in. Refused while a daemon holds the state dir.
///
/// The restored sequence is behind what receivers have obeyed since the backup: the daemon moves it past what
/// they report (``SequenceRecovery``).
public enum StateRestore {
    /// What a restore did.
    public struct Outcome: Sendable {
        public let manifest: BackupManifest
        /// Where the state dir that was replaced now is, if there was one.
        public let previous: String?
    }

    public static func restore(file: String, stateDirectory: String) throws(StateArchiveError) -> Outcome {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: file) else {
            throw StateArchiveError(
                "backup '\(file)' does not exist; give the file `loa backup` wrote",
                exitCode: Sysexits.noInput
            )
        }
        let stamp = StateGuard.timestamp()
        let unpacked = "\(stateDirectory).restoring-\(stamp)"
        do {
            try fileManager.createDirectory(
                atPath: unpacked,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw StateArchiveError("'\(unpacked)' cannot be created next to the state dir: \(error)")
        }
        var keep = false
        defer { if !keep { try? fileManager.removeItem(atPath: unpacked) } }
        do {
            try Tar.run(["-xf", file, "-C", unpacked, "--no-same-owner"])
        } catch {
            throw StateArchiveError("backup '\(file)' cannot be unpacked: \(error)", exitCode: Sysexits.data)
        }
        let manifest = try verify(unpacked, file: file)

        // Held until the swap is done: no daemon starts on a half-restored dir.
        var lock: StateLock?
        if fileManager.fileExists(atPath: stateDirectory) {
            do { lock = try StateLock.acquire(directory: stateDirectory) } catch let busy as StateLock.Busy {
                throw StateArchiveError(busy.description, exitCode: Sysexits.tempFail)
            } catch {
                throw StateArchiveError("state dir '\(stateDirectory)' cannot be locked: \(error)")
            }
        }
        var previous: String?
        var owner: (uid_t, gid_t)?
        if lock != nil {
            var status = stat()
            if stat(stateDirectory, &status) == 0 { owner = (status.st_uid, status.st_gid) }
            let aside = "\(stateDirectory).before-restore-\(stamp)"
            guard rename(stateDirectory, aside) == 0 else {
                throw StateArchiveError(
                    "state dir '\(stateDirectory)' cannot be moved aside to '\(aside)': \(String(cString: strerror(errno)))"
                )
            }
            previous = aside
        }
        try? fileManager.removeItem(atPath: "\(unpacked)/\(BackupManifest.fileName)")
        guard rename(unpacked, stateDirectory) == 0 else {
            let reason = String(cString: strerror(errno))
            if let previous { _ = rename(previous, stateDirectory) }
            throw StateArchiveError("'\(unpacked)' cannot be renamed to '\(stateDirectory)': \(reason)")
        }
        keep = true
        withExtendedLifetime(lock) {}
        // Run as root for a daemon that runs as `loa`: the restored files are the old dir's owner's.
        if let owner, geteuid() == 0 {
            _ = chown(stateDirectory, owner.0, owner.1)
            let names = FileManager.default.enumerator(atPath: stateDirectory)?.allObjects as? [String] ?? []
            for name in names { _ = lchown("\(stateDirectory)/\(name)", owner.0, owner.1) }
        }
        return Outcome(manifest: manifest, previous: previous)
    }

    /// Checks an unpacked archive: its manifest, every file's digest, the key, the sequence and the store.
    static func verify(_ directory: String, file: String) throws(StateArchiveError) -> BackupManifest {
        func refuse(_ problem: String) -> StateArchiveError {
            StateArchiveError(
                "backup '\(file)' cannot be verified: \(problem); it is not restored",
                exitCode: Sysexits.data
            )
        }
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(BackupManifest.fileName)"),
            let manifest = try? BackupManifest.decoder.decode(BackupManifest.self, from: data)
        else { throw refuse("it has no readable \(BackupManifest.fileName) (not a `loa backup` archive?)") }
        guard manifest.format == 1 else { throw refuse("its format \(manifest.format) is newer than this Loa's") }
        for (name, digest) in manifest.files.sorted(by: { $0.key < $1.key }) {
            guard FileDigest.sha256(ofFileAt: "\(directory)/\(name)") == digest else {
                throw refuse("\(name) is missing or differs from when it was backed up")
            }
        }
        for name in [StateGuard.store, StateGuard.key, StateGuard.sequence] where manifest.files[name] == nil {
            throw refuse("it holds no \(name)")
        }
        let key: SigningKey
        do { key = try SigningKey.load(from: "\(directory)/\(StateGuard.key)") } catch {
            throw refuse(error.description)
        }
        guard key.publicKeyText == manifest.publicKey else { throw refuse("its key is not the one its manifest names") }
        guard CommandSequence.stored(at: "\(directory)/\(StateGuard.sequence)") != nil else {
            throw refuse("its \(StateGuard.sequence) is garbled")
        }
        if let problem = LoaDatabase.problemRestoring("\(directory)/\(StateGuard.store)") {
            throw refuse("its store \(problem)")
        }
        return manifest
    }
}
