/// The broker's accounts, as the API offers them (`loa receivers enroll|revoke`, `loa broker export`).
public protocol ReceiverEnrolling: Sendable {
    /// Issues each receiver of `ids` a new secret (revoking any earlier one) and returns their enrollments, in
    /// order; every id must be in the inventory, or none is enrolled. The broker reads its accounts once.
    func enroll(_ ids: [String], by caller: Caller) async throws(OperationError) -> [Enrollment]
    /// Revokes `id`'s secret: the broker drops the device and refuses it from then on.
    func revoke(_ id: String, by caller: Caller) async throws(OperationError)
    /// The accounts and ACLs for a broker the site runs itself.
    func brokerExport(by caller: Caller) async throws(OperationError) -> BrokerExport
}
