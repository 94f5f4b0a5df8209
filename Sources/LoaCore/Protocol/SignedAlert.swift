/// The MQTT payload of an alert on `{root}/alerts` (protocol v1 draft 7): the alert's JSON bytes and the
/// controller's signature over them, both in base64, like a command's ``SignedEnvelope``. Anyone who can publish
/// on the broker could otherwise raise a false alarm, or bury a real one among forged `recovered` alerts.
public struct SignedAlert: Codable, Sendable, Hashable {
    public var v: Int
    /// Base64 of the alert's JSON bytes.
    public var alert: String?
    /// Base64 of the 64-byte Ed25519 signature over those bytes.
    public var sig: String?

    public init(v: Int, alert: String?, sig: String?) {
        self.v = v
        self.alert = alert
        self.sig = sig
    }

    /// The webhook header carrying the body's signature.
    public static let signatureHeader = "X-Loa-Signature"

    /// The largest payload a consumer reads: a 32 KB alert in base64, and its envelope.
    public static let maximumSize = 48 * 1024

    /// Why an alert was not believed.
    public enum Rejection: Error, Sendable, Hashable {
        case tooLarge, malformed, unsigned, badSignature, wrongSite
    }

    /// The envelope of `alert`, signed.
    public static func seal(_ alert: ReceiverAlert, with signer: any MessageSigning) throws -> [UInt8] {
        let bytes = alert.encoded()
        let envelope = SignedAlert(
            v: TopicTree.protocolVersion,
            alert: Data(bytes).base64EncodedString(),
            sig: Data(try signer.signature(for: bytes)).base64EncodedString()
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(envelope))
    }

    /// The webhook's `X-Loa-Signature`: base64 of the signature over the exact body bytes.
    public static func signature(of body: [UInt8], with signer: any MessageSigning) throws -> String {
        Data(try signer.signature(for: body)).base64EncodedString()
    }

    /// A consumer's reading of `{root}/alerts`: the alert, only when `checker` (the controller's public key)
    /// verifies its signature and, given `site`, it is that site's. The signature is checked before the alert's
    /// JSON is read.
    public static func open(
        _ payload: [UInt8],
        checker: any SignatureChecking,
        site: String? = nil
    ) throws(Rejection) -> ReceiverAlert {
        guard payload.count <= maximumSize else { throw .tooLarge }
        guard let envelope = try? NetworkJSON.decode(SignedAlert.self, from: payload),
            envelope.v == TopicTree.protocolVersion, let text = envelope.alert,
            let bytes = Data(base64Encoded: text)
        else { throw .malformed }
        guard let sigText = envelope.sig else { throw .unsigned }
        guard let signature = Data(base64Encoded: sigText), signature.count == 64,
            checker.isValidSignature(Array(signature), for: Array(bytes))
        else { throw .badSignature }
        guard let alert = try? ReceiverAlert(decoding: Array(bytes)) else { throw .malformed }
        if let site, alert.site != site { throw .wrongSite }
        return alert
    }

    /// A webhook receiver's check of a POSTed body against its `X-Loa-Signature` header.
    public static func verifyWebhook(
        body: [UInt8],
        signatureHeader: String?,
        checker: any SignatureChecking
    ) throws(Rejection) -> ReceiverAlert {
        guard let signatureHeader else { throw .unsigned }
        guard let signature = Data(base64Encoded: signatureHeader), signature.count == 64,
            checker.isValidSignature(Array(signature), for: body)
        else { throw .badSignature }
        guard let alert = try? ReceiverAlert(decoding: body) else { throw .malformed }
        return alert
    }
}
