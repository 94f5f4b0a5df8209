/// The broker's accounts, as the API offers them (`loa receivers enroll|revoke`, `loa broker export`).
public protocol ReceiverEnrolling: Sendable {
    /// Issues `id` a new secret (revoking any earlier one) and returns its enrollment; `id` must be in the
    /// inventory.
    func enroll(_ id: String, by user: String) async throws(OperationError) -> Enrollment
    /// Revokes `id`'s secret: the broker drops the device and refuses it from then on.
    func revoke(_ id: String, by user: String) async throws(OperationError)
    /// The accounts and ACLs for a broker the site runs itself.
    func brokerExport(by user: String) async throws(OperationError) -> BrokerExport
}
