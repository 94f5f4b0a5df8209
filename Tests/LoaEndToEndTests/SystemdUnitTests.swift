import Foundation
import LoaTestSupport
import Testing

/// The units as `scripts/install` puts them, checked with systemd's own tools (systemd is not PID 1 here,
/// but `systemd-analyze` works offline).
@Suite("systemd units")
struct SystemdUnitTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repository)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Installs into a fresh prefix (twice: it must be idempotent) and returns the prefix.
    static func install() throws -> String {
        let prefix = try TestBroker.makeTemporaryDirectory(prefix: "loa-install")
        for _ in 0..<2 {
            let result = try run(
                "/bin/bash",
                ["\(repository)/scripts/install", "--prefix", prefix, "--binary", LoaProcess.executable.path]
            )
            #expect(result.status == 0, "\(result.output)")
        }
        return prefix
    }

    @Test(arguments: ["loa", "loa-receiver"])
    func unitsVerifyWithTheBinaryInstalledInATestPrefix(_ unit: String) throws {
        let prefix = try Self.install()
        let installed = try String(contentsOfFile: "\(prefix)/etc/systemd/system/\(unit).service", encoding: .utf8)
        #expect(FileManager.default.isExecutableFile(atPath: "\(prefix)/usr/local/bin/loa"))
        #expect(FileManager.default.isExecutableFile(atPath: "\(prefix)/usr/local/bin/loa-receiver"))
        #expect(FileManager.default.fileExists(atPath: "\(prefix)/etc/loa/loa.yaml"))
        #expect(FileManager.default.fileExists(atPath: "\(prefix)/etc/loa/device-configs/zones.yaml"))
        // The unit points at /usr/local/bin; verify it against the binary in the prefix.
        let checked = "\(prefix)/\(unit).service"
        try installed.replacingOccurrences(of: "/usr/local/bin/loa", with: "\(prefix)/usr/local/bin/loa")
            .write(toFile: checked, atomically: true, encoding: .utf8)
        let verify = try Self.run("/usr/bin/systemd-analyze", ["verify", checked])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.isEmpty, "systemd-analyze verify complained: \(verify.output)")
    }

    @Test(arguments: ["loa", "loa-receiver"])
    func exposureScoreIsInTheOKRange(_ unit: String) throws {
        let result = try Self.run(
            "/usr/bin/systemd-analyze",
            ["security", "--offline=true", "\(Self.repository)/systemd/\(unit).service"]
        )
        let summary = try #require(result.output.split(separator: "\n").last { $0.contains("Overall exposure level") })
        let score = try #require(Double(summary.split(separator: ":").last!.split(separator: " ").first!))
        #expect(score < 4.0, "\(summary)")  // systemd calls up to 3.9 "OK" (and below 2.0 "SAFE")
    }

    @Test func installKeepsAnOperatorsConfiguration() throws {
        let prefix = try Self.install()
        try "broker: mqtt://10.0.0.2:1883\n".write(
            toFile: "\(prefix)/etc/loa/loa.yaml",
            atomically: true,
            encoding: .utf8
        )
        _ = try Self.run(
            "/bin/bash",
            ["\(Self.repository)/scripts/install", "--prefix", prefix, "--binary", LoaProcess.executable.path]
        )
        #expect(
            try String(contentsOfFile: "\(prefix)/etc/loa/loa.yaml", encoding: .utf8)
                == "broker: mqtt://10.0.0.2:1883\n"
        )
    }
}
