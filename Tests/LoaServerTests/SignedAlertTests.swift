import Foundation
import LoaCore
import LoaSecurity
import LoaTestSupport
import Testing

/// Issue 14: a forged alert reached every `alerts` subscriber. Alerts are signed with the controller's Ed25519
/// key (protocol v1 draft 7), and `SignedAlert.open` is the check a consumer makes before believing one.
@Suite("Signed alerts")
struct SignedAlertTests {
    let controller = SigningKey.generated()
    let alert = ReceiverAlert(
        id: "xa-an-phu-1764385260000000-1",
        site: "xa-an-phu",
        at: 1_764_385_260_000_000,
        kind: .storeWriteFailed,
        summary: "the broadcast log cannot be written",
        receivers: []
    )

    var checker: ControllerPublicKey { get throws { try ControllerPublicKey(publicKey: controller.publicKey) } }

    @Test func theControllersAlertIsBelieved() throws {
        let payload = try SignedAlert.seal(alert, with: controller)
        #expect(try SignedAlert.open(payload, checker: try checker, site: "xa-an-phu") == alert)
    }

    @Test func aForgedAlertIsRefused() throws {
        let checker = try self.checker
        // The plain alert JSON that draft 6 published.
        #expect(throws: SignedAlert.Rejection.malformed) { try SignedAlert.open(alert.encoded(), checker: checker) }
        // An envelope with no signature.
        let unsigned = #"{"v":1,"alert":"\#(Data(alert.encoded()).base64EncodedString())"}"#
        #expect(throws: SignedAlert.Rejection.unsigned) { try SignedAlert.open(Array(unsigned.utf8), checker: checker) }
        // Signed by someone else's key.
        let intruder = try SignedAlert.seal(alert, with: SigningKey.generated())
        #expect(throws: SignedAlert.Rejection.badSignature) { try SignedAlert.open(intruder, checker: checker) }
        // The controller's signature over another alert: a `recovered` swapped in for an `offline`.
        var forged = try JSONDecoder().decode(
            SignedAlert.self,
            from: Data(try SignedAlert.seal(alert, with: controller))
        )
        var recovered = alert
        recovered.kind = .storeWriteRecovered
        forged.alert = Data(recovered.encoded()).base64EncodedString()
        let swapped = Array(try JSONEncoder().encode(forged))
        #expect(throws: SignedAlert.Rejection.badSignature) { try SignedAlert.open(swapped, checker: checker) }
        // Genuine, but another site's.
        let genuine = try SignedAlert.seal(alert, with: controller)
        #expect(throws: SignedAlert.Rejection.wrongSite) {
            try SignedAlert.open(genuine, checker: checker, site: "xa-khac")
        }
        #expect(throws: SignedAlert.Rejection.tooLarge) {
            try SignedAlert.open([UInt8](repeating: 0x20, count: SignedAlert.maximumSize + 1), checker: checker)
        }
    }

    @Test func aWebhookBodyIsCheckedAgainstItsSignatureHeader() throws {
        let checker = try self.checker
        let body = alert.encoded()
        let header = try SignedAlert.signature(of: body, with: controller)
        #expect(try SignedAlert.verifyWebhook(body: body, signatureHeader: header, checker: checker) == alert)
        #expect(throws: SignedAlert.Rejection.unsigned) {
            try SignedAlert.verifyWebhook(body: body, signatureHeader: nil, checker: checker)
        }
        let other = try SignedAlert.signature(of: body, with: SigningKey.generated())
        #expect(throws: SignedAlert.Rejection.badSignature) {
            try SignedAlert.verifyWebhook(body: body, signatureHeader: other, checker: checker)
        }
    }
}
