import Foundation
import MCP
import PaperboyCore
import PaperboyServer

/// A tool call's arguments, read and checked the way the web app reads its query string
/// (`Parameters`), so a limit, a day or a category means the same in both and a mistake is
/// reported in the same words, naming the argument.
struct ToolArguments: Sendable {
    private let parameters: Parameters

    /// Fails on an argument the tool does not take, or one that is neither text nor a number
    /// (the web app's values are all text; numbers are written out as the client sent them).
    init(_ values: [String: Value], accepted: Set<String>) throws(ParameterError) {
        var text: [String: String] = [:]
        for (name, value) in values {
            guard accepted.contains(name) else {
                throw ParameterError(name, "is not an argument of this tool; it takes \(accepted.sorted().joined(separator: ", "))")
            }
            switch value {
            case .null: continue
            case .string(let string): text[name] = string
            case .int(let number): text[name] = String(number)
            case .double(let number) where number.rounded() == number && abs(number) < 1e15: text[name] = String(Int(number))
            case .double(let number): text[name] = String(number)
            default: throw ParameterError(name, "must be a string or a number")
            }
        }
        parameters = Parameters(text)
    }

    func string(_ name: String, maxLength: Int = 200) throws(ParameterError) -> String? {
        try parameters.string(name, maxLength: maxLength)
    }

    func required(_ name: String, maxLength: Int = 200) throws(ParameterError) -> String {
        guard let value = try string(name, maxLength: maxLength) else { throw ParameterError(name, "is required") }
        return value
    }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ParameterError) -> Int {
        try parameters.integer(name, default: fallback, in: range)
    }

    func choice<E: RawRepresentable & CaseIterable>(_ name: String, as type: E.Type) throws(ParameterError) -> E?
    where E.RawValue == String {
        try parameters.choice(name, as: type)
    }

    func day(_ name: String) throws(ParameterError) -> Date? {
        try parameters.day(name)
    }

    func category(_ name: String) throws(ParameterError) -> String? {
        try parameters.category(name)
    }

    /// An arXiv id, `doi:…` or `title:…`, as every command and page takes it.
    func paperID(_ name: String) throws(ParameterError) -> PaperID {
        let text = try required(name)
        guard let id = PaperID(text) else {
            throw ParameterError(name, "\"\(text)\" is not a paper id: expected an arXiv id such as 2401.01234, doi:10.… or title:<16 hex digits>")
        }
        return id
    }
}

/// A call that ran but cannot answer (no such paper, no reader): shown to the assistant as a
/// tool error, since it can act on it, not as a protocol failure.
struct ToolFailure: Error, Sendable, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
