/// Bytes a session sent: the audio messages' payloads, and the MQTT packets carrying them.
struct WireBytes: Sendable, Hashable {
    var payload = 0
    var wire = 0

    static func += (total: inout WireBytes, more: WireBytes) {
        total.payload += more.payload
        total.wire += more.wire
    }
}
