import ArgumentParser
import Foundation
import LoaCore

/// What to play: an audio file, text read by a voice, or a relayed radio stream; and how it is framed.
struct ContentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("An audio file to play (WAV, MP3, FLAC, Ogg).", valueName: "FILE"))
    var audio: String?

    @Option(help: ArgumentHelp("Text to read aloud.", valueName: "TEXT"))
    var text: String?

    @Option(
        help: ArgumentHelp(
            "A radio stream to relay: an Icecast/HTTP MP3 or AAC stream, or an HLS playlist (.m3u8).",
            valueName: "URL"
        )
    )
    var relay: String?

    @Option(
        help: ArgumentHelp(
            "How long the relay airs: 30m, 1h, 90s. A scheduled relay needs it; loa announce without it relays "
                + "until loa stop.",
            valueName: "LENGTH"
        )
    )
    var duration: String?

    @Option(help: ArgumentHelp("The voice for --text: vi, vi-vn-x-central, vi-vn-x-south.", valueName: "VOICE"))
    var voice: String = "vi"

    @Option(help: ArgumentHelp("A title for the schedule list and the log.", valueName: "TITLE"))
    var title: String?

    @Flag(name: .customLong("no-chime"), help: "Do not frame the item with the pre-announcement and end chimes.")
    var noChime = false

    @Option(
        name: .customLong("item"),
        help: ArgumentHelp(
            "A further item of a programme, aired after the first in the order given: text:WORDS, audio:FILE or "
                + "asset:ID. Repeat it for each item.",
            valueName: "KIND:WHAT"
        )
    )
    var items: [String] = []

    @Option(
        help: ArgumentHelp("Seconds of silence between a programme's items.", valueName: "SECONDS")
    )
    var gap: Int = Announcement.defaultItemGapSeconds

    func validate() throws {
        for item in items { _ = try ProgrammeItemSpec(parsing: item, voice: voice) }
        guard (0...ScheduleValidator.maximumItemGapSeconds).contains(gap) else {
            throw ValidationError("--gap \(gap) must be 0-\(ScheduleValidator.maximumItemGapSeconds) seconds")
        }
        if let duration {
            guard relay != nil else { throw ValidationError("--duration is the length of a --relay; give --relay URL") }
            guard let seconds = DurationText.seconds(parsing: duration), seconds > 0 else {
                throw ValidationError("--duration '\(duration)' is not a length; write it as 30m, 1h30m or 90s")
            }
        }
        if relay != nil {
            guard audio == nil, text == nil else {
                throw ValidationError("give one of --audio, --text or --relay, not several")
            }
            return
        }
        switch (audio, text) {
        case (nil, nil): throw ValidationError("say what to play: --audio FILE, --text TEXT or --relay URL")
        case (.some, .some): throw ValidationError("give either --audio or --text, not both")
        case (nil, let text?):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("--text is empty; write what should be read aloud")
            }
        case (let path?, nil):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ValidationError("--audio '\(path)' does not exist; check the path")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ValidationError("--audio '\(path)' cannot be read; check its permissions")
            }
        }
    }

    /// The announcement, importing the audio files through the daemon first (`urgent`: to air at once), with
    /// the programme's further items (`--item`).
    func announcement(client: DaemonClient, user: String?, urgent: Bool = false) async throws -> Announcement {
        var announcement = try await firstItem(client: client, user: user, urgent: urgent)
        for text in items {
            announcement.followingItems.append(
                try await ProgrammeItemSpec(parsing: text, voice: voice).item(
                    client: client,
                    user: user,
                    urgent: urgent
                )
            )
        }
        announcement.itemGapSeconds = gap
        return announcement
    }

    /// The first item, framed as these options say.
    func firstItem(client: DaemonClient, user: String?, urgent: Bool) async throws -> Announcement {
        if let relay {
            let seconds = duration.flatMap(DurationText.seconds(parsing:))
            return Announcement(
                title: title ?? "Tiếp sóng",
                content: .relay(source: relay, seconds: seconds),
                chime: !noChime
            )
        }
        if let text {
            let title = self.title ?? String(text.prefix(60))
            return Announcement(title: title, content: .tts(text: text, voice: voice), chime: !noChime)
        }
        let path = audio!
        let name = URL(fileURLWithPath: path).lastPathComponent
        let asset = try await client.importAudio(at: path, user: user, urgent: urgent)
        return Announcement(title: title ?? name, content: .audio(assetID: asset.id), chime: !noChime)
    }
}
