import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaSecurity
import LoaStore
import Logging
import Synchronization

/// The broker's accounts, from the inventory in `device-configs/` (the source of truth: a receiver not in it
/// has no account) and the credentials in the store: it writes the embedded broker's password and ACL files
/// and makes it read them again, at start, on every enrollment and revocation, and on every reload of
/// `device-configs/` (a receiver moved to another zone hears that zone from then on).
///
/// Only hashes are kept. A receiver's secret is shown once, in its enrollment; the controller's and the
/// observer's live in the state dir, readable by the daemon's user only.
final class BrokerAccounts: ReceiverEnrolling, DeviceConfigsConsumer, Sendable {
    let topics: TopicTree
    let database: LoaDatabase
    /// The embedded broker; nil when the site runs its own (then only ``brokerExport(by:)`` writes accounts).
    let broker: MosquittoBroker?
    /// The controller's account and its hash, in every password file.
    let controllerAccount: BrokerAccount
    let controllerHash: String?
    /// The observer's hash, on the embedded broker only.
    let observerHash: String?
    /// `mqtts://…` for each name the field listener's certificate holds, first tried first.
    let fieldURLs: [String]
    /// The CA receivers must trust, read when an enrollment is written.
    let caFile: String?
    /// The controller's current public key (it changes with `loa key rotate`).
    let controllerKey: @Sendable () -> String
    let security: MosquittoSecurity
    /// Where a revoked receiver's `offline` is published: the broker sends no will for a client it drops.
    let bus: any MessageBus
    let clock: any WallClock
    let logger: Logger
    private let configs: Mutex<DeviceConfigs>
    /// The reload that follows the last change by a second (see ``publishToBroker()``).
    private let trailingReload = Mutex<Task<Void, Never>?>(nil)

    init(
        topics: TopicTree,
        database: LoaDatabase,
        broker: MosquittoBroker?,
        controller: (account: BrokerAccount, hash: String?),
        observerHash: String?,
        fieldURLs: [String],
        caFile: String?,
        controllerKey: @escaping @Sendable () -> String,
        security: MosquittoSecurity,
        configs: DeviceConfigs,
        bus: any MessageBus,
        clock: any WallClock,
        logger: Logger
    ) {
        self.topics = topics
        self.database = database
        self.broker = broker
        self.controllerAccount = controller.account
        self.controllerHash = controller.hash
        self.observerHash = observerHash
        self.fieldURLs = fieldURLs
        self.caFile = caFile
        self.controllerKey = controllerKey
        self.security = security
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.configs = Mutex(configs)
    }

    /// The password and ACL files for `inventory` and the credentials in force.
    func accessFiles(observer: Bool) throws -> MosquittoAccessFiles {
        let inventory = configs.withLock { $0.inventory }
        let credentials = try database.activeCredentials()
        var accounts = [controllerAccount]
        var hashes: [String: String] = [:]
        if let controllerHash { hashes[controllerAccount.name] = controllerHash }
        if observer {
            let account = BrokerAccount.observer(topics)
            accounts.append(account)
            if let observerHash { hashes[account.name] = observerHash }
        }
        for receiver in inventory.receivers {
            let account = BrokerAccount.receiver(id: receiver.id, zone: receiver.zone, topics: topics)
            accounts.append(account)
            if let hash = credentials[receiver.id] { hashes[account.name] = hash }
        }
        return MosquittoAccessFiles(accounts: accounts, hashes: hashes)
    }

    /// Writes the embedded broker's files and, when it runs, makes it read them (dropping revoked devices).
    /// mosquitto loses a SIGHUP that arrives while it is still reloading, so one more follows a second later:
    /// the last of a burst of changes is always read.
    func publishToBroker() throws {
        guard let broker else { return }
        try broker.writeAccess(try accessFiles(observer: true))
        broker.reload()
        let followUp = Task {
            try? await Task.sleep(for: .seconds(1))
            if !Task.isCancelled { broker.reload() }
        }
        trailingReload.withLock { pending in
            pending?.cancel()
            pending = followUp
        }
    }

    func apply(_ configs: DeviceConfigs) async throws {
        self.configs.withLock { $0 = configs }
        try publishToBroker()
    }

    func enroll(_ ids: [String], by caller: Caller) async throws(OperationError) -> [Enrollment] {
        try caller.require(.maintain)
        let inventory = configs.withLock { $0.inventory }
        let receivers = try ids.map { id throws(OperationError) in
            guard let receiver = inventory.receiver(id) else {
                throw OperationError(
                    .notFound,
                    "receiver '\(id)' is not in device-configs/receivers.yaml; add it there and reload first"
                )
            }
            return receiver
        }
        guard !fieldURLs.isEmpty, let caFile,
            let ca = try? String(contentsOfFile: caFile, encoding: .utf8)
        else {
            throw OperationError(
                .unavailable,
                "receivers enroll over TLS only: use the embedded broker, or an mqtts:// broker with mqtt.ca-file set"
            )
        }
        let issuedAt = clock.now()
        let secrets = receivers.map { _ in BrokerSecret() }
        do {
            try database.issueCredentials(
                zip(receivers, secrets).map { ($0.id, $1.passwordFileHash()) },
                at: issuedAt
            )
            try publishToBroker()
        } catch {
            throw OperationError(.unavailable, "cannot store the credentials: \(error)")
        }
        for receiver in receivers {
            database.auditIfPossible(
                AuditEntry(caller: caller, action: "receiver.enroll", subject: receiver.id),
                logger: logger
            )
        }
        logger.notice("broker.receivers-enrolled", metadata: ["count": "\(receivers.count)", "user": "\(caller.name)"])
        return zip(receivers, secrets).map { receiver, secret in
            Enrollment(
                site: topics.site,
                id: receiver.id,
                zone: receiver.zone,
                brokers: fieldURLs,
                ca: ca,
                username: BrokerAccount.receiverName(site: topics.site, id: receiver.id),
                password: secret.password,
                controllerKey: controllerKey(),
                issuedAt: Int64(issuedAt.timeIntervalSince1970 * 1_000_000)
            )
        }
    }

    func revoke(_ id: String, by caller: Caller) async throws(OperationError) {
        try caller.require(.maintain)
        let revoked: Bool
        do {
            revoked = try database.revokeCredential(receiver: id, at: clock.now())
            try publishToBroker()
        } catch {
            throw OperationError(.unavailable, "cannot revoke \(id): \(error)")
        }
        guard revoked else {
            throw OperationError(.notFound, "receiver '\(id)' has no credential in force; see `loa receivers`")
        }
        // Its retained `online` would otherwise stand: mosquitto publishes no will for a client it drops.
        try? bus.publish(
            BusMessage(
                topic: topics.receiverStatus(id),
                payload: AvailabilityStatus(state: .offline).encoded(),
                delivery: .atLeastOnce,
                retain: true
            )
        )
        database.auditIfPossible(AuditEntry(caller: caller, action: "receiver.revoke", subject: id), logger: logger)
        logger.notice("broker.receiver-revoked", metadata: ["receiver": "\(id)", "user": "\(caller.name)"])
    }

    func brokerExport(by caller: Caller) async throws(OperationError) -> BrokerExport {
        try caller.require(.maintain)
        do {
            let files = try accessFiles(observer: false)
            return BrokerExport(
                passwords: files.passwords,
                acl: files.acl,
                configuration: security.siteBrokerConfiguration(directory: "/etc/mosquitto/loa")
            )
        } catch {
            throw OperationError(.unavailable, "cannot read the credentials: \(error)")
        }
    }
}
