import Foundation
import LoaCore
import LoaSecurity
import LoaStore
import Logging

/// Refuses to start afresh on a state dir that has held a controller but lost part of it. A new empty store
/// loses every schedule, a new key is rejected by every receiver, and a new sequence is rejected as replayed:
/// each looks like a healthy start, so it must be refused, and said.
///
/// It looks before SQLite opens anything, since SQLite would itself delete a write-ahead log left next to a
/// missing store, and silently drop the commits after a damaged frame. Nothing is ever deleted: an operator
/// who accepts the loss (`--accept-lost-state`) has the damaged files moved aside, named `*.lost-TIMESTAMP`.
struct StateGuard: Sendable {
    /// One thing lost or damaged.
    struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The file, relative to the state dir.
        let file: String
        let what: String
        /// Damaged (65) rather than missing (66).
        let isDamage: Bool
        /// What accepting the loss moves aside.
        let moveAside: [String]
        /// What accepting the loss means for the operator.
        let consequence: String

        var description: String { "\(file) \(what)" }
    }

    static let store = "loa.sqlite"
    static let writeAheadLog = "loa.sqlite-wal"
    static let sharedMemory = "loa.sqlite-shm"
    static let key = "controller.key"
    static let sequence = "command.seq"

    let directory: String

    private func path(_ name: String) -> String { "\(directory)/\(name)" }

    private func size(_ name: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path(name)))?[.size] as? Int
    }

    /// Whether this dir has held a controller: its manifest (written by every start since this check exists),
    /// or, for a dir from before it, the key, the sequence, or a store with anything in it (an empty one is
    /// what a first start that failed to open it leaves).
    var hasHeldAController: Bool {
        [StateManifest.fileName, Self.key, Self.sequence].contains { FileManager.default.fileExists(atPath: path($0)) }
            || [Self.store, Self.writeAheadLog].contains { (size($0) ?? 0) > 0 }
    }

    /// Everything lost or damaged; empty on a fresh dir, which a first start sets up.
    func problems() -> [Problem] {
        guard hasHeldAController else { return [] }
        var problems: [Problem] = []
        let storeFiles = [Self.store, Self.writeAheadLog, Self.sharedMemory]
        switch size(Self.store) {
        case nil, 0:
            let leftover = size(Self.writeAheadLog).map { _ in " (its write-ahead log is left as it is)" } ?? ""
            problems.append(
                Problem(
                    file: Self.store,
                    what: (size(Self.store) == nil ? "is missing" : "is empty") + leftover,
                    isDamage: false,
                    moveAside: storeFiles,
                    consequence: "an empty store: every schedule, asset record and log entry is gone"
                )
            )
        case .some:
            if let header = FileHandle(forReadingAtPath: path(Self.store)).flatMap({ try? $0.read(upToCount: 16) }),
                header != Data("SQLite format 3\0".utf8)
            {
                problems.append(
                    Problem(
                        file: Self.store,
                        what: "is not an SQLite database (corrupt)",
                        isDamage: true,
                        moveAside: storeFiles,
                        consequence: "an empty store: every schedule, asset record and log entry is gone"
                    )
                )
            } else if case .damaged(let problem) = WriteAheadLog.check(path: path(Self.writeAheadLog)) {
                problems.append(
                    Problem(
                        file: Self.writeAheadLog,
                        what: "is damaged: \(problem)",
                        isDamage: true,
                        moveAside: [Self.writeAheadLog, Self.sharedMemory],
                        consequence: "the store as of its last checkpoint: the newest changes are gone"
                    )
                )
            }
        }
        switch size(Self.key) {
        case nil, 0:
            problems.append(
                Problem(
                    file: Self.key,
                    what: size(Self.key) == nil ? "is missing" : "is empty",
                    isDamage: false,
                    moveAside: [Self.key],
                    consequence: "a new key: give every receiver the new public key (loa key show)"
                )
            )
        case .some:
            do { _ = try SigningKey.load(from: path(Self.key)) } catch {
                problems.append(
                    Problem(
                        file: Self.key,
                        what: "is unusable: it \(error.problem)",
                        isDamage: true,
                        moveAside: [Self.key],
                        consequence: "a new key: give every receiver the new public key (loa key show)"
                    )
                )
            }
        }
        let sequenceConsequence =
            "a sequence from 0, moved past what receivers report; commands before that are refused as replayed"
        switch size(Self.sequence) {
        case nil, 0:
            problems.append(
                Problem(
                    file: Self.sequence,
                    what: size(Self.sequence) == nil ? "is missing" : "is empty",
                    isDamage: false,
                    moveAside: [Self.sequence],
                    consequence: sequenceConsequence
                )
            )
        case .some:
            if CommandSequence.stored(at: path(Self.sequence)) == nil {
                problems.append(
                    Problem(
                        file: Self.sequence,
                        what: "is garbled (not one number)",
                        isDamage: true,
                        moveAside: [Self.sequence],
                        consequence: sequenceConsequence
                    )
                )
            }
        }
        return problems
    }

    /// Checks the dir; on a loss, refuses to start unless `acceptingLoss`, in which case the damaged files are
    /// moved aside (never deleted) and the losses are logged as critical.
    /// - Returns: the losses accepted, for the audit log once the store is open.
    func check(acceptingLoss: Bool, logger: Logger) throws(LoaDaemon.StartupError) -> [Problem] {
        let problems = problems()
        guard !problems.isEmpty else { return [] }
        guard acceptingLoss else {
            throw LoaDaemon.StartupError(
                description: Self.refusal(problems, directory: directory),
                exitCode: problems.contains(where: \.isDamage) ? Sysexits.data : Sysexits.noInput
            )
        }
        for problem in problems {
            let moved = try moveAside(problem.moveAside)
            logger.critical(
                "state.lost-accepted",
                metadata: [
                    "state.dir": "\(directory)", "state.file": "\(problem.file)", "state.problem": "\(problem.what)",
                    "state.now": "\(problem.consequence)", "state.moved-aside": "\(moved.joined(separator: ", "))",
                ]
            )
        }
        return problems
    }

    /// Renames each of `names` that exists to `NAME.lost-TIMESTAMP`; the new names.
    func moveAside(_ names: [String]) throws(LoaDaemon.StartupError) -> [String] {
        let stamp = Self.timestamp()
        var moved: [String] = []
        for name in names where FileManager.default.fileExists(atPath: path(name)) {
            let target = "\(name).lost-\(stamp)"
            do { try FileManager.default.moveItem(atPath: path(name), toPath: path(target)) } catch {
                throw LoaDaemon.StartupError(
                    description:
                        "'\(path(name))' cannot be moved aside to '\(target)' (\(error.localizedDescription)); check that the state dir is writable",
                    exitCode: Sysexits.config
                )
            }
            moved.append(target)
        }
        return moved
    }

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date())
    }

    /// The one message of a refused start: what is lost, what a fresh start would mean, the two ways out.
    static func refusal(_ problems: [Problem], directory: String) -> String {
        let lost = problems.map { "\($0.file) \($0.what)" }.joined(separator: "; ")
        return
            "state dir '\(directory)' has held a controller, but \(lost). Starting anyway would give \(problems.map(\.consequence).joined(separator: "; ")). Restore a backup with `loa restore FILE --state-dir \(directory)`, or accept the loss with `loa serve --accept-lost-state` (logged and audited; nothing is deleted, damaged files are moved aside)"
    }

    /// The message of a store SQLite finds corrupt on open.
    static func corruptStore(_ path: String, error: any Error) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return
            "store '\(path)' is corrupt (\(error)). Restore a backup with `loa restore FILE --state-dir \(directory)`, or accept the loss with `loa serve --accept-lost-state` (it is moved aside, never deleted, and the daemon starts with an empty store)"
    }
}
