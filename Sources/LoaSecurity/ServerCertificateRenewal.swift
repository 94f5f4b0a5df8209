import Foundation
import X509

/// Why the broker's server certificate is (re)issued, or nil to keep it: the renewal policy, time and files
/// in, a decision out, so that it is tested on chosen dates.
///
/// The certificate is renewed well before it ends (a third of its life, at least 30 days, before), so that a
/// gateway that was off for a few weeks still comes back with a certificate its receivers accept, and a
/// renewal that fails is noticed with months to spare.
public enum ServerCertificateRenewal: String, Sendable, Equatable, CustomStringConvertible {
    /// There was no server certificate or key.
    case missing
    /// The certificate or key file did not parse, or the key is not the certificate's.
    case damaged
    /// The certificate was not signed by the current authority (restored from elsewhere, say).
    case otherAuthority
    /// The names or addresses receivers use changed.
    case namesChanged
    /// `now` is before the certificate starts: the clock was behind when it was issued.
    case notYetValid
    /// It ends within the renewal margin (or already ended).
    case endingSoon

    public var description: String {
        switch self {
        case .missing: "no server certificate yet"
        case .damaged: "the server certificate or key was damaged"
        case .otherAuthority: "the server certificate was not signed by this gateway's authority"
        case .namesChanged: "the broker's names or addresses changed"
        case .notYetValid: "the server certificate starts in the future"
        case .endingSoon: "the server certificate ends soon"
        }
    }

    /// The least time left on a certificate before it is renewed.
    public static let minimumMargin: TimeInterval = 30 * 86_400

    /// How long before its end a certificate is renewed: a third of its life, and at least 30 days.
    public static func margin(for certificate: Certificate) -> TimeInterval {
        max(minimumMargin, certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) / 3)
    }

    /// Why `current` must be replaced, or nil when it serves on.
    ///
    /// A certificate that is ending soon is kept when a new one would end no later (the authority itself ends
    /// first), so that a daemon does not reissue, and restart its broker, on every start in the authority's
    /// last months.
    public static func reason(
        current: Certificate,
        authority: CertificateAuthority,
        names: ServerNames,
        now: Date
    ) -> ServerCertificateRenewal? {
        if !authority.signed(current) { return .otherAuthority }
        if ServerNames.subjectAlternativeNames(of: current) != names.generalNameSet { return .namesChanged }
        if now < current.notValidBefore { return .notYetValid }
        let dueAt = current.notValidAfter.addingTimeInterval(-margin(for: current))
        if now >= dueAt && authority.serverExpiry(now: now) > current.notValidAfter { return .endingSoon }
        return nil
    }
}
