import Foundation
import Mustache

/// The HTML templates (`Resources/Templates/*.mustache`), parsed once at start-up, so a
/// template that does not parse stops the server from starting instead of failing a request.
/// Mustache escapes every `{{value}}`; only `{{{…}}}` fields, which the app fills with markup
/// it escaped itself (highlighted snippets), are written raw.
public struct Views: Sendable {
    let library: MustacheLibrary

    public init() throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil, subdirectory: "Resources") else {
            throw ViewError.missing("the template directory")
        }
        var library = MustacheLibrary()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// Renders the template `name` with `context` (dictionaries and arrays of them) for
    /// `visitor`: the layout's header and every form read `visitor.pageValues` (`csrf`,
    /// `signedIn`), which the page's own values cannot override.
    public func render(_ name: String, _ context: [String: Any], for visitor: Visitor = .current) throws -> String {
        let values = context.merging(visitor.pageValues) { _, visitor in visitor }
        guard let html = library.render(values, withTemplate: name) else { throw ViewError.missing("the template \(name)") }
        return html
    }
}

enum ViewError: Error, CustomStringConvertible {
    case missing(String)

    var description: String {
        switch self {
        case .missing(let what): "cannot find \(what) in the server's resources"
        }
    }
}
