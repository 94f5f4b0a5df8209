import Foundation
import LoaCore
import LoaTestSupport
import Testing

/// What `loa receiver --simulate N` costs: N receivers in one process, fed by one controller and one
/// mosquitto on this machine. Off by default (it takes a minute and both cores); run with
/// `LOA_SIMULATE_PROBE=1000 swift test --filter SimulationCostProbe`. Prints CPU seconds per second of
/// audio for the simulating process and the broker, and the fleet's underruns; asserts only that every
/// receiver came online and the session finished without underruns on a sample of them.
@Suite("Simulation cost probe", .enabled(if: ProcessInfo.processInfo.environment["LOA_SIMULATE_PROBE"] != nil))
struct SimulationCostProbe {
    @Test func measureTheCostOfSimulatedReceivers() async throws {
        let count = Int(ProcessInfo.processInfo.environment["LOA_SIMULATE_PROBE"] ?? "") ?? 1_000
        let seconds = Double(ProcessInfo.processInfo.environment["LOA_SIMULATE_SECONDS"] ?? "") ?? 30
        let clip = try TestClip.tone(seconds: seconds)
        try await TestBroker.withBroker { broker in
            let controller = try await TestController(broker: broker, site: "probe")
            defer { controller.shutdown() }
            let directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-probe")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let process = try LoaProcess(
                [
                    "receiver", "--broker", "mqtt://127.0.0.1:\(broker.port)", "--site", "probe", "--simulate",
                    "\(count)",
                    "--zone", "thon-dong,thon-tay,xom-bai", "--controller-key", controller.publicKeyText,
                    "--state-dir", "\(directory)/state", "--log-level", "notice",
                ],
                directory: directory
            )
            defer { process.kill() }
            let connectStart = ContinuousClock.now
            let online = await eventually(timeout: .seconds(120), every: .milliseconds(500)) {
                (1...count).allSatisfy { controller.statuses(of: Self.id($0)).last == .online }
            }
            #expect(online, "not every simulated receiver came online: \(process.stderr.suffix(2_000))")
            print("simulate \(count): all online after \(ContinuousClock.now - connectStart)")
            try await Task.sleep(for: .seconds(2))

            let before = (Self.cpuSeconds(process.pid), Self.cpuSeconds(broker.processIdentifier ?? 0))
            let wall = ContinuousClock.now
            let session = SessionID.random()
            let start = wallClock(in: 1)
            try await controller.stream(clip, session: session, on: .all, start: start)
            try await Task.sleep(for: .milliseconds(1_500))
            let elapsed = ContinuousClock.now - wall
            let after = (Self.cpuSeconds(process.pid), Self.cpuSeconds(broker.processIdentifier ?? 0))
            let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let threads =
                (try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8))?
                .split(separator: "\n").filter { $0.hasPrefix("Threads:") || $0.hasPrefix("VmRSS:") }
                .joined(separator: ", ") ?? ""
            print(
                String(
                    format: "simulate %d over %.1f s of audio: receivers %.2f CPU s/s, broker %.2f CPU s/s; %@",
                    count,
                    elapsedSeconds,
                    (after.0 - before.0) / elapsedSeconds,
                    (after.1 - before.1) / elapsedSeconds,
                    String(threads)
                )
            )
            for index in stride(from: 1, through: count, by: max(1, count / 10)) {
                let finished = await controller.event(of: Self.id(index), timeout: .seconds(10)) {
                    $0.kind == .sessionFinished
                }
                #expect(finished?.session == session, "\(Self.id(index))")
                if let finished {
                    print(
                        "  \(Self.id(index)): underruns \(finished.underruns ?? -1), late \(finished.lateFrames ?? -1), concealed \(finished.concealed ?? -1)"
                    )
                }
            }
            let underruns = (1...count).compactMap {
                controller.events(of: Self.id($0)).first { $0.kind == .sessionFinished }?.underruns
            }
            print("simulate \(count): \(underruns.count) finished, total underruns \(underruns.reduce(0, +))")
            process.signal(SIGTERM)
            let status = await process.waitForExit(timeout: .seconds(120))
            #expect(status == 0)
            print(
                process.stderr.split(separator: "\n").filter { $0.contains("simulation") }.suffix(2).joined(
                    separator: "\n"
                )
            )
        }
    }

    static func id(_ index: Int) -> String {
        "sim-" + String(repeating: "0", count: max(0, 4 - "\(index)".count)) + "\(index)"
    }

    /// User + system CPU seconds of a process, from /proc.
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based in proc(5)).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
