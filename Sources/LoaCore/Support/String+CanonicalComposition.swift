extension String {
    /// The text in Unicode's canonical composition (NFC): "ệ" as one scalar whether it was typed precomposed or
    /// as "e" with two combining marks. The standard library's own normalizer, so the core needs no Foundation
    /// (and a receiver links no ICU).
    package var canonicallyComposed: String {
        String(decoding: _nfcCodeUnits, as: UTF8.self)
    }
}
