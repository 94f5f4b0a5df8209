import Hummingbird
import LoaCore

/// `POST /api/v1/speech/preview` with `{"text": "…", "voice": "vi", "chime": true}` → `audio/wav`: the text read
/// aloud as a schedule would air it, for those who may draft (403 otherwise), 400 for empty text, 413 past the
/// preview's length, 429 while another preview renders. Without a renderer (a daemon built without speech): 503.
public struct SpeechPreviewController: Sendable {
    let speech: (any SpeechPreviewing)?

    public init(speech: (any SpeechPreviewing)?) {
        self.speech = speech
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        router.group("api/v1").post("speech/preview") { request, context in
            let caller = try context.requireCaller()
            try await refusing { try caller.require(.draft) }
            let asked = try await request.decodeJSON(SpeechPreviewRequest.self, limit: 1 << 18)
            guard let speech else {
                throw OperationError(.unavailable, "this daemon has no speech renderer to read a preview").httpError
            }
            let wav = try await refusing { try await speech.preview(asked, by: caller) }
            return Response(
                status: .ok,
                headers: [.contentType: "audio/wav", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: wav))
            )
        }
    }
}
