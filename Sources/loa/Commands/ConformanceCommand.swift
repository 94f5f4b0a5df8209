import ArgumentParser
import Foundation
import LoaBroker
import LoaConformance
import LoaCore
import LoaMQTT
import LoaSecurity
import Logging

/// `loa conformance`: checks a receiver (a vendor's firmware, or `loa receiver`) against docs/protocol.md, rule
/// by rule, with a broker and a key of its own, so no site and no real controller key is involved.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Check a receiver against the MQTT protocol, rule by rule (docs/protocol.md, \"Conformance kit\").",
        discussion: """
            It starts its own broker on loopback (or uses --broker), makes a key for the run, writes the \
            receiver's settings to --settings, waits for the receiver to come online, then sends the cases and \
            prints pass or fail per rule. Exit 0 when every rule passes, 65 when one fails, 69 when the receiver \
            never came online.
            """
    )

    @Option(help: ArgumentHelp("The receiver's id.", valueName: "ID")) var receiver: String
    @Option(help: ArgumentHelp("Its zone for the run.", valueName: "ZONE")) var zone = "conformance"
    @Option(help: ArgumentHelp("The site id for the run.", valueName: "SITE")) var site = "conformance"
    @Option(
        help: ArgumentHelp(
            "A broker the receiver can reach (mqtt://HOST:PORT, anonymous); default: the kit's own on 127.0.0.1.",
            valueName: "URL"
        )
    )
    var broker: String?
    @Option(
        help: ArgumentHelp(
            "Where to write the receiver's settings (YAML for loa receiver --config).",
            valueName: "FILE"
        )
    )
    var settings = "conformance-receiver.yaml"
    @Option(help: ArgumentHelp("The receiver's playout journal, for audio.timing.", valueName: "FILE")) var journal:
        String?
    @Option(help: ArgumentHelp("Seconds to wait for the receiver to come online.", valueName: "SECONDS")) var wait = 120
    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Only these rules (e.g. command.replayed audio.timing); default: all.", valueName: "RULE")
    )
    var rules: [String] = []

    func validate() throws {
        let known = Set(ConformanceRule.allCases.map(\.rawValue))
        for rule in rules where !known.contains(rule) {
            throw ValidationError(
                "--rules '\(rule)' is not a rule; use \(ConformanceRule.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
    }
    @Flag(help: "Print the outcomes as JSON.") var json = false

    func run() async throws {
        let logger = Logger(label: "loa.conformance")
        let target = ConformanceTarget(site: site, id: receiver, zone: zone)
        _ = try TopicTree(site: site)
        var embedded: MosquittoBroker?
        let (host, port) = try await brokerAddress(starting: &embedded, logger: logger)
        defer { embedded?.stop() }

        let key = SigningKey.generated()
        try writeSettings(host: host, port: port, key: key.publicKeyText)
        FileHandle.standardError.write(
            Data(
                """
                loa conformance: run the receiver with these settings (written to \(settings)):
                  broker mqtt://\(host):\(port), site \(site), id \(receiver), zone \(zone),
                  controller key \(key.publicKeyText) (this run's only; telemetry every second helps)
                waiting up to \(wait) s for \(receiver) to come online…

                """.utf8
            )
        )
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                host: host,
                port: port,
                clientID: "loa-conformance-\(UUID().uuidString.prefix(8))"
            ),
            logger: logger
        )
        try client.start()
        defer { client.shutdown() }
        let run = try ConformanceRun(client: client, target: target, key: key, journal: journal, logger: logger)
        guard await run.waitUntilReady(timeout: .seconds(wait)) else {
            throw CommandFailure(
                message:
                    "receiver \(receiver) did not come online with telemetry within \(wait) s on mqtt://\(host):\(port); "
                    + "check it uses the settings in \(settings)",
                exitCode: Sysexits.unavailable
            )
        }
        let selected =
            rules.isEmpty ? Set(ConformanceRule.allCases) : Set(rules.compactMap(ConformanceRule.init(rawValue:)))
        let outcomes = await run.run(selected)
        if json {
            try JSONOutput.print(outcomes)
        } else {
            var table = TextTable("RULE", "RESULT", "EXPECTED", "SEEN")
            for outcome in outcomes {
                table.add(
                    outcome.rule.rawValue,
                    outcome.verdict.rawValue.uppercased(),
                    outcome.rule.expectation,
                    outcome.detail
                )
            }
            print(table.render())
        }
        let failed = outcomes.filter { $0.verdict == .fail }
        guard failed.isEmpty else {
            throw CommandFailure(
                message:
                    "\(receiver) fails \(failed.count) rule(s): \(failed.map(\.rule.rawValue).joined(separator: ", "))",
                exitCode: Sysexits.data
            )
        }
    }

    /// The broker the run uses: `--broker`, or a mosquitto of its own on a free loopback port.
    func brokerAddress(starting embedded: inout MosquittoBroker?, logger: Logger) async throws -> (String, Int) {
        if let broker {
            guard let url = URLComponents(string: broker), url.scheme == "mqtt", let host = url.host, !host.isEmpty
            else {
                throw CommandFailure(message: "--broker '\(broker)' is not mqtt://HOST:PORT", exitCode: Sysexits.usage)
            }
            return (host, url.port ?? 1883)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loa-conformance-\(getpid())")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let started = MosquittoBroker(directory: directory, logger: logger)
        do { try started.start() } catch {
            throw CommandFailure(
                message: "the kit's broker did not start: \(error); is mosquitto installed?",
                exitCode: Sysexits.unavailable
            )
        }
        embedded = started
        return ("127.0.0.1", started.port)
    }

    func writeSettings(host: String, port: Int, key: String) throws {
        let text = """
            # loa conformance: the receiver under test's settings for this run (loa receiver --config FILE).
            broker: mqtt://\(host):\(port)
            site: \(site)
            id: \(receiver)
            zone: \(zone)
            controller-key: \(key)
            telemetry-interval: 1

            """
        do { try text.write(toFile: settings, atomically: true, encoding: .utf8) } catch {
            throw CommandFailure(message: "cannot write --settings '\(settings)': \(error)", exitCode: Sysexits.ioError)
        }
    }
}
