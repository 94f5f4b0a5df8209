import ArgumentParser
import Foundation
import LoaCore

/// `loa health`: a monitoring plugin. One line with perfdata, and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check the daemon's health (monitoring-plugin exit codes 0/1/2/3)."
    )

    @OptionGroup var daemon: DaemonOptions
    @OptionGroup var receivers: ReceiverThresholdOptions

    @Flag(name: .long, help: "Print the daemon's full health report as JSON.")
    var json = false

    func run() async throws {
        let verdict: MonitoringVerdict
        var report: HealthReport?
        do {
            let reply = try await daemon.controlClient.get("healthz")
            do {
                report = try reply.decode(HealthReport.self)
                verdict = MonitoringVerdict(judging: report!, receivers: receivers.policy)
            } catch  where (try? reply.decode(StatusOnly.self)) != nil {
                // Without credentials over the network the daemon tells only whether it is healthy.
                let healthy = reply.status == 200
                verdict = MonitoringVerdict(
                    status: healthy ? .ok : .critical,
                    summary: "the daemon says \(healthy ? "healthy" : "failing"); for its detail, run this on the "
                        + "gateway or with a health token (loa tokens add --scope health)"
                )
            } catch {
                verdict = MonitoringVerdict(
                    status: .unknown,
                    summary:
                        "\(daemon.endpoint) answered HTTP \(reply.status) with something that is not a Loa health report"
                )
            }
        } catch {
            verdict = .unreachable(daemon.endpoint.description, reason: error.reason)
        }
        if json {
            let output = HealthOutput(status: verdict.status.label, line: verdict.line, report: report)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } else {
            print(verdict.line)
        }
        throw ExitCode(verdict.status.rawValue)
    }

    /// What `/healthz` answers a caller without credentials.
    struct StatusOnly: Decodable {
        let status: String
    }

    /// `--json` output: the verdict plus the daemon's report when there was one.
    struct HealthOutput: Encodable {
        let status: String
        let line: String
        let report: HealthReport?
    }
}
