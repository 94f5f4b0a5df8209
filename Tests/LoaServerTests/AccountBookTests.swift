import Foundation
import LoaCore
import LoaSecurity
import LoaStore
import LoaTestSupport
import Testing

@testable import LoaServer

/// Accounts, sign-in and tokens on a real SQLite store, on a manual clock.
@Suite struct AccountBookTests {
    let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
    let database: LoaDatabase
    let book: AccountBook
    let origin = Caller.Origin.address("10.0.0.5")

    init() throws {
        let state = try TestBroker.makeTemporaryDirectory(prefix: "loa-accounts")
        database = try LoaDatabase(path: "\(state)/loa.sqlite")
        book = AccountBook(
            database: database,
            clock: clock,
            throttle: .init(freeAttempts: 5, maximumDelay: .seconds(8)),
            logger: quietLogger("loa.test.accounts")
        )
    }

    func add(_ name: String, _ role: OperatorRole, password: String? = "mat-khau-dai-10") async throws {
        _ = try await book.addUser(
            UserChange(name: name, role: role, password: password),
            by: .localAdministrator(unixUser: "root")
        )
    }

    @Test func aPasswordIsKeptOnlyAsABcryptHashOfCostTenOrMore() async throws {
        try await add("chu-tich", .approver)
        let stored = try #require(try database.account(named: "chu-tich"))
        let hash = try #require(stored.passwordHash)
        #expect(hash.hasPrefix("$2b$10$") || hash.hasPrefix("$2a$10$") || hash.hasPrefix("$2y$10$"), "\(hash)")
        #expect(!hash.contains("mat-khau-dai-10"))
        let caller = try await book.verify(user: "chu-tich", password: "mat-khau-dai-10", from: origin)
        #expect(caller.name == "chu-tich" && caller.role == .approver)
    }

    @Test func shortPasswordsBadNamesAndStrangersAreRefused() async throws {
        let short = await operationError { try await self.add("chu-tich", .approver, password: "ngan") }
        #expect(short?.kind == .invalid && short?.message.contains("at least 10") == true)
        let name = await operationError { try await self.add("Chủ Tịch", .approver) }
        #expect(name?.kind == .invalid)
        let byOperator = await operationError {
            try await self.book.addUser(UserChange(name: "x", role: .technician), by: .canBoVanHoa)
        }
        #expect(byOperator?.kind == .forbidden)
        #expect(try database.accounts().isEmpty)
    }

    @Test func anUnknownNameAndAWrongPasswordGetTheSameAnswerAndBothAreAudited() async throws {
        try await add("chu-tich", .approver)
        let wrong = await operationError {
            try await self.book.verify(user: "chu-tich", password: "sai-mat-khau", from: self.origin)
        }
        let unknown = await operationError {
            try await self.book.verify(user: "khong-co", password: "sai-mat-khau", from: self.origin)
        }
        let disabledless = await operationError {
            try await self.book.verify(user: "chu-tich", password: "", from: self.origin)
        }
        #expect(wrong == unknown && unknown == disabledless)
        #expect(wrong?.kind == .unauthenticated && wrong?.message == "the user name or password is wrong")
        let failures = try database.recentAudit().filter { $0.action == "sign-in.failed" }
        #expect(
            Set(failures.map(\.actor)) == ["chu-tich", "khong-co"] && failures.allSatisfy { $0.origin == "10.0.0.5" }
        )
    }

    @Test func repeatedFailuresThrottleTheAccountUntilTheBackoffHasPassed() async throws {
        try await add("chu-tich", .approver)
        for _ in 0..<20 {
            _ = await operationError {
                try await self.book.verify(user: "chu-tich", password: "doan-thu-xem", from: self.origin)
            }
        }
        let throttled = await operationError {
            try await self.book.verify(user: "chu-tich", password: "mat-khau-dai-10", from: self.origin)
        }
        #expect(throttled?.kind == .throttled && throttled?.retryAfter != nil)
        let elsewhere = await operationError {
            try await self.book.verify(user: "chu-tich", password: "mat-khau-dai-10", from: .address("10.9.9.9"))
        }
        #expect(elsewhere?.kind == .throttled, "the account is throttled from any address")
        clock.advance(by: throttled!.retryAfter!.timeInterval)
        #expect(try await book.verify(user: "chu-tich", password: "mat-khau-dai-10", from: origin).name == "chu-tich")
        let audit = try database.recentAudit(limit: 100).map(\.action)
        #expect(audit.filter { $0 == "sign-in.failed" }.count + audit.filter { $0 == "sign-in.throttled" }.count == 22)
        #expect(audit.first == "sign-in")
    }

    @Test func aTokenIsHashedAtRestScopedAndEndsWhenRevokedExpiredOrItsAccountIsDisabled() async throws {
        try await add("nagios", .viewer, password: nil)
        let root = Caller.localAdministrator(unixUser: "root")
        let issued = try await book.issueToken(
            TokenRequest(account: "nagios", scope: .health, label: "nagios", days: 1),
            by: root
        )
        let stored = try #require(try database.token(id: issued.info.id))
        #expect(!stored.secretHash.contains(TokenSecret(parsing: issued.token)!.secret))
        let caller = try #require(await book.caller(forToken: issued.token, from: origin))
        #expect(caller.scope == .health && caller.may(.readHealth) && !caller.may(.read))
        #expect(await book.caller(forToken: issued.token + "x", from: origin) == nil)

        clock.advance(by: 86_401)
        #expect(await book.caller(forToken: issued.token, from: origin) == nil, "expired")

        let second = try await book.issueToken(
            TokenRequest(account: "nagios", scope: .read, label: "bao-cao"),
            by: root
        )
        #expect(await book.caller(forToken: second.token, from: origin) != nil)
        try await book.revokeToken(id: second.info.id, by: root)
        #expect(await book.caller(forToken: second.token, from: origin) == nil, "revoked")

        let third = try await book.issueToken(TokenRequest(account: "nagios", scope: .read, label: "ba"), by: root)
        _ = try await book.changeUser("nagios", UserChange(disabled: true), by: root)
        #expect(await book.caller(forToken: third.token, from: origin) == nil, "disabled")
    }

    @Test func anyoneMayChangeTheirOwnPasswordWhichRevokesTheirTokens() async throws {
        try await add("can-bo-van-hoa", .operator)
        let me = try await book.verify(user: "can-bo-van-hoa", password: "mat-khau-dai-10", from: origin)
        let token = try await book.issueToken(TokenRequest(scope: .full, label: "loa login"), by: me)
        _ = try await book.changeUser("can-bo-van-hoa", UserChange(password: "mat-khau-moi-12"), by: me)
        #expect(await book.caller(forToken: token.token, from: origin) == nil)
        let promote = await operationError {
            try await self.book.changeUser("can-bo-van-hoa", UserChange(role: .approver), by: me)
        }
        #expect(promote?.kind == .forbidden)
        #expect(
            try await book.verify(user: "can-bo-van-hoa", password: "mat-khau-moi-12", from: origin).role == .operator
        )
    }

    @Test func aSignInSweepsTheSessionsThatHaveEnded() async throws {
        try await add("chu-tich", .approver)
        try database.setSession(key: "old", value: Data("{}".utf8), expiresAt: clock.now().addingTimeInterval(-1))
        try database.setSession(key: "live", value: Data("{}".utf8), expiresAt: clock.now().addingTimeInterval(600))
        _ = try await book.verify(user: "chu-tich", password: "mat-khau-dai-10", from: origin)
        #expect(try database.session(key: "old", now: .distantPast) == nil)
        #expect(try database.session(key: "live", now: clock.now()) != nil)
    }
}
