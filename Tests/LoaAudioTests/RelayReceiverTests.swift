import Foundation
import LoaCore
import LoaTestSupport
import Synchronization
import Testing

@testable import LoaAudio

/// The relay input against real servers: Debian's icecast2 fed by ffmpeg (MP3 and AAC), and a live HLS playlist
/// served over HTTP, all carrying the same known programme (Vietnamese speech); the decoded audio must be that
/// programme.
@Suite(.serialized) struct RelayReceiverTests {
    /// Seconds of decoded audio compared with the programme, after the first second (the leveller settles).
    static let compared = 3.0
    static let rate = 48_000

    @Test(arguments: StreamFeeder.Codec.allCases)
    func decodesAnIcecastStreamIntoTheProgramme(codec: StreamFeeder.Codec) async throws {
        let programme = try RelayProgramme()
        defer { programme.remove() }
        let server = try await IcecastServer()
        defer { server.stop() }
        let feeder = try await StreamFeeder(
            programme: programme.path,
            server: server,
            mount: "/programme.\(codec.rawValue)",
            codec: codec
        )
        defer { feeder.stop() }
        let logs = CapturedLogs()
        let receiver = RelayReceiver(url: feeder.url, logger: logs.logger)
        receiver.start()
        defer { receiver.close() }

        let audio = try #require(await Self.collect(from: receiver, seconds: 1 + Self.compared))
        #expect(receiver.status == .streaming)
        let (r, lag) = programme.match(audio, from: 1)
        #expect(r >= 0.9, "\(codec): correlation \(r) at \(lag) samples into the programme")
        #expect(receiver.statistics.connects == 1 && receiver.statistics.failures == 0)
        #expect(logs.events.contains("relay.connected"))
    }

    @Test func decodesALiveHLSPlaylistIntoTheProgramme() async throws {
        let programme = try RelayProgramme()
        defer { programme.remove() }
        let server = try await HLSServer(programme: programme.path)
        defer { server.stop() }
        let receiver = RelayReceiver(url: server.url, logger: TestBroker.logger("loa.test.relay"))
        receiver.start()
        defer { receiver.close() }

        let audio = try #require(await Self.collect(from: receiver, seconds: 1 + Self.compared))
        let (r, lag) = programme.match(audio, from: 1)
        #expect(r >= 0.9, "HLS: correlation \(r) at \(lag) samples into the programme")
    }

    /// The studio's encoder dies and comes back: the receiver notices, stops filling its buffer, reconnects on its
    /// own and the programme flows again.
    @Test func reconnectsWhenTheSourceComesBack() async throws {
        let programme = try RelayProgramme()
        defer { programme.remove() }
        let server = try await IcecastServer()
        defer { server.stop() }
        let feeder = try await StreamFeeder(
            programme: programme.path,
            server: server,
            mount: "/programme.mp3",
            codec: .mp3
        )
        defer { feeder.stop() }
        let logs = CapturedLogs()
        let receiver = RelayReceiver(url: feeder.url, logger: logs.logger)
        receiver.start()
        defer { receiver.close() }
        #expect(await eventually(timeout: .seconds(10)) { receiver.status == .streaming })

        feeder.stop()
        #expect(await eventually(timeout: .seconds(5)) { receiver.status != .streaming }, "\(receiver.status)")
        guard case .reconnecting(let reason) = receiver.status else {
            Issue.record("status after the source died: \(receiver.status)")
            return
        }
        #expect(!reason.isEmpty)
        let stale = receiver.bufferedSamples
        try await Task.sleep(for: .seconds(1))
        #expect(receiver.bufferedSamples == stale, "the buffer grew with no source")
        #expect(receiver.statistics.failures >= 1)

        try await feeder.start()
        #expect(await eventually(timeout: .seconds(15)) { receiver.status == .streaming }, "\(receiver.status)")
        _ = receiver.take(stale)
        let audio = try #require(await Self.collect(from: receiver, seconds: 1 + Self.compared))
        let (r, lag) = programme.match(audio, from: 1)
        #expect(r >= 0.9, "after reconnecting: correlation \(r) at \(lag)")
        #expect(receiver.statistics.connects >= 2)
        #expect(logs.events.contains("relay.failed") && logs.events.contains("relay.reconnecting"))
    }

    @Test func anUnreachableStreamSaysWhyAndKeepsTrying() async throws {
        // A port that was listening a moment ago and no longer is.
        let closed = try SilentServer()
        closed.close()
        let url = "http://127.0.0.1:\(closed.port)/programme.mp3"
        let receiver = RelayReceiver(url: url, logger: TestBroker.logger("loa.test.relay"))
        receiver.start()
        defer { receiver.close() }
        #expect(await eventually(timeout: .seconds(5)) { receiver.statistics.failures >= 2 })
        guard case .reconnecting(let reason) = receiver.status else {
            Issue.record("status: \(receiver.status)")
            return
        }
        #expect(reason.contains(url) && reason.contains("Connection refused"), "\(reason)")
        #expect(receiver.statistics.connects == 0 && receiver.bufferedSamples == 0)
    }

    /// Icecast's status page is JSON, not audio. The URL carries credentials, which must reach no reason and no
    /// log line.
    @Test func aURLThatIsNotAudioSaysWhyWithoutItsCredentials() async throws {
        let server = try await IcecastServer()
        defer { server.stop() }
        let url = "http://listener:TopSecret42@127.0.0.1:\(server.port)/status-json.xsl"
        let logs = CapturedLogs()
        let receiver = RelayReceiver(url: url, logger: logs.logger)
        receiver.start()
        defer { receiver.close() }
        #expect(await eventually(timeout: .seconds(5)) { receiver.statistics.failures >= 1 })
        guard case .reconnecting(let reason) = receiver.status else {
            Issue.record("status: \(receiver.status)")
            return
        }
        #expect(reason.contains("http://127.0.0.1:\(server.port)/status-json.xsl"), "\(reason)")
        #expect(reason.contains("Invalid data") || reason.contains("no audio"), "\(reason)")
        #expect(!reason.contains("TopSecret42"))
        #expect(logs.events.contains("relay.failed"))
        #expect(!logs.text.contains("TopSecret42"), "\(logs.text)")
    }

    /// A server that accepts the connection and never answers: `close()` cuts the blocked open short.
    @Test func closeWhileConnectingReturnsPromptly() async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        let receiver = RelayReceiver(
            url: "http://127.0.0.1:\(silent.port)/programme.mp3",
            logger: TestBroker.logger("loa.test.relay"),
            readTimeout: .seconds(30)
        )
        receiver.start()
        #expect(await eventually(timeout: .seconds(5)) { silent.accepted })
        #expect(receiver.status == .connecting)
        let started = ContinuousClock.now
        receiver.close()
        let took = ContinuousClock.now - started
        #expect(took < .seconds(5), "close took \(took)")
        #expect(receiver.status == .closed)
        receiver.close()
    }

    /// A server that accepts and then says nothing: the open gives up after the timeout and says it stalled.
    @Test func aServerThatNeverAnswersIsAStall() async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        let receiver = RelayReceiver(
            url: "http://127.0.0.1:\(silent.port)/programme.mp3",
            logger: TestBroker.logger("loa.test.relay"),
            readTimeout: .milliseconds(500)
        )
        receiver.start()
        defer { receiver.close() }
        #expect(await eventually(timeout: .seconds(5)) { receiver.statistics.failures >= 1 })
        guard case .reconnecting(let reason) = receiver.status else {
            Issue.record("status: \(receiver.status)")
            return
        }
        #expect(reason.contains("stalled") || reason.contains("timed out"), "\(reason)")
    }

    /// The buffer keeps the newest samples and counts what it dropped.
    @Test func theBufferDropsTheOldestWhenFull() {
        var buffer = RelayBuffer(capacity: 5)
        #expect(buffer.append([1, 2, 3]) == 0)
        #expect(buffer.append([4, 5, 6, 7]) == 2)
        #expect(buffer.take(6) == nil && buffer.count == 5)
        #expect(buffer.take(2) == [3, 4])
        #expect(buffer.append([8, 9]) == 0)
        #expect(buffer.append(Array(10...17).map(Float.init)) == 8)
        #expect(buffer.take(5) == [13, 14, 15, 16, 17] && buffer.count == 0)
    }

    @Test func credentialsAreStrippedFromURLs() {
        #expect(
            RelayConnection.redacted("http://u:p@radio.example:8000/vov1?x=a@b")
                == "http://radio.example:8000/vov1?x=a@b"
        )
        #expect(RelayConnection.redacted("https://token@cdn.example/live.m3u8") == "https://cdn.example/live.m3u8")
        #expect(RelayConnection.redacted("http://radio.example/a@b") == "http://radio.example/a@b")
    }

    /// The FFT correlation finds what the direct one finds.
    @Test func theFFTCorrelationMatchesTheDirectOne() {
        var state: UInt32 = 7
        let b = (0..<4_000).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 23) - 1
        }
        let a = Array(b[1_234..<2_234]).map { $0 * 0.5 }
        let direct = AudioSignals.bestCorrelation(a, b, maxLag: 3_000)
        let fast = AudioSignals.correlationAtBestLag(a, b, maxLag: 3_000)
        #expect(fast.lag == 1_234 && direct.lag == 1_234)
        #expect(abs(fast.r - direct.correlation) < 1e-9)
    }

    // MARK: - Helpers

    /// Waits until `seconds` of audio are buffered and takes them.
    static func collect(from receiver: RelayReceiver, seconds: Double) async -> [Float]? {
        let count = Int(seconds * Double(rate))
        guard await eventually(timeout: .seconds(20), { receiver.bufferedSamples >= count }) else { return nil }
        return receiver.take(count)
    }
}

/// A TCP listener on 127.0.0.1 that accepts one connection and never says a word.
private final class SilentServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let acceptedFlag = Atomic(false)
    private let connection = Atomic<Int32>(-1)

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in
            let accepted = accept(listener, nil, nil)
            guard accepted >= 0 else { return }
            connection.store(accepted, ordering: .releasing)
            acceptedFlag.store(true, ordering: .releasing)
        }
        thread.start()
    }

    var accepted: Bool { acceptedFlag.load(ordering: .acquiring) }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        let accepted = connection.exchange(-1, ordering: .acquiringAndReleasing)
        if accepted >= 0 { Glibc.close(accepted) }
    }
}
