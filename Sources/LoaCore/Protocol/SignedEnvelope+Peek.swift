extension SignedEnvelope {
    /// The `seq` of a command whose bytes can be read at all, signed or not: for a rejection's report,
    /// never trusted. Here, in the core, so the fuzzer runs the receiver's own reading (issue 14).
    public static func readableSequence(_ payload: [UInt8]) -> Int64? {
        struct Peek: Decodable { let seq: Int64? }
        return peek(Peek.self, payload)?.seq
    }

    /// The `ts` of a command, read the same way; trusted only once the gate has checked its signature.
    public static func readableTimestamp(_ payload: [UInt8]) -> Int64? {
        struct Peek: Decodable { let ts: Int64? }
        return peek(Peek.self, payload)?.ts
    }

    private static func peek<T: Decodable>(_ type: T.Type, _ payload: [UInt8]) -> T? {
        guard let envelope = try? NetworkJSON.decode(SignedEnvelope.self, from: payload),
            let text = envelope.command, let bytes = Data(base64Encoded: text)
        else { return nil }
        return try? NetworkJSON.decode(T.self, from: bytes)
    }
}
