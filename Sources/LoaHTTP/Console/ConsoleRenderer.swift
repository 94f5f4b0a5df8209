import Foundation
import Hummingbird
import LoaCore
import Mustache

/// Renders the console's pages: a template inside the frame every page shares (language, the string
/// catalogue, who is signed in and what they may do, the navigation), and errors as a page, never as JSON.
///
/// Every page's values go through `{{ }}`, which escapes HTML, so a title holding `<script>` shows as text.
enum ConsoleRenderer {
    /// What a page's handler returns: its template, its title's catalogue key, and its own values.
    struct Page {
        var template: String
        var titleKey: String
        var values: [String: Any]
        var status: HTTPResponse.Status = .ok
    }

    static func resources() throws -> ConsoleResources {
        do { return try ConsoleResources.bundled.get() } catch {
            throw HTTPError(.internalServerError, message: "the console's files are missing from the package: \(error)")
        }
    }

    static func language(of request: Request) -> ConsoleLanguage {
        ConsoleLanguage.chosen(
            query: request.uri.queryParameters.get("lang"),
            cookie: request.cookies[ConsoleLanguage.cookieName]?.value
        )
    }

    /// Renders what `build` returns; an error it throws becomes the error page, with the error's status and
    /// its message (which names what is wrong, as every API error does).
    static func respond(
        _ request: Request,
        _ context: LoaRequestContext,
        section: ConsolePaths.Section?,
        build: (ConsoleLanguage) async throws -> Page
    ) async throws -> Response {
        let language = language(of: request)
        do {
            let page = try await build(language)
            return try render(page, section: section, request: request, context: context)
        } catch {
            let (status, message) = describe(error)
            let page = Page(
                template: "error",
                titleKey: "errorTitle",
                values: ["message": message, "status": status.code],
                status: status
            )
            return try render(page, section: section, request: request, context: context)
        }
    }

    /// The status and message an error page shows.
    static func describe(_ error: any Error) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as OperationError:
            let http = error.httpError
            return (http.status, error.message)
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase)
        default:
            return (.internalServerError, "\(error)")
        }
    }

    /// The frame's values: language, strings, the signed-in user, what they may do, and the navigation.
    static func frame(
        language: ConsoleLanguage,
        section: ConsolePaths.Section?,
        context: LoaRequestContext
    ) -> [String: Any] {
        var frame: [String: Any] = [
            "lang": language.rawValue, "otherLang": language.other.rawValue,
            "t": ConsoleStrings.table(language),
        ]
        if let session = context.sessions.session {
            frame["user"] = session.user
            frame["csrf"] = session.csrf
        }
        if let caller = context.caller {
            frame["can"] = Dictionary(uniqueKeysWithValues: Permission.allCases.map { ($0.rawValue, caller.may($0)) })
            frame["hasNav"] = true
            frame["nav"] = ConsolePaths.Section.allCases.map { item in
                [
                    "href": item.path, "label": ConsoleStrings.text(item.labelKey, language),
                    "current": item == section,
                ] as [String: Any]
            }
        }
        return frame
    }

    static func render(
        _ page: Page,
        section: ConsolePaths.Section?,
        request: Request,
        context: LoaRequestContext
    ) throws -> Response {
        let language = language(of: request)
        var all = frame(language: language, section: section, context: context)
        all["title"] = ConsoleStrings.text(page.titleKey, language)
        all.merge(page.values) { _, own in own }
        guard let html = try resources().library.render(all, withTemplate: page.template) else {
            throw HTTPError(.internalServerError, message: "the console has no template \(page.template)")
        }
        var response = Response(
            status: page.status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy: contentSecurityPolicy,
            ],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
        if let asked = request.uri.queryParameters.get("lang"), let chosen = ConsoleLanguage(rawValue: asked) {
            response.setCookie(
                Cookie(
                    name: ConsoleLanguage.cookieName,
                    value: chosen.rawValue,
                    maxAge: 365 * 86_400,
                    path: "/",
                    secure: true,
                    httpOnly: true,
                    sameSite: .lax
                )
            )
        }
        return response
    }

    /// Only the console's own files: no inline script, no other site, no framing.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
}
