import Foundation
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
        let files = try fieldCertificate(settings: settings, directory: "\(directory)/tls", site: site, names: names)
        let security = MosquittoSecurity(
            field: .init(
                host: settings.fieldListener.host,
                port: settings.fieldListener.port,
                caFile: files.ca,
                certificateFile: files.certificate,
                keyFile: files.key
            )
        )
        let broker = MosquittoBroker(directory: directory, security: security, logger: logger.with(label: "broker"))
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
            caFile: files.ca
        )
    }

    /// The field listener's certificate, key and CA: the site's own (`field-tls:`), or the on-box CA's for
    /// `names`.
    static func fieldCertificate(
        settings: ServeSettings,
        directory: String,
        site: String,
        names: [String]
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
        // TEMPORARY until the on-box CA lands.
        let fm = FileManager.default
        try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ca = "\(directory)/ca.pem"
        if !fm.fileExists(atPath: "\(directory)/server.pem") {
            let san = names.map { GatewayAddresses.isAddress($0) ? "IP:\($0)" : "DNS:\($0)" }.joined(separator: ",")
            let script = """
                set -e; cd '\(directory)'
                openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 3650 -subj '/CN=Loa CA \(site)' 2>/dev/null
                openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj '/CN=\(names.first ?? "localhost")' 2>/dev/null
                printf 'subjectAltName=\(san)\\n' > ext
                openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 397 -extfile ext 2>/dev/null
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            try? process.run()
            process.waitUntilExit()
        }
        return (ca, "\(directory)/server.pem", "\(directory)/server.key")
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
        controllerKey: String,
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
            fieldURLs: embedded?.fieldURLs ?? [],
            caFile: embedded?.caFile,
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
