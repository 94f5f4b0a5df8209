import LoaAudio
import LoaCore
import Synchronization

/// Reads a preview with the renderer the broadcasts use, so it sounds as the schedule will air: the same
/// voice, text normalisation, loudness and chimes. Encoded as the 16-bit WAV Loa keeps (``WAVFile``).
///
/// One preview at a time; another asked meanwhile is refused at once (429, `Retry-After`) rather than queued.
/// Speech synthesis takes a core for seconds, and the gateway has two that also air the programme: a queue would
/// let clicks pile up work that nobody may still be waiting for, while a refusal costs nothing and the page says
/// to try again in a moment.
public final class SpeechPreviewService: SpeechPreviewing {
    let renderer: any AnnouncementRendering
    private let rendering = Mutex(false)

    public init(renderer: any AnnouncementRendering) {
        self.renderer = renderer
    }

    public func preview(_ request: SpeechPreviewRequest, by caller: Caller) async throws(OperationError) -> [UInt8] {
        try caller.require(.draft)
        try request.check(voices: renderer.voices)
        let admitted = rendering.withLock { busy in
            if busy { return false }
            busy = true
            return true
        }
        guard admitted else {
            throw OperationError(
                .throttled,
                "another preview is being read aloud; try again in a few seconds",
                retryAfter: .seconds(2)
            )
        }
        defer { rendering.withLock { $0 = false } }
        do {
            return WAVFile.encode(try await renderer.render(request.announcement))
        } catch {
            throw OperationError(.unavailable, "the text could not be read aloud: \(error)")
        }
    }
}
