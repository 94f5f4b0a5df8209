import Foundation
import LoaAudio
import LoaCore
import LoaStore
import Logging
import ServiceLifecycle
import Synchronization

/// The audio library behind the API: admits uploads (role, name, size, free space) before their bodies are
/// read, imports them one at a time on a thread of their own, reports their progress, and reclaims audio that
/// nothing plays once its grace period is over.
///
/// Imports used to run on the request path, holding each body in memory and stalling the API for as long as a
/// programme took to decode. Here the API answers an upload as soon as its body is on disk, and the queue is
/// bounded twice: one import at a time (a 2-core gateway keeps its other core for the scheduler, the streamer
/// and the API), and at most ``Limits/maximumWaiting`` uploads received or waiting. Reclaiming runs in the same
/// queue, so a sweep never sees an asset that is stored but not yet recorded. On SIGTERM the running import is
/// cancelled (its loops stop at their next chunk) and the waiting ones are dropped.
///
/// An urgent upload (`loa announce --audio`: a broadcast to air at once, an emergency) never waits behind a
/// two-hour programme: it has a lane of its own, and the queue's imports run at a lower CPU priority (nice 10),
/// so the urgent import, the streamer and the scheduler get the cores they need while a long import runs.
final class AssetImportService: AssetManaging, Service, Sendable {
    struct Limits: Sendable {
        /// The largest upload: about an hour of 48 kHz stereo WAV.
        var maximumUploadBytes = 700 << 20
        /// Uploads being received plus imports waiting, beyond which new uploads are refused.
        var maximumWaiting = 8
        /// Urgent uploads being received or imported at once, in their own lane.
        var maximumUrgent = 2
        /// Space left free for the store and the logs: an upload that would eat into it is refused.
        var reserveBytes: Int64 = 64 << 20
        /// How long audio that nothing plays is kept after its last import.
        var graceSeconds = 86_400
        /// Finished imports whose status is kept for `GET /api/v1/imports/ID`.
        var finishedKept = 100
    }

    enum Work: Sendable {
        case importUpload(UploadTicket, user: Caller)
        case sweep
    }

    struct Tracked {
        var status: AssetImportStatus
        var progress: ImportProgress?
        var isUrgent = false
    }

    struct State {
        /// Uploads being received, by ticket id: who sends them.
        var receiving: [String: Caller] = [:]
        /// Imports waiting in the queue, or uploads for it being received.
        var queued = 0
        /// Urgent uploads being received, waiting or imported.
        var urgent = 0
        var imports: [String: Tracked] = [:]
        var finished: [String] = []
        var sweepWaiting = false
        /// Requests waiting for an import to finish (an urgent upload's), by import id.
        var finishWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    let library: AssetLibrary
    let importer: AssetImporter
    let database: LoaDatabase
    /// Checks that a user may upload (and, for an urgent upload, air at once).
    let authorize: @Sendable (_ caller: Caller, _ urgent: Bool) throws(OperationError) -> Void
    let freeSpace: @Sendable (String) -> Int64?
    let limits: Limits
    let logger: Logger
    private let state = Mutex(State())
    private let work: AsyncStream<Work>
    private let workInput: AsyncStream<Work>.Continuation
    private let urgentWork: AsyncStream<Work>
    private let urgentInput: AsyncStream<Work>.Continuation

    init(
        importer: AssetImporter,
        database: LoaDatabase,
        limits: Limits = Limits(),
        authorize: @escaping @Sendable (_ caller: Caller, _ urgent: Bool) throws(OperationError) -> Void,
        freeSpace: @escaping @Sendable (String) -> Int64? = FreeSpace.available(at:),
        logger: Logger
    ) {
        self.library = importer.library
        self.importer = importer
        self.database = database
        self.limits = limits
        self.authorize = authorize
        self.freeSpace = freeSpace
        self.logger = logger
        (work, workInput) = AsyncStream.makeStream()
        (urgentWork, urgentInput) = AsyncStream.makeStream()
    }

    // MARK: Service

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.requestSweeps() }
                group.addTask { await self.work(through: self.urgentWork) }
                await self.work(through: self.work)
                group.cancelAll()
            }
        }
        workInput.finish()
        urgentInput.finish()
        dropWaitingImports()
    }

    /// Does one lane's work in order, until the daemon stops.
    private func work(through lane: AsyncStream<Work>) async {
        for await item in lane {
            switch item {
            case .importUpload(let ticket, let user): await runImport(ticket, user: user)
            case .sweep: await sweep()
            }
            if Task.isCancelled { break }
        }
    }

    /// Asks for a sweep at start and then every half grace period (between 1 s and 10 min).
    private func requestSweeps() async {
        let interval = Duration.seconds(min(600, max(1, limits.graceSeconds / 2)))
        while !Task.isCancelled {
            let due = state.withLock { state in
                defer { state.sweepWaiting = true }
                return !state.sweepWaiting
            }
            if due { workInput.yield(.sweep) }
            try? await Task.sleep(for: interval)
        }
    }

    // MARK: AssetManaging

    func admitUpload(
        name: String,
        declaredBytes: Int?,
        urgent: Bool,
        by caller: Caller
    ) async throws(OperationError) -> UploadTicket {
        try authorize(caller, urgent)
        do { try AssetImporter.validateName(name) } catch { throw OperationError(.invalid, error.description) }
        if let declaredBytes, declaredBytes > limits.maximumUploadBytes {
            throw OperationError(
                .tooLarge,
                "'\(name)' has \(FreeSpace.describe(Int64(declaredBytes))); one upload may have at most "
                    + "\(limits.maximumUploadBytes >> 20) MB: shorten it or send it compressed (MP3, Ogg)"
            )
        }
        try requireSpace(Self.spaceNeeded(forUpload: declaredBytes ?? 0) + limits.reserveBytes, for: name)
        let ticket = UploadTicket(
            id: "imp-\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())",
            name: name,
            path: "",
            maximumBytes: limits.maximumUploadBytes,
            isUrgent: urgent
        )
        let admitted = state.withLock { state in
            if urgent {
                guard state.urgent < limits.maximumUrgent else { return false }
                state.urgent += 1
            } else {
                guard state.queued < limits.maximumWaiting else { return false }
                state.queued += 1
            }
            state.receiving[ticket.id] = caller
            return true
        }
        guard admitted else {
            let (count, kind) = urgent ? (limits.maximumUrgent, "urgent uploads") : (limits.maximumWaiting, "uploads")
            throw OperationError(
                .unavailable,
                "\(count) \(kind) are already being received or imported; try again when one is done"
            )
        }
        var placed = ticket
        placed.path = library.uploadPath(ticket.id)
        return placed
    }

    func checkSpace(for ticket: UploadTicket, received: Int) throws(OperationError) {
        try requireSpace(limits.reserveBytes, for: ticket.name, received: received)
    }

    func enqueueImport(_ ticket: UploadTicket, bytes: Int) async throws(OperationError) -> AssetImportStatus {
        let status = AssetImportStatus(id: ticket.id, name: ticket.name, bytes: bytes, state: .queued)
        let user = state.withLock { state -> Caller? in
            guard let user = state.receiving.removeValue(forKey: ticket.id) else { return nil }
            state.imports[ticket.id] = Tracked(status: status, isUrgent: ticket.isUrgent)
            return user
        }
        guard let user else { throw OperationError(.notFound, "no upload \(ticket.id) is being received") }
        let lane = ticket.isUrgent ? urgentInput : workInput
        if case .terminated = lane.yield(.importUpload(ticket, user: user)) {
            finish(
                ticket,
                .failure(OperationError(.unavailable, "the daemon is stopping; upload '\(ticket.name)' again"))
            )
            try? FileManager.default.removeItem(atPath: ticket.path)
        }
        logger.info(
            "asset.upload-received",
            metadata: ["import.id": "\(ticket.id)", "asset.name": "\(ticket.name)", "upload.bytes": "\(bytes)"]
        )
        return try await importStatus(id: ticket.id)
    }

    func abandonUpload(_ ticket: UploadTicket) async {
        state.withLock { state in
            guard state.receiving.removeValue(forKey: ticket.id) != nil else { return }
            Self.release(ticket, from: &state)
        }
        try? FileManager.default.removeItem(atPath: ticket.path)
    }

    func waitUntilFinished(id: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state in
                guard let tracked = state.imports[id], !tracked.status.isFinished else { return false }
                state.finishWaiters[id, default: []].append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    func importStatus(id: String) async throws(OperationError) -> AssetImportStatus {
        guard let tracked = state.withLock({ $0.imports[id] }) else {
            throw OperationError(
                .notFound,
                "no import \(id); the daemon keeps the last \(limits.finishedKept) until it restarts (see `loa assets`)"
            )
        }
        var status = tracked.status
        if let progress = tracked.progress {
            let snapshot = progress.snapshot
            status.stage = snapshot.stage.rawValue
            status.fraction = snapshot.fraction
        }
        return status
    }

    func storedAssets(page: PageRequest) async throws(OperationError) -> Page<StoredAsset> {
        let records: Page<AssetRecord>
        do { records = try await database.assetRecords(page: page) } catch let error as OperationError {
            throw error
        } catch {
            throw OperationError(.unavailable, "the store failed: \(error)")
        }
        let items = records.items.map { record in
            StoredAsset(
                id: record.id,
                name: record.originalName,
                durationSeconds: record.durationSeconds,
                sizeBytes: Self.size(of: "\(library.directory)/\(record.id)"),
                referenced: record.referenced,
                importedAt: record.importedAt
            )
        }
        return Page(items: items, next: records.next)
    }

    // MARK: Importing

    private func runImport(_ ticket: UploadTicket, user: Caller) async {
        let progress = ImportProgress()
        state.withLock { state in
            state.imports[ticket.id]?.status.state = .importing
            state.imports[ticket.id]?.progress = progress
        }
        logger.info("asset.import-started", metadata: ["import.id": "\(ticket.id)", "asset.name": "\(ticket.name)"])
        let outcome = await withTaskCancellationHandler {
            // The body returns its failure as a value: the call itself has nothing to throw.
            (try? await BlockingCall.run { self.importNow(ticket, user: user, progress: progress) })
                ?? .failure(OperationError(.unavailable, "the import of '\(ticket.name)' did not run"))
        } onCancel: {
            progress.cancel()
        }
        finish(ticket, outcome)
    }

    /// The import itself, on a thread of its own: decode, normalise, encode, store, record. The upload's file is
    /// removed whatever happens.
    private func importNow(
        _ ticket: UploadTicket,
        user: Caller,
        progress: ImportProgress
    ) -> Result<AudioAssetMetadata, OperationError> {
        defer { try? FileManager.default.removeItem(atPath: ticket.path) }
        if !ticket.isUrgent { ThreadPriority.lower() }
        let metadata: AudioAssetMetadata
        do {
            metadata = try importer.importFile(at: ticket.path, originalName: ticket.name, progress: progress)
        } catch {
            return .failure(Self.refusal(error))
        }
        do {
            let json = String(decoding: try APICoding.encoder().encode(metadata), as: UTF8.self)
            try database.recordAsset(id: metadata.id, originalName: ticket.name, metadataJSON: json, actor: user)
        } catch {
            return .failure(OperationError(.unavailable, "'\(ticket.name)' was imported but not recorded: \(error)"))
        }
        return .success(metadata)
    }

    private func finish(_ ticket: UploadTicket, _ outcome: Result<AudioAssetMetadata, OperationError>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard var tracked = state.imports[ticket.id], !tracked.status.isFinished else { return [] }
            Self.release(ticket, from: &state)
            tracked.progress = nil
            tracked.status.stage = nil
            switch outcome {
            case .success(let metadata):
                tracked.status.state = .done
                tracked.status.fraction = 1
                tracked.status.asset = metadata
            case .failure(let refusal):
                tracked.status.state = .failed
                tracked.status.error = refusal.message
                tracked.status.errorKind = refusal.kind
            }
            state.imports[ticket.id] = tracked
            state.finished.append(ticket.id)
            while state.finished.count > limits.finishedKept {
                state.imports.removeValue(forKey: state.finished.removeFirst())
            }
            return state.finishWaiters.removeValue(forKey: ticket.id) ?? []
        }
        for waiter in waiters { waiter.resume() }
        switch outcome {
        case .success(let metadata):
            logger.info(
                "asset.import-completed",
                metadata: ["import.id": "\(ticket.id)", "asset.id": "\(metadata.id)", "asset.name": "\(ticket.name)"]
            )
        case .failure(let refusal):
            logger.notice(
                "asset.import-failed",
                metadata: ["import.id": "\(ticket.id)", "asset.name": "\(ticket.name)", "error": "\(refusal.message)"]
            )
        }
    }

    /// Frees the ticket's place in its lane.
    private static func release(_ ticket: UploadTicket, from state: inout State) {
        if ticket.isUrgent { state.urgent -= 1 } else { state.queued -= 1 }
    }

    /// Imports still waiting when the daemon stops are dropped: their uploads are gone with the staging area.
    private func dropWaitingImports() {
        let waiting = state.withLock { state in
            state.imports.values.filter { $0.status.state == .queued }
        }
        for tracked in waiting {
            let status = tracked.status
            finish(
                UploadTicket(id: status.id, name: status.name, path: "", maximumBytes: 0, isUrgent: tracked.isUrgent),
                .failure(OperationError(.unavailable, "the daemon stopped before '\(status.name)' was imported"))
            )
        }
    }

    static func refusal(_ error: AudioFileError) -> OperationError {
        switch error.problem {
        case .notAudio: OperationError(.unsupportedMedia, error.description)
        case .processing, .storage, .cancelled: OperationError(.unavailable, error.description)
        default: OperationError(.invalid, error.description)
        }
    }

    // MARK: Free space

    /// What an upload of `bytes` needs on disk: itself while it waits, the audio its import stores (48 kHz mono
    /// 16-bit WAV and Opus, 100 KB/s) and, for audio that needs the limiter, the 48 kHz float samples its passes
    /// read back (192 KB/s, while it runs). Counted for as many seconds as a 64 kbit/s MP3 of that size holds,
    /// and never more than the hour an import may last.
    static func spaceNeeded(forUpload bytes: Int) -> Int64 {
        let seconds = min(Int64(bytes) / 8_000, Int64(AssetImporter.defaultMaximumSeconds))
        return Int64(bytes) + seconds * (96_000 + 4_000 + 192_000)
    }

    private func requireSpace(_ needed: Int64, for name: String, received: Int? = nil) throws(OperationError) {
        guard let free = freeSpace(library.directory), free < needed else { return }
        let what =
            received.map { "after \(FreeSpace.describe(Int64($0))) of '\(name)'" }
            ?? "'\(name)' needs \(FreeSpace.describe(needed)) free (the upload, its imported audio and a reserve for the store)"
        throw OperationError(
            .insufficientStorage,
            "\(what), but only \(FreeSpace.describe(free)) is free in \(library.directory); "
                + "free some space (`loa assets` lists stored audio) and upload again"
        )
    }

    // MARK: Reclaiming

    /// Removes the audio that no schedule plays and that was last imported more than the grace period ago, and
    /// asset directories the store does not know (an import cut off between storing and recording).
    private func sweep() async {
        state.withLock { $0.sweepWaiting = false }
        let cutoff = Date().addingTimeInterval(-TimeInterval(limits.graceSeconds))
        await BlockingCall.run { [self] in
            do {
                for id in try database.removeUnreferencedAssets(importedBefore: cutoff) {
                    remove(id, why: "unreferenced")
                }
                let known = Set(try database.assetRecords().map(\.id))
                let names = (try? FileManager.default.contentsOfDirectory(atPath: library.directory)) ?? []
                for name in names where AssetLibrary.isValidID(name) && !known.contains(name) {
                    let path = "\(library.directory)/\(name)"
                    let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
                    if let modified, modified < cutoff { remove(name, why: "not in the store") }
                }
            } catch {
                logger.warning("asset.reclaim-failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func remove(_ id: String, why: String) {
        let path = "\(library.directory)/\(id)"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let bytes = Self.size(of: path)
        do {
            try FileManager.default.removeItem(atPath: path)
            logger.info(
                "asset.reclaimed",
                metadata: ["asset.id": "\(id)", "asset.bytes": "\(bytes)", "reason": "\(why)"]
            )
        } catch {
            logger.warning("asset.reclaim-failed", metadata: ["asset.id": "\(id)", "error": "\(error)"])
        }
    }

    /// The bytes of the files in an asset's directory.
    static func size(of directory: String) -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")[.size]) as? Int64
            return total + (size ?? 0)
        }
    }
}
