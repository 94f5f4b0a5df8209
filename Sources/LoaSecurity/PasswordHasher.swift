import HummingbirdBcrypt
import LoaCore

/// Operators' passwords, kept only as bcrypt hashes (hummingbird-auth's bcrypt). The cost is the work factor:
/// each step doubles the time of every sign-in and of every guess. 10 keeps a sign-in near a tenth of a second
/// on a gateway's slow core (figures in docs/benchmarks.md, "Sign-in").
public enum PasswordHasher {
    public static let cost: UInt8 = 10

    /// A hash made with this password's own random salt. Slow on purpose: call it off the cooperative pool.
    public static func hash(_ password: String) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches `hash`. As slow as ``hash(_:)``.
    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// A hash no password matches, verified when the account does not exist, so that an unknown name takes as
    /// long to refuse as a wrong password.
    public static let decoy = Bcrypt.hash("loa-decoy-\(UInt64.random(in: .min ... .max))", cost: cost)
}
