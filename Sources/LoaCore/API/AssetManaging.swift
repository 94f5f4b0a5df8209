/// The audio library as the HTTP API exposes it: uploads streamed to disk, imported in a bounded queue off the
/// request path, their progress, and what is stored.
public protocol AssetManaging: Sendable {
    /// Admits an upload before its body is read: the user, the name, the size limit, and the free space it
    /// would need (`declaredBytes` is the Content-Length, when the client sent one). An `urgent` upload is for a
    /// broadcast to air at once: only those who may air at once send one, and it is imported ahead of the queue.
    func admitUpload(
        name: String,
        declaredBytes: Int?,
        urgent: Bool,
        by caller: Caller
    ) async throws(OperationError) -> UploadTicket
    /// Checks, while the body arrives, that the disk can still take it (`received` bytes so far).
    func checkSpace(for ticket: UploadTicket, received: Int) throws(OperationError)
    /// Queues a completely received upload for import; answers at once.
    func enqueueImport(_ ticket: UploadTicket, bytes: Int) async throws(OperationError) -> AssetImportStatus
    /// Drops an upload that was refused or broken off, and its file.
    func abandonUpload(_ ticket: UploadTicket) async
    /// Returns once import `id` has finished (done or failed), or at once if there is no such import running.
    func waitUntilFinished(id: String) async
    func importStatus(id: String) async throws(OperationError) -> AssetImportStatus
    /// A page of the stored assets, by name.
    func storedAssets(page: PageRequest) async throws(OperationError) -> Page<StoredAsset>
}
