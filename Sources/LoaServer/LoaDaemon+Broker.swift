import Foundation
import LoaBroker
import LoaCore
import LoaMQTT
import LoaSecurity
import LoaStore
import Logging

extension LoaDaemon {
    /// The embedded broker, locked down (docs/protocol.md, "Security"): accounts only, a TLS listener for the
    /// receivers in the field, and the secrets of the controller's and the observer's accounts.
    struct EmbeddedBroker {
        let broker: MosquittoBroker
        let controllerSecret: BrokerSecret
        let observerSecret: BrokerSecret
        let security: MosquittoSecurity
        /// `mqtts://…` for every field name, in the order enrollments list them.
        let fieldURLs: [String]
        let caFile: String
        /// Renews the field certificate from the on-box CA; nil with a certificate the site supplies.
        let renewal: FieldCertificateService?
    }

    /// Builds the embedded broker in `<state>/broker`: its secrets, its field certificate (the site's, or
    /// one from the on-box CA for the field names), and its configuration. Nothing is started.
    static func makeEmbeddedBroker(
        settings: ServeSettings,
        stateDirectory: String,
        site: String,
        logger: Logger
    ) throws(StartupError) -> EmbeddedBroker {
        let directory = "\(stateDirectory)/broker"
        let controllerSecret: BrokerSecret
        let observerSecret: BrokerSecret
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            controllerSecret = try BrokerSecret.loadOrCreate(at: "\(directory)/controller.secret")
            observerSecret = try BrokerSecret.loadOrCreate(at: "\(directory)/observer.secret")
        } catch {
            throw StartupError(description: "embedded broker: \(error)", exitCode: Sysexits.config)
        }
        let names = settings.fieldNames.isEmpty ? GatewayAddresses.defaultNames() : settings.fieldNames
        let serverNames: ServerNames
        do { serverNames = try Self.serverNames(names) } catch {
            throw StartupError(description: "field-names: \(error)", exitCode: Sysexits.config)
        }
        let files = try fieldCertificate(
            settings: settings,
            directory: "\(directory)/tls",
            site: site,
            names: serverNames
        )
        let security = MosquittoSecurity(
            field: .init(
                host: settings.fieldListener.host,
                port: settings.fieldListener.port,
                caFile: files.ca,
                certificateFile: files.certificate,
                keyFile: files.key
            )
        )
        // The daemon's own listeners bind after the broker's port is handed to its client: a pick must not take theirs.
        let broker = MosquittoBroker(
            directory: directory,
            security: security,
            reserved: Set([settings.http.port, settings.https?.port].compactMap { $0 }.filter { $0 != 0 }),
            logger: logger.with(label: "broker")
        )
        guard broker.port != 0, let fieldPort = broker.fieldPort, fieldPort != 0 else {
            throw StartupError(
                description: "embedded broker: no free port on 127.0.0.1",
                exitCode: Sysexits.unavailable
            )
        }
        return EmbeddedBroker(
            broker: broker,
            controllerSecret: controllerSecret,
            observerSecret: observerSecret,
            security: security,
            fieldURLs: GatewayAddresses.urls(names: names, port: fieldPort),
            caFile: files.ca,
            renewal: settings.fieldTLS.isGiven
                ? nil
                : FieldCertificateService(
                    certificates: BrokerCertificates(directory: "\(directory)/tls", site: site),
                    names: serverNames,
                    broker: broker,
                    logger: logger.with(label: "broker")
                )
        )
    }

    /// The field listener's certificate, key and CA: the site's own (`field-tls:`), or the on-box CA's for
    /// `names`.
    static func fieldCertificate(
        settings: ServeSettings,
        directory: String,
        site: String,
        names: ServerNames
    ) throws(StartupError) -> (ca: String, certificate: String, key: String) {
        let given = settings.fieldTLS
        if given.isGiven {
            guard let certificate = given.certificateFile, let key = given.keyFile, let ca = given.caFile else {
                throw StartupError(
                    description:
                        "field-tls: give all of cert-file, key-file and ca-file in the config file, or none (the on-box CA then issues one)",
                    exitCode: Sysexits.config
                )
            }
            return (ca, certificate, key)
        }
        let certificates = BrokerCertificates(directory: directory, site: site)
        do {
            try certificates.ensure(names: names, now: Date())
        } catch {
            throw StartupError(description: "field listener: \(error)", exitCode: Sysexits.config)
        }
        return (certificates.caCertificatePath, certificates.serverCertificatePath, certificates.serverKeyPath)
    }

    /// The HTTPS listener's certificate: the field listener's (the on-box CA's, or the site's `field-tls:`),
    /// which technicians' machines trust already. With a site's own broker there is no field listener: the
    /// on-box CA still issues one for the field names, kept in date by a renewal of its own (returned).
    static func httpsCertificate(
        settings: ServeSettings,
        embedded: EmbeddedBroker?,
        stateDirectory: String,
        site: String,
        logger: Logger
    ) throws(StartupError) -> (certificate: RenewableCertificate?, renewal: FieldCertificateService?) {
        guard settings.https != nil else { return (nil, nil) }
        let logger = logger.with(label: "https")
        if let field = embedded?.security.field {
            let certificate = try RenewableCertificate(
                certificateFile: field.certificateFile,
                keyFile: field.keyFile,
                logger: logger
            )
            return (certificate, nil)
        }
        let names = settings.fieldNames.isEmpty ? GatewayAddresses.defaultNames() : settings.fieldNames
        let serverNames: ServerNames
        do { serverNames = try Self.serverNames(names) } catch {
            throw StartupError(description: "field-names: \(error)", exitCode: Sysexits.config)
        }
        let directory = "\(stateDirectory)/broker/tls"
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw StartupError(description: "https: \(error)", exitCode: Sysexits.config)
        }
        let files = try fieldCertificate(settings: settings, directory: directory, site: site, names: serverNames)
        let certificate = try RenewableCertificate(
            certificateFile: files.certificate,
            keyFile: files.key,
            logger: logger
        )
        let renewal =
            settings.fieldTLS.isGiven
            ? nil
            : FieldCertificateService(
                certificates: BrokerCertificates(directory: directory, site: site),
                names: serverNames,
                broker: nil,
                logger: logger
            )
        return (certificate, renewal)
    }

    /// The field names as the certificate holds them: IP addresses apart from host names.
    static func serverNames(_ names: [String]) throws(CertificateFileError) -> ServerNames {
        try ServerNames(
            dnsNames: names.filter { !GatewayAddresses.isAddress($0) },
            ipAddresses: names.filter(GatewayAddresses.isAddress)
        )
    }

    /// Checks a certificate the site supplies (`field-tls:`) before anything starts: each file parses, the key
    /// matches, it chains to the CA and is in date. Asynchronous (X.509 verification is), so `loa serve` runs
    /// it before building the daemon.
    public static func checkSuppliedFieldCertificate(settings: ServeSettings) async throws(StartupError) {
        let given = settings.fieldTLS
        guard case .embedded = settings.broker, let certificate = given.certificateFile, let key = given.keyFile,
            let ca = given.caFile
        else { return }
        do {
            _ = try await SuppliedCertificates(certificateFile: certificate, keyFile: key, caFile: ca).validate(
                now: Date()
            )
        } catch {
            throw StartupError(description: "field-tls: \(error)", exitCode: Sysexits.config)
        }
    }
}

extension LoaDaemon {
    /// The broker's accounts from the inventory and the store; for the embedded broker, its password and ACL
    /// files are written now, before it starts.
    static func makeBrokerAccounts(
        settings: ServeSettings,
        embedded: EmbeddedBroker?,
        topics: TopicTree,
        database: LoaDatabase,
        controllerKey: @escaping @Sendable () -> String,
        configs: DeviceConfigs,
        bus: any MessageBus,
        clock: any WallClock,
        logger: Logger
    ) throws(StartupError) -> BrokerAccounts {
        let controllerAccount = BrokerAccount(
            name: embedded == nil
                ? settings.credentials.username ?? BrokerAccount.controllerName(site: topics.site)
                : BrokerAccount.controllerName(site: topics.site),
            reads: BrokerAccount.controller(topics).reads,
            writes: BrokerAccount.controller(topics).writes
        )
        let controllerPassword =
            embedded?.controllerSecret.password ?? (try? settings.credentials.readPassword()).flatMap { $0 }
        let accounts = BrokerAccounts(
            topics: topics,
            database: database,
            broker: embedded?.broker,
            controller: (controllerAccount, controllerPassword.map { BrokerSecret(password: $0).passwordFileHash() }),
            observerHash: embedded?.observerSecret.passwordFileHash(),
            // A site's own broker: receivers are enrolled to it, over TLS, with the CA that signs it (`mqtt.ca-file`).
            fieldURLs: embedded?.fieldURLs ?? (settings.broker.usesTLS ? [settings.broker.description] : []),
            caFile: embedded?.caFile ?? settings.credentials.caFile,
            controllerKey: controllerKey,
            security: embedded?.security ?? MosquittoSecurity(field: nil),
            configs: configs,
            bus: bus,
            clock: clock,
            logger: logger.with(label: "broker")
        )
        do { try accounts.publishToBroker() } catch {
            throw StartupError(description: "embedded broker: \(error)", exitCode: Sysexits.config)
        }
        return accounts
    }
}
