import Foundation
import LoaBroker
import LoaMQTT

/// A live HLS stream of a programme over HTTP on 127.0.0.1: ffmpeg plays the programme in a loop in real time
/// (`-re -stream_loop -1`) into 2 s AAC segments with a sliding playlist of 5 (`-hls_flags delete_segments`), as
/// a station's live HLS does, and `python3 -m http.server` serves the folder on a free port.
///
/// Because the playlist is live, it loops for as long as the server runs: a reader that reaches its end waits
/// for the next segment rather than ending.
public final class HLSServer: @unchecked Sendable {
    public let directory: String
    public let port: Int
    private var encoder: LoaProcess?
    private var http: LoaProcess?

    /// The playlist's name in the folder.
    public static let playlist = "live.m3u8"

    /// Starts the encoder and the HTTP server, and waits until the playlist lists `segments` segments (2 s each)
    /// and is served.
    public init(programme: String, segments: Int = 2) async throws {
        directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-hls")
        port = try MosquittoBroker.freePort()
        encoder = try LoaProcess(
            [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", programme,
                "-c:a", "aac", "-b:a", "128k", "-f", "hls", "-hls_time", "2", "-hls_list_size", "5",
                "-hls_flags", "delete_segments", "\(directory)/\(Self.playlist)",
            ],
            executable: URL(fileURLWithPath: "/usr/bin/ffmpeg"),
            directory: directory
        )
        http = try LoaProcess(
            ["python3", "-m", "http.server", "--bind", "127.0.0.1", "\(port)", "--directory", directory],
            executable: URL(fileURLWithPath: "/usr/bin/env"),
            directory: directory
        )
        let ready = await eventually(timeout: .seconds(5 + 3 * segments)) {
            guard let (status, body) = await IcecastServer.get(self.url), status == 200 else { return false }
            return String(decoding: body, as: UTF8.self).components(separatedBy: "#EXTINF").count > segments
        }
        guard ready else {
            let output = (encoder?.stderr ?? "") + (http?.stderr ?? "")
            stop()
            throw TimedOut(
                what: "an HLS playlist of \(segments) segments on port \(port): \(output)",
                after: .seconds(5)
            )
        }
    }

    deinit { stop() }

    /// The playlist's URL.
    public var url: String { "http://127.0.0.1:\(port)/\(Self.playlist)" }

    /// Stops the encoder and the server (idempotent) and removes the folder.
    public func stop() {
        encoder?.kill()
        http?.kill()
        encoder = nil
        http = nil
        try? FileManager.default.removeItem(atPath: directory)
    }
}
