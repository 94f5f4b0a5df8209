import LoaCore
import LoaSecurity

/// Reads `{root}/alerts` as a consumer must since protocol v1 draft 7: only alerts the controller's key signed.
/// Every test that decodes alerts from the broker goes through it, so none accepts a forged one by accident.
public enum SignedAlerts {
    /// The alert in `payload` when `key` (the controller's signing key) signed it, else nil.
    public static func open(_ payload: [UInt8], key: SigningKey) -> ReceiverAlert? {
        guard let checker = try? ControllerPublicKey(publicKey: key.publicKey) else { return nil }
        return try? SignedAlert.open(payload, checker: checker)
    }

    /// The alert in `payload` when the controller whose public key `loa key show` printed signed it, else nil.
    public static func open(_ payload: [UInt8], publicKeyText: String) -> ReceiverAlert? {
        guard let checker = try? ControllerPublicKey(textOrFile: publicKeyText) else { return nil }
        return try? SignedAlert.open(payload, checker: checker)
    }

    /// A fixed key for monitors under test that sign their alerts.
    public static let testKey = SigningKey.generated()
}
