import Crypto
import Foundation
import Hummingbird
import LoaCore

/// hummingbird-auth's session storage on the daemon's SQLite store, so that browser sessions survive a
/// restart. Keys (which carry the cookie's value) are stored as their SHA-256: a copy of the store or a backup
/// holds no cookie anyone could present.
public struct SessionPersistDriver: PersistDriver {
    let store: any WebSessionStoring
    let now: @Sendable () -> Date

    public init(store: any WebSessionStoring, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    public func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let hashed = Self.hash(key)
        let existing = try await BlockingCall.run { [store, now] in try store.session(key: hashed, now: now()) }
        guard existing == nil else { throw PersistError.duplicate }
        try await set(key: key, value: value, expires: expires)
    }

    public func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let hashed = Self.hash(key)
        let data = try JSONEncoder().encode(value)
        try await BlockingCall.run { [store, now] in
            let date = now()
            var expiresAt = expires.map { date.addingTimeInterval($0.timeInterval) }
            if expires == nil { expiresAt = try store.session(key: hashed, now: date)?.expiresAt }
            try store.setSession(key: hashed, value: data, expiresAt: expiresAt)
        }
    }

    public func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    public func getWithTTL<Object: Codable & Sendable>(
        key: String,
        as type: Object.Type
    ) async throws -> (object: Object, ttl: Duration?)? {
        let hashed = Self.hash(key)
        let date = now()
        guard let found = try await BlockingCall.run({ [store] in try store.session(key: hashed, now: date) }) else {
            return nil
        }
        guard let object = try? JSONDecoder().decode(Object.self, from: found.value) else {
            throw PersistError.invalidConversion
        }
        return (object, found.expiresAt.map { .seconds($0.timeIntervalSince(date)) })
    }

    public func remove(key: String) async throws {
        let hashed = Self.hash(key)
        try await BlockingCall.run { [store] in try store.removeSession(key: hashed) }
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).hexString
    }
}
