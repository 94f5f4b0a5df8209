import Foundation
import LoaCore

#if canImport(Glibc)
import Glibc
#endif

/// The sites `loa login` signed in to, kept in `$XDG_CONFIG_HOME/loa/credentials.json` (else
/// `~/.config/loa/credentials.json`): one entry per URL, each with its user, API token and the CA its HTTPS
/// certificate chains to. The last login is the default site.
///
/// The token is a password: the folder is 0700 and the file 0600, made with those modes (never readable by
/// others, even for an instant) and replaced atomically. Nothing here prints or logs a token.
struct SavedCredentials: Codable, Equatable {
    struct Site: Codable, Equatable {
        var url: String
        var user: String
        var token: String
        /// The CA (PEM) trusted for this site besides the system's roots, from `loa login --ca-file`.
        var caPEM: String?
    }

    /// Every site signed in to, the default (the last login) last.
    var sites: [Site] = []

    /// The site of the last login.
    var current: Site? { sites.last }

    /// The entry for `url`, if signed in to it (trailing slashes aside).
    func site(for url: String) -> Site? {
        let key = Self.normalized(url)
        return sites.last { Self.normalized($0.url) == key }
    }

    /// Keeps `site`, replacing its URL's entry, and makes it the default.
    mutating func signedIn(_ site: Site) {
        sites.removeAll { Self.normalized($0.url) == Self.normalized(site.url) }
        sites.append(site)
    }

    /// Drops `url`'s entry; returns it, if there was one.
    @discardableResult
    mutating func signedOut(of url: String) -> Site? {
        let removed = site(for: url)
        sites.removeAll { Self.normalized($0.url) == Self.normalized(url) }
        return removed
    }

    static func normalized(_ url: String) -> String {
        var url = url.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        return url.lowercased()
    }
}

extension SavedCredentials {
    /// Where the file is kept, and reading and writing it.
    struct Store {
        let path: String

        var directory: String { (path as NSString).deletingLastPathComponent }

        /// `$XDG_CONFIG_HOME/loa/credentials.json`, else `$HOME/.config/loa/credentials.json`.
        static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> Store {
            let base: String
            if let configured = environment["XDG_CONFIG_HOME"], configured.hasPrefix("/") {
                base = configured
            } else {
                base = (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
            }
            return Store(path: "\(base)/loa/credentials.json")
        }

        /// The saved sites; none when the file does not exist yet.
        func load() throws(CommandFailure) -> SavedCredentials {
            guard let data = FileManager.default.contents(atPath: path) else {
                guard FileManager.default.fileExists(atPath: path) else { return SavedCredentials() }
                throw CommandFailure(message: "\(path) cannot be read; check its owner", exitCode: Sysexits.ioError)
            }
            do { return try JSONDecoder().decode(SavedCredentials.self, from: data) } catch {
                throw CommandFailure(
                    message: "\(path) is damaged (\(error.localizedDescription)); remove it and sign in again",
                    exitCode: Sysexits.data
                )
            }
        }

        /// Writes `credentials` in place of the file: a new file made 0600 in a 0700 folder, then renamed over it.
        func save(_ credentials: SavedCredentials) throws(CommandFailure) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data: Data
            do { data = try encoder.encode(credentials) } catch {
                throw CommandFailure(message: "credentials: \(error)", exitCode: Sysexits.ioError)
            }
            try makeDirectory()
            let temporary = "\(path).\(getpid()).new"
            // One a killed run left: only its owner can have made it, in a folder that is owner-only.
            unlink(temporary)
            // O_EXCL: never writes through a file or link someone else put there; 0600 from the start.
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw failure("cannot create \(temporary)") }
            var written = 0
            let ok = data.withUnsafeBytes { bytes -> Bool in
                while written < bytes.count {
                    let count = write(fd, bytes.baseAddress! + written, bytes.count - written)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    written += count
                }
                return fchmod(fd, 0o600) == 0 && fsync(fd) == 0
            }
            let error = failure("cannot write \(temporary)")
            close(fd)
            guard ok else {
                unlink(temporary)
                throw error
            }
            guard rename(temporary, path) == 0 else {
                let error = failure("cannot replace \(path)")
                unlink(temporary)
                throw error
            }
        }

        /// The folder, owner-only: made 0700, and set to 0700 if it was more open.
        private func makeDirectory() throws(CommandFailure) {
            let parent = (directory as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure(
                    message: "cannot create \(parent): \(error.localizedDescription)",
                    exitCode: Sysexits.ioError
                )
            }
            if mkdir(directory, 0o700) != 0, errno != EEXIST { throw failure("cannot create \(directory)") }
            guard chmod(directory, 0o700) == 0 else { throw failure("cannot make \(directory) owner-only") }
        }

        private func failure(_ what: String) -> CommandFailure {
            CommandFailure(message: "\(what): \(String(cString: strerror(errno)))", exitCode: Sysexits.ioError)
        }
    }
}
