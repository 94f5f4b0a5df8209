import Foundation
import LoaBroker
import LoaMQTT

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real icecast2 (Debian's) for relay tests: its own temporary directory, a generated configuration, a free
/// port on 127.0.0.1 and a source password new to each run. Feed it with ``StreamFeeder``.
///
/// ## Running as root
/// icecast2 refuses to start as root ("You should not run icecast2 as root") unless its configuration has
/// `<security><changeowner>`. As root (this machine, and CI containers) the configuration says
/// `<changeowner><user>nobody</user><group>nogroup</group></changeowner>`: icecast2 reads the configuration and
/// binds its port as root, then runs as `nobody`, so its directory is made world-writable (0777) for the logs it
/// writes after the switch. As any other user the section is left out.
public final class IcecastServer: @unchecked Sendable {
    public let port: Int
    public let directory: String
    /// The password a source (``StreamFeeder``) gives, random per server.
    public let sourcePassword: String
    private var process: LoaProcess?

    /// Starts icecast2 and waits until it answers HTTP on its port.
    public init() async throws {
        directory = try TestBroker.makeTemporaryDirectory(prefix: "loa-icecast")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
        port = try MosquittoBroker.freePort()
        sourcePassword = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let configuration = "\(directory)/icecast.xml"
        try configurationText().write(toFile: configuration, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: configuration)
        let process = try LoaProcess(
            ["-c", configuration],
            executable: URL(fileURLWithPath: "/usr/bin/icecast2"),
            directory: directory
        )
        self.process = process
        let answered = await eventually(timeout: .seconds(10)) {
            await Self.get("\(self.url)/status-json.xsl")?.status == 200
        }
        guard answered else {
            let output = process.stderr + process.stdout
            stop()
            throw TimedOut(what: "icecast2 answering on port \(port): \(output)", after: .seconds(10))
        }
    }

    deinit { stop() }

    /// The server's base URL, `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// A listener's URL for `mount` (`/news.mp3`).
    public func listenURL(_ mount: String) -> String { "\(url)\(mount)" }

    /// Where a source sends `mount`: ffmpeg's `icecast://source:PASSWORD@127.0.0.1:PORT/MOUNT`.
    public func sourceURL(_ mount: String) -> String { "icecast://source:\(sourcePassword)@127.0.0.1:\(port)\(mount)" }

    /// The mounts that have a source now (from `status-json.xsl`), e.g. `["/news.mp3"]`.
    public func liveMounts() async -> [String] {
        guard let (status, body) = await Self.get("\(url)/status-json.xsl"), status == 200,
            let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let stats = json["icestats"] as? [String: Any]
        else { return [] }
        // One source is an object, several an array.
        let sources = (stats["source"] as? [[String: Any]]) ?? (stats["source"] as? [String: Any]).map { [$0] } ?? []
        return sources.compactMap { ($0["listenurl"] as? String).flatMap { URL(string: $0)?.path } }
    }

    /// Stops the server (idempotent) and removes its directory.
    public func stop() {
        process?.kill()
        process = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A GET with a short timeout: the status and body, or nil if nothing answered.
    static func get(_ url: String) async -> (status: Int, body: Data)? {
        guard let url = URL(string: url) else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (body, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else { return nil }
        return (http.statusCode, body)
    }

    private func configurationText() -> String {
        let security =
            getuid() == 0
            ? "<security><chroot>0</chroot><changeowner><user>nobody</user><group>nogroup</group></changeowner></security>"
            : ""
        return """
            <icecast>
              <location>test</location>
              <admin>test@localhost</admin>
              <limits>
                <clients>20</clients>
                <sources>8</sources>
                <source-timeout>5</source-timeout>
                <burst-on-connect>1</burst-on-connect>
              </limits>
              <authentication>
                <source-password>\(sourcePassword)</source-password>
                <admin-user>admin</admin-user>
                <admin-password>\(sourcePassword)</admin-password>
              </authentication>
              <hostname>127.0.0.1</hostname>
              <listen-socket><port>\(port)</port><bind-address>127.0.0.1</bind-address></listen-socket>
              <fileserve>1</fileserve>
              <paths>
                <basedir>/usr/share/icecast2</basedir>
                <logdir>\(directory)</logdir>
                <webroot>/usr/share/icecast2/web</webroot>
                <adminroot>/usr/share/icecast2/admin</adminroot>
              </paths>
              <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
              \(security)
            </icecast>
            """
    }
}
