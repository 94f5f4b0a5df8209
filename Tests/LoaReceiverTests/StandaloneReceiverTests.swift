import Foundation
import LoaTestSupport
import Testing

/// `loa-receiver`, the binary a loudspeaker's board installs (issue 19): the same settings and exit codes as
/// `loa receiver`, and none of the daemon's libraries.
@Suite("loa-receiver as a process")
struct StandaloneReceiverTests {
    static let key = ReceiverProcessTests.key

    @Test(arguments: [
        ["--no-such-flag"],
        ["--broker", "http://127.0.0.1", "--id", "rx-1", "--zone", "z", "--controller-key", key],
        ["--broker", "mqtt://127.0.0.1:1883", "--id", "RX 1", "--zone", "z", "--controller-key", key],
    ])
    func aBadFlagIsOneLineAndExit64(_ arguments: [String]) async throws {
        let result = try await LoaProcess.run(arguments, executable: LoaProcess.receiverExecutable)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(whereSeparator: \.isNewline)
        #expect(lines.count == 1 && lines.first?.hasPrefix("loa-receiver: ") == true, "\(result.stderr)")
    }

    @Test func aMalformedControllerKeyIsExit78() async throws {
        let result = try await LoaProcess.run(
            ["--broker", "mqtt://127.0.0.1:1883", "--id", "rx-1", "--zone", "z", "--controller-key", "AAAA"],
            executable: LoaProcess.receiverExecutable
        )
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("controller-key"), "\(result.stderr)")
    }

    @Test func theConfigFileIsReadAsByLoaReceiver() async throws {
        let directory = try TestBroker.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/receiver.yaml"
        try "broker: mqtt://127.0.0.1:1883\nid: rx-1\nzone: z\nkeepalive: often\n".write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        let result = try await LoaProcess.run(
            ["--config", path, "--controller-key", Self.key],
            executable: LoaProcess.receiverExecutable
        )
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(path):4"), "\(result.stderr)")
    }

    @Test func helpListsTheReceiversSettings() async throws {
        let result = try await LoaProcess.run(["--help"], executable: LoaProcess.receiverExecutable)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("--controller-key") && result.stdout.contains("--enrollment"),
            "\(result.stdout)"
        )
    }

    /// What the dynamic linker loads for it: no FFmpeg, libsndfile or SQLite, and no shared Swift runtime or
    /// Foundation (linked in statically).
    @Test func linksNoneOfTheDaemonsLibraries() throws {
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [LoaProcess.receiverExecutable.path]
        let pipe = Pipe()
        ldd.standardOutput = pipe
        try ldd.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(ldd.terminationStatus == 0, "\(output)")
        #expect(
            output.contains("libasound") && output.contains("libmosquitto") && output.contains("libopus"),
            "\(output)"
        )
        // The Swift runtime, and the C++ runtime it needs, are linked in: only their used parts are in the binary.
        let linkedIn = ["libFoundation", "libswiftCore", "libstdc++"]
        for library in ["libavformat", "libavcodec", "libsndfile", "libsqlite3"] + linkedIn {
            #expect(!output.contains(library), "loa-receiver loads \(library):\n\(output)")
        }
    }
}
