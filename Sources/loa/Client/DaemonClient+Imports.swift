import AsyncHTTPClient
import Foundation
import LoaCore
import NIOCore

/// Importing an audio file through the daemon: the file is streamed up (`POST /api/v1/assets`), the daemon
/// answers at once with an import, and the CLI follows it (`GET /api/v1/imports/ID`) with its progress on
/// stderr for as long as it takes; a long programme is not cut off by a deadline.
extension DaemonClient {
    /// How often the import's progress is asked for: soon at first, since a short clip (an emergency's) is
    /// imported in a fraction of a second, then every quarter second.
    static func importPollInterval(after polls: Int) -> Duration { .milliseconds(min(250, 10 << min(polls, 5))) }
    /// How long polls may keep failing (a dropped link, a daemon that stopped) before the CLI gives up.
    static var importPollPatience: Duration { .seconds(10) }

    /// Uploads the file at `path` and waits for its import; returns the stored asset. An `urgent` upload is for
    /// a broadcast to air at once (`loa announce`): it goes over the control socket when there is one, and the
    /// daemon imports it ahead of any programme waiting or importing.
    func importAudio(at path: String, user: String?, urgent: Bool = false) async throws -> AudioAssetMetadata {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let progress = ProgressLine()
        defer { progress.finish() }
        // The upload and its polls go the same way: over the control socket, which serves import status too.
        var client = self
        client.controlSocket =
            urgent ? controlSocket.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil } : nil
        var status = try await client.upload(path, name: name, user: user, urgent: urgent, progress: progress)
        var failingSince: ContinuousClock.Instant?
        var polls = 0
        while !status.isFinished {
            progress.show("importing \(name) (\(status.stage ?? status.state.rawValue))", fraction: status.fraction)
            try await Task.sleep(for: Self.importPollInterval(after: polls))
            polls += 1
            do {
                let reply = try await client.send(method: "GET", path: "api/v1/imports/\(status.id)", body: nil)
                try Self.check(reply)
                status = try APICoding.decoder().decode(AssetImportStatus.self, from: reply.body)
                failingSince = nil
            } catch let unreachable as Unreachable {
                let since = failingSince ?? .now
                failingSince = since
                guard ContinuousClock.now - since < Self.importPollPatience else {
                    throw CommandFailure(message: unreachable.description, exitCode: Sysexits.unavailable)
                }
            }
        }
        if let asset = status.asset {
            progress.show("imported \(name)", fraction: 1)
            return asset
        }
        throw CommandFailure(
            message: status.error ?? "the import of '\(name)' failed",
            exitCode: Self.exitCode(for: status.errorKind ?? .unavailable)
        )
    }

    /// Streams the file up; returns the daemon's receipt, the import to follow.
    private func upload(
        _ path: String,
        name: String,
        user: String?,
        urgent: Bool,
        progress: ProgressLine
    ) async throws -> AssetImportStatus {
        let handle: FileHandle
        let size: Int
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        } catch {
            throw CommandFailure(
                message: "--audio '\(path)' cannot be read: \(error.localizedDescription)",
                exitCode: Sysexits.usage
            )
        }
        defer { try? handle.close() }
        var components = URLComponents(
            url: baseURL.appendingPathComponent("api/v1/assets"),
            resolvingAgainstBaseURL: false
        )!
        if urgent { components.queryItems = [URLQueryItem(name: "urgent", value: "true")] }
        // A streamed body cannot be sent twice: the route is chosen once, the control socket when the caller set it.
        var request = HTTPClientRequest(url: components.url!.absoluteString)
        let url: String
        if let controlSocket, let socketURL = Self.overSocket(controlSocket, url: components) {
            request.url = socketURL
            url = socketURL
        } else {
            let routed = route(request, components: components)
            request = routed.0
            url = routed.shown
        }
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        if let user { request.headers.add(name: "X-Loa-User", value: user) }
        request.headers.add(
            name: "X-Loa-Filename",
            value: name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "upload"
        )
        request.body = .stream(
            FileChunks(handle: handle, totalBytes: size, label: "uploading \(name)", progress: progress),
            length: .known(Int64(size))
        )
        let reply: Reply
        do {
            // No overall deadline: the body is as long as the file, and the client's connect timeout still holds.
            reply = try await withHTTPClient { client in
                let response = try await client.execute(request, deadline: .distantFuture)
                let body = try await response.body.collect(upTo: Self.largestReply)
                return Reply(status: Int(response.status.code), body: Data(body.readableBytesView))
            }
        } catch {
            throw CommandFailure(
                message: Unreachable(url: url, reason: String(describing: error)).description,
                exitCode: Sysexits.unavailable
            )
        }
        try Self.check(reply)
        do { return try APICoding.decoder().decode(AssetImportStatus.self, from: reply.body) } catch {
            throw CommandFailure(
                message: "loa serve answered the upload with something unexpected: \(error)",
                exitCode: Sysexits.unavailable
            )
        }
    }

    /// The exit code for an import refused for `kind`, as for the same refusal of a request.
    static func exitCode(for kind: OperationError.Kind) -> Int32 {
        switch kind {
        case .invalid, .notFound, .tooLarge, .unsupportedMedia: Sysexits.usage
        case .conflict: Sysexits.data
        case .forbidden, .unauthenticated: Sysexits.noPermission
        case .throttled: Sysexits.tempFail
        case .unavailable, .insufficientStorage: Sysexits.unavailable
        }
    }
}
