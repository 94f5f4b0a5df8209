import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names receivers use to reach the broker: DNS names and IP addresses, as they go in the server
/// certificate's subject alternative names.
///
/// A receiver's TLS library checks the name it connected to against exactly these, so a name missing here is
/// a receiver that cannot connect; a change of them is a reason to issue the certificate again.
public struct ServerNames: Sendable, Hashable, CustomStringConvertible {
    /// Lower-cased, without duplicates, in the order given.
    public let dnsNames: [String]
    /// As given (`192.0.2.10`, `fe80::1`), without duplicates.
    public let ipAddresses: [String]

    /// Throws when a name is not a DNS name or an address does not parse, or when there is no name at all.
    public init(dnsNames: [String], ipAddresses: [String]) throws(CertificateFileError) {
        var names: [String] = []
        for name in dnsNames.map({ $0.lowercased() }) where !names.contains(name) {
            guard Self.isDNSName(name) else {
                throw CertificateFileError(
                    path: nil,
                    problem: "'\(name)' is not a DNS name for the broker's certificate",
                    fix: "give a host name of letters, digits, '-' and '.' (an address goes with the IP addresses)"
                )
            }
            names.append(name)
        }
        var addresses: [String] = []
        for address in ipAddresses where !addresses.contains(address) {
            guard Self.addressBytes(address) != nil else {
                throw CertificateFileError(
                    path: nil,
                    problem: "'\(address)' is not an IP address for the broker's certificate",
                    fix: "give an IPv4 (192.0.2.10) or IPv6 (fe80::1) address"
                )
            }
            addresses.append(address)
        }
        guard !names.isEmpty || !addresses.isEmpty else {
            throw CertificateFileError(
                path: nil,
                problem: "the broker's certificate needs at least one DNS name or IP address",
                fix: "give the names and addresses receivers use to reach the gateway"
            )
        }
        self.dnsNames = names
        self.ipAddresses = addresses
    }

    public var description: String { (dnsNames + ipAddresses).joined(separator: ", ") }

    /// The subject alternative names of a certificate for these names.
    var generalNames: [GeneralName] {
        dnsNames.map { .dnsName($0) }
            + ipAddresses.compactMap(Self.addressBytes).map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
    }

    /// The names a certificate was issued for, to compare with the ones wanted now: DNS names lower-cased and
    /// addresses as bytes, so `::1` and `0:0::1` are the same address.
    static func subjectAlternativeNames(of certificate: Certificate) -> Set<GeneralName> {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return Set(
            names.map { name in
                if case .dnsName(let text) = name { return .dnsName(text.lowercased()) }
                return name
            }
        )
    }

    var generalNameSet: Set<GeneralName> { Set(generalNames) }

    private static func isDNSName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy {
                    $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-")
                }
        }
    }

    /// The network-order bytes of an IPv4 or IPv6 address; nil when `text` is neither.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
