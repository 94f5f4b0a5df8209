import ArgumentParser
import Foundation
import LoaCore

/// One `--item` of a programme as typed: `text:WORDS`, `audio:FILE` (imported through the daemon) or
/// `asset:ID` (already in the library).
struct ProgrammeItemSpec {
    enum Source {
        case text(String)
        case file(String)
        case asset(String)
    }

    let source: Source
    let voice: String
    let title: String?

    init(parsing text: String, voice: String, title: String? = nil) throws {
        self.voice = voice
        self.title = title
        guard let colon = text.firstIndex(of: ":") else {
            throw ValidationError(
                "--item '\(text.prefix(40))' does not say its kind; write text:WORDS, audio:FILE or asset:ID"
            )
        }
        let kind = text[..<colon].lowercased()
        let value = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw ValidationError("--item '\(text)' is empty after '\(kind):'; say what to read or play")
        }
        switch kind {
        case "text": source = .text(value)
        case "audio", "file": source = .file(value)
        case "asset": source = .asset(value)
        default:
            throw ValidationError("--item kind '\(kind)' is not one of text, audio or asset; e.g. text:Tin thời tiết…")
        }
    }

    /// The item, importing its file through the daemon first.
    func item(client: DaemonClient, user: String?, urgent: Bool = false) async throws -> ProgrammeItem {
        switch source {
        case .text(let words):
            return ProgrammeItem(title: title, content: .tts(text: words, voice: voice))
        case .asset(let id):
            return ProgrammeItem(title: title, content: .audio(assetID: id))
        case .file(let path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationError("--item audio:'\(path)' cannot be read; check the path and its permissions")
            }
            let asset = try await client.importAudio(at: path, user: user, urgent: urgent)
            let name = URL(fileURLWithPath: path).lastPathComponent
            return ProgrammeItem(title: title ?? name, content: .audio(assetID: asset.id))
        }
    }
}
