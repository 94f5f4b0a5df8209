import Foundation
import LoaBroker
import LoaMQTT
import LoaTestSupport
import Testing

/// `make run`'s demo, headless: the whole system comes up, the sample commune's receivers come online, and
/// the Vietnamese announcement plays, with no manual step.
@Suite("The first run")
struct FirstRunTests {
    @Test func theDemoReachesReceiversOnlineAndAPlayedAnnouncement() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let state = try TestBroker.makeTemporaryDirectory(prefix: "loa-demo")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            "\(repository)/scripts/demo", "--headless", "--loa", LoaProcess.executable.path, "--state-dir", state,
            "--http", "127.0.0.1:\(try MosquittoBroker.freePort())",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("Receivers online: 5 of 5"), "\(output)")
        #expect(output.contains("Played on the gateway and streamed to 5 receivers."), "\(output)")
        // No sound card here: what the gateway played is in the state dir, and it is not silence.
        let played = try WAVAudio(parsing: Data(contentsOf: URL(fileURLWithPath: "\(state)/local-output.wav")))
        #expect(played.samples.contains { abs(Int($0)) > 1000 })
    }
}
