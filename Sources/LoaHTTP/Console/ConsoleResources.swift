import Foundation
import Mustache
import NIOCore

/// The console's templates and static files, shipped as LoaHTTP's package resources (no CDN) and read once.
struct ConsoleResources: Sendable {
    /// Every `*.mustache` file, named by its file name without the extension (`today`, `head`…).
    let library: MustacheLibrary
    /// The static files `/static/NAME` serves, with their media type.
    let files: [String: StaticFile]

    struct StaticFile: Sendable {
        let mediaType: String
        let bytes: ByteBuffer
    }

    /// The media types of the files served as they are.
    static let mediaTypes = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]

    /// The bundled resources, read on first use; the error says what is missing when the bundle is incomplete.
    static let bundled: Result<ConsoleResources, any Error> = Result {
        guard let directory else { throw Missing(path: bundlePath.path) }
        return try ConsoleResources(directory: directory)
    }

    /// The folder of the bundled files, as SwiftPM copies it (`.copy("Console/Resources")`): next to the `loa`
    /// executable, in `loa_LoaHTTP.resources`, which must ship with it.
    /// Nil when that folder is missing: `Bundle.module` would stop the whole daemon then (its accessor calls
    /// `fatalError`), and a missing console must not take broadcasting down with it.
    static var directory: URL? {
        guard FileManager.default.fileExists(atPath: bundlePath.path) else { return nil }
        return Bundle.module.url(forResource: "Resources", withExtension: nil)
    }

    /// Where SwiftPM's bundle of LoaHTTP's resources must be: beside the executable.
    static var bundlePath: URL { Bundle.main.bundleURL.appendingPathComponent("loa_LoaHTTP.resources") }

    /// The bundle is not where it must be (an install that copied only the `loa` binary).
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "no \(path); install it beside the loa binary (scripts/install does)" }
    }

    init(directory: URL) throws {
        var templates: [String: MustacheTemplate] = [:]
        var files: [String: StaticFile] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(name)
            let kind = url.pathExtension
            if kind == "mustache" {
                let text = try String(contentsOf: url, encoding: .utf8)
                templates[url.deletingPathExtension().lastPathComponent] = try MustacheTemplate(string: text)
            } else if let mediaType = Self.mediaTypes[kind] {
                files[name] = StaticFile(mediaType: mediaType, bytes: ByteBuffer(bytes: try Data(contentsOf: url)))
            }
        }
        library = MustacheLibrary(templates: templates)
        self.files = files
    }
}
