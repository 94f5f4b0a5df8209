import Foundation

/// A source for an ``IcecastServer``: ffmpeg playing a programme (a WAV file) in a loop, in real time (`-re`),
/// encoded to MP3 (`libmp3lame`) or AAC in ADTS (`aac`), into one mount. ``stop()`` kills ffmpeg, as a studio's
/// encoder that dies would, and ``start()`` starts it again, to test reconnection.
public final class StreamFeeder: @unchecked Sendable {
    public enum Codec: String, Sendable, CaseIterable {
        case mp3
        case aac

        /// ffmpeg's encoder, container and the `Content-Type` Icecast announces.
        var arguments: [String] {
            switch self {
            case .mp3: return ["-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3"]
            case .aac: return ["-c:a", "aac", "-b:a", "128k", "-content_type", "audio/aac", "-f", "adts"]
            }
        }
    }

    public let server: IcecastServer
    public let mount: String
    public let codec: Codec
    public let programme: String
    private var process: LoaProcess?

    /// Starts feeding `programme` (a WAV path) to `server` at `mount` (`/news.mp3`), and waits until the mount
    /// is live.
    public init(programme: String, server: IcecastServer, mount: String, codec: Codec) async throws {
        self.programme = programme
        self.server = server
        self.mount = mount
        self.codec = codec
        try await start()
    }

    deinit { process?.kill() }

    /// The listener's URL.
    public var url: String { server.listenURL(mount) }

    /// Starts ffmpeg (if it is not running) and waits until Icecast lists the mount.
    public func start() async throws {
        if process?.process.isRunning != true {
            process = try LoaProcess(
                ["-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", programme]
                    + codec.arguments + [server.sourceURL(mount)],
                executable: URL(fileURLWithPath: "/usr/bin/ffmpeg"),
                directory: server.directory
            )
        }
        let live = await eventually(timeout: .seconds(10)) { await server.liveMounts().contains(mount) }
        guard live else {
            let output = process?.stderr ?? ""
            stop()
            throw TimedOut(what: "ffmpeg feeding \(mount) to icecast2: \(output)", after: .seconds(10))
        }
    }

    /// Kills ffmpeg (SIGKILL: no goodbye to the server). Icecast then drops the mount and its listeners.
    public func stop() {
        process?.kill()
        process = nil
    }

    /// Whether Icecast still lists the mount.
    public func isLive() async -> Bool { await server.liveMounts().contains(mount) }
}
