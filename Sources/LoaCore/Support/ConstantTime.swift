/// Comparisons of secrets (token digests, CSRF tokens) that take as long whichever byte differs, so that timing
/// the answer tells an attacker nothing about how much of a guess was right.
public enum ConstantTime {
    public static func equal(_ first: String, _ second: String) -> Bool {
        let a = Array(first.utf8)
        let b = Array(second.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
