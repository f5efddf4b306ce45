import Foundation
import TOMLKit

/// The settings in force: `paperboy.toml` in the data directory, overridden key by key by
/// environment variables (`PAPERBOY_<SECTION>_<KEY>`), which commands' flags override in
/// turn. A missing file is an empty one; a file or variable with a bad value is refused as
/// a whole, naming the file, line and key, before anything runs.
struct Configuration: Sendable {
    /// The file the values came from (whether or not it exists), for messages.
    let file: URL
    private let values: [String: TOMLScalar]
    private let environment: [String: String]

    static let fileName = "paperboy.toml"

    /// Reads and checks `file`, and checks every `PAPERBOY_…` variable that names a key.
    init(file: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        self.file = file
        self.environment = environment
        if FileManager.default.fileExists(atPath: file.path) {
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw ConfigError(file: file.path, line: nil, message: "cannot be read: \(error.localizedDescription)")
            }
            values = try Self.parse(text, file: file.path)
        } else {
            values = [:]
        }
        for key in ConfigKeys.all {
            if let text = environment[key.environmentName], let problem = key.problem(environment: text) {
                throw ConfigError(file: nil, line: nil, message: "$\(key.environmentName) (\(key.path)) \(problem), not \"\(text)\"")
            }
        }
    }

    /// The key's value: from the environment, else the file, else nil (the caller's default).
    func value<Value>(_ key: ConfigKey<Value>) -> Value? {
        if let text = environment[key.environmentName] { return Value(environment: text) }
        return values[key.path].flatMap { Value(toml: $0) }
    }

    /// The file's keys as `section.name`, each checked against `ConfigKeys.all`.
    static func parse(_ text: String, file: String) throws(ConfigError) -> [String: TOMLScalar] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, message: error.description)
        } catch {
            throw ConfigError(file: file, line: nil, message: "\(error)")
        }
        let known = Dictionary(uniqueKeysWithValues: ConfigKeys.all.map { ($0.path, $0) })
        var values: [String: TOMLScalar] = [:]
        for (section, content) in table {
            guard let entries = content.table else {
                throw ConfigError(file: file, line: Self.line(of: section, in: text),
                                  message: "\(section) is not a section; keys live under [server], [harvest] and [log]")
            }
            for (name, value) in entries {
                let path = "\(section).\(name)"
                let line = Self.line(of: name, in: text, section: section)
                guard let key = known[path] else {
                    let hint = Self.nearest(to: path, in: known.keys).map { " (did you mean \($0)?)" } ?? ""
                    throw ConfigError(file: file, line: line, message: "\(path) is not a setting Paperboy knows\(hint)")
                }
                let scalar = TOMLScalar(value)
                if let problem = key.problem(with: scalar) {
                    throw ConfigError(file: file, line: line, message: "\(path) \(problem), not \(value.debugDescription)")
                }
                values[path] = scalar
            }
        }
        return values
    }

    /// The line (from 1) where `key` is set, inside `[section]` when given: TOMLKit keeps no
    /// positions for values, and a message without a line sends people hunting.
    static func line(of key: String, in text: String, section: String? = nil) -> Int? {
        var current: String?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
                if section == nil, current == key { return number + 1 }
                continue
            }
            guard current == section, let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            if name == key { return number + 1 }
        }
        return nil
    }

    /// The known key a typo most likely meant: the closest by edit distance, if close.
    static func nearest(to path: String, in keys: some Sequence<String>) -> String? {
        let limit = max(2, path.count / 4)
        var best: (key: String, distance: Int)?
        for key in keys.sorted() {
            let distance = editDistance(path, key)
            if distance <= limit, distance < best?.distance ?? Int.max { best = (key, distance) }
        }
        return best?.key
    }

    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var diagonal = row[0]
            row[0] = i + 1
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = min(above + 1, row[j] + 1, diagonal + (x == y ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}

extension TOMLScalar {
    /// Only the types keys take are kept as such; anything else is named for the error.
    init(_ value: any TOMLValueConvertible) {
        if let text = value.string {
            self = .string(text)
        } else if let number = value.int {
            self = .int(number)
        } else if let flag = value.bool {
            self = .bool(flag)
        } else if let array = value.array {
            let texts = array.compactMap { $0.string }
            self = texts.count == array.count ? .strings(texts) : .other("an array of other values")
        } else {
            self = .other("a \(value.type)")
        }
    }
}

/// A configuration the commands cannot run with, said in one sentence.
struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// The file, or nil when the bad value came from the environment.
    let file: String?
    let line: Int?
    let message: String

    var description: String {
        guard let file else { return message }
        return "\(file)\(line.map { ", line \($0)" } ?? ""): \(message)"
    }
}
