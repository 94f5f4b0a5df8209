import LoaCore
import Testing

/// What each role and token scope may do: the whole matrix, so a change to it is a deliberate one.
@Suite struct CallerTests {
    @Test func eachRoleMayDoWhatTheIssueSaysAndNothingMore() {
        let expected: [OperatorRole: Set<Permission>] = [
            .viewer: [.readHealth, .read],
            .operator: [.readHealth, .read, .draft],
            .approver: [.readHealth, .read, .draft, .air],
            .technician: [.readHealth, .read, .maintain, .manageAccounts],
        ]
        for role in OperatorRole.allCases {
            let caller = Caller(name: "x", role: role, origin: .address("10.0.0.1"))
            let allowed = Set(Permission.allCases.filter(caller.may))
            #expect(allowed == expected[role], "\(role)")
        }
        let local = Caller.localAdministrator(unixUser: "root")
        #expect(Permission.allCases.allSatisfy(local.may))
        #expect(local.origin.description == "socket (root)")
    }

    @Test func aTokenNeverDoesMoreThanItsScopeOrItsAccount() {
        let health = Caller(name: "nagios", role: .approver, scope: .health, origin: .address("10.0.0.2"))
        #expect(health.may(.readHealth) && !health.may(.read) && !health.may(.air))
        let read = Caller(name: "bao-cao", role: .approver, scope: .read, origin: .address("10.0.0.2"))
        #expect(read.may(.read) && !read.may(.draft) && !read.may(.air))
        let full = Caller(name: "van-hoa", role: .operator, scope: .full, origin: .address("10.0.0.2"))
        #expect(full.may(.draft) && !full.may(.air))
    }

    @Test func aRefusalNamesWhoAndWhat() {
        let caller = Caller(name: "can-bo-van-hoa", role: .operator, origin: .address("10.0.0.3"))
        #expect(throws: OperationError.self) { try caller.require(.air) }
        do { try caller.require(.air) } catch {
            #expect(error.kind == .forbidden)
            #expect(
                error.message
                    == "can-bo-van-hoa (operator) may not approve, air at once, stop or set volumes; ask an approver"
            )
        }
    }
}
