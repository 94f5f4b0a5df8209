import Hummingbird
import HummingbirdAuth
import LoaCore
import NIOCore

/// The request context of every Loa listener: how the request arrived, its browser session (if any), and
/// who the caller turned out to be once `AuthenticationMiddleware` has decided.
public struct LoaRequestContext: RequestContext, SessionRequestContext {
    /// How a request reached the daemon.
    public enum Transport: Sendable, Hashable {
        /// The daemon's Unix socket: only root and the `loa` group can open it, so it is trusted.
        case socket
        /// TCP (plain HTTP on loopback, or HTTPS), from this address.
        case network(address: String)
    }

    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<WebSession>
    public let transport: Transport
    /// The connection, for the socket peer's credentials.
    let channel: any Channel
    /// Who is calling; nil only on the routes open without credentials.
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        channel = source.channel
        if case .unixDomainSocket = source.channel.localAddress {
            transport = .socket
        } else {
            transport = .network(address: source.channel.remoteAddress?.ipAddress ?? "unknown")
        }
    }

    /// The caller, or 401 when the request came without credentials (the routes that need none never ask).
    public func requireCaller() throws -> Caller {
        guard let caller else {
            throw HTTPError(.unauthorized, message: "sign in first: `loa login`, or a token in Authorization: Bearer")
        }
        return caller
    }

    /// The caller's origin before authentication: for sign-in's throttling and audit.
    var origin: Caller.Origin {
        switch transport {
        case .socket: .socket(unixUser: nil)
        case .network(let address): .address(address)
        }
    }
}
