import LoaCore

/// The sample commune's people, as the domain sees them once signed in: for tests of the core and the
/// books, which take an authenticated caller.
extension Caller {
    /// The commune chairman: approves and airs.
    public static let chuTich = Caller(name: "chu-tich", role: .approver, origin: .socket(unixUser: "test"))
    /// The culture officer: drafts.
    public static let canBoVanHoa = Caller(name: "can-bo-van-hoa", role: .operator, origin: .socket(unixUser: "test"))
    /// A district inspector: reads.
    public static let thanhTra = Caller(name: "thanh-tra", role: .viewer, origin: .address("10.0.0.9"))
    /// The technician: receivers, the key, accounts.
    public static let kyThuat = Caller(name: "ky-thuat", role: .technician, origin: .socket(unixUser: "test"))
}
