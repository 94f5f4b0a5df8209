/// Slows down password guessing, per account name and per source address: the first `freeAttempts` failures
/// cost nothing, then each one makes the key wait twice as long as the one before, up to `maximumDelay`. A
/// wait that has passed is not forgiven: the next failure doubles it again. A key that has been quiet for
/// `forgetAfter` starts over. Names are tracked whether or not the account exists, so the answer never tells.
///
/// A value type without a clock: the caller passes `now`, so the core's tests drive it by hand.
public struct SignInThrottle: Sendable {
    public struct Policy: Sendable, Hashable {
        public var freeAttempts: Int
        public var firstDelay: Duration
        public var maximumDelay: Duration
        /// The most keys kept of each kind; the oldest go first, so a scan over many addresses cannot
        /// exhaust memory.
        public var capacity: Int

        public init(
            freeAttempts: Int = 5,
            firstDelay: Duration = .seconds(1),
            maximumDelay: Duration = .seconds(900),
            capacity: Int = 10_000
        ) {
            self.freeAttempts = freeAttempts
            self.firstDelay = firstDelay
            self.maximumDelay = maximumDelay
            self.capacity = capacity
        }

        /// How long a key must be quiet before its failures are forgotten.
        public var forgetAfter: TimeInterval { max(3_600, 4 * maximumDelay.timeInterval) }
    }

    struct Record: Sendable {
        var failures: Int
        var lastFailure: Date
        var blockedUntil: Date
    }

    public let policy: Policy
    private var accounts: [String: Record] = [:]
    private var addresses: [String: Record] = [:]

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// How long until `account` from `address` may try again; nil when it may now.
    public func wait(account: String, address: String, now: Date) -> Duration? {
        let until = [accounts[Self.key(account)], addresses[address]].compactMap { record -> Date? in
            guard let record, now.timeIntervalSince(record.lastFailure) < policy.forgetAfter else { return nil }
            return record.blockedUntil > now ? record.blockedUntil : nil
        }.max()
        return until.map { .seconds(max(1, Int($0.timeIntervalSince(now).rounded(.up)))) }
    }

    /// A wrong password (or an unknown name) for `account` from `address`.
    public mutating func recordFailure(account: String, address: String, now: Date) {
        Self.fail(&accounts, key: Self.key(account), now: now, policy: policy)
        Self.fail(&addresses, key: address, now: now, policy: policy)
    }

    /// A right password: the account's failures are forgotten. The address's are not, so that one good account
    /// cannot be used to clear the way for guessing others from the same place.
    public mutating func recordSuccess(account: String) {
        accounts[Self.key(account)] = nil
    }

    /// The number of failures counted against `account` (for tests and the audit detail).
    public func failures(account: String) -> Int { accounts[Self.key(account)]?.failures ?? 0 }

    static func key(_ account: String) -> String { account.lowercased() }

    private static func fail(_ records: inout [String: Record], key: String, now: Date, policy: Policy) {
        var record = records[key] ?? Record(failures: 0, lastFailure: now, blockedUntil: now)
        if now.timeIntervalSince(record.lastFailure) >= policy.forgetAfter { record.failures = 0 }
        record.failures += 1
        record.lastFailure = now
        let over = record.failures - policy.freeAttempts
        if over > 0 {
            let factor = Double(1 << min(over - 1, 30))
            let delay = min(policy.firstDelay.timeInterval * factor, policy.maximumDelay.timeInterval)
            record.blockedUntil = now.addingTimeInterval(delay)
        }
        records[key] = record
        if records.count > policy.capacity,
            let oldest = records.min(by: { $0.value.lastFailure < $1.value.lastFailure })
        {
            records[oldest.key] = nil
        }
    }
}
