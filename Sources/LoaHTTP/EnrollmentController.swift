import Hummingbird
import LoaCore

/// The broker's accounts: `POST /api/v1/receivers/{id}/enrollment` issues a receiver its credential and
/// returns its enrollment (the secret is in this answer only), `POST /api/v1/enrollments` does so for many at
/// once (`{"receivers": [...]}`; the broker reloads once), `DELETE …/enrollment` revokes one, and
/// `GET /api/v1/broker/export` gives a site's own broker its password file, ACL and configuration.
public struct EnrollmentController: Sendable {
    let accounts: any ReceiverEnrolling

    public init(accounts: any ReceiverEnrolling) {
        self.accounts = accounts
    }

    public func addRoutes(to router: Router<LoaRequestContext>) {
        let api = router.group("api/v1")
        api.post("receivers/:id/enrollment") { request, context in
            let id = try context.parameters.require("id")
            let enrollments = try await refusing { try await accounts.enroll([id], by: try context.requireCaller()) }
            return JSONBody(value: enrollments[0], status: .created)
        }
        api.post("enrollments") { request, context in
            let body = try await request.decodeJSON(EnrollmentRequest.self)
            let enrollments = try await refusing {
                try await accounts.enroll(body.receivers, by: try context.requireCaller())
            }
            return JSONBody(value: enrollments, status: .created)
        }
        api.delete("receivers/:id/enrollment") { request, context in
            let id = try context.parameters.require("id")
            try await refusing { try await accounts.revoke(id, by: try context.requireCaller()) }
            return Response(status: .noContent)
        }
        api.get("broker/export") { request, context in
            JSONBody(value: try await refusing { try await accounts.brokerExport(by: try context.requireCaller()) })
        }
    }
}
