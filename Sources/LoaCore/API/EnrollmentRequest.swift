/// `POST /api/v1/enrollments`: the receivers to enroll at once (`loa receivers enroll --all`).
public struct EnrollmentRequest: Codable, Sendable, Hashable {
    public var receivers: [String]

    public init(receivers: [String]) {
        self.receivers = receivers
    }
}
