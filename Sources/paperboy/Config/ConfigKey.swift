import Foundation

/// One setting of `paperboy.toml`, e.g. `harvest.contact`: where it lives in the file, the
/// environment variable that overrides it (`PAPERBOY_HARVEST_CONTACT`) and what it means.
/// A command's own flag overrides both.
struct ConfigKey<Value: ConfigValue>: Sendable {
    let section: String
    let name: String
    /// What the key is for, as the README's table says it.
    let summary: String
    /// Why a value is refused (nil when it is fine), beyond being of the right type.
    let check: @Sendable (Value) -> String?

    init(_ section: String, _ name: String, _ summary: String, check: @escaping @Sendable (Value) -> String? = { _ in nil }) {
        self.section = section
        self.name = name
        self.summary = summary
        self.check = check
    }

    /// `section.name`, as errors and the README name it.
    var path: String { "\(section).\(name)" }
    var environmentName: String { "PAPERBOY_\(section.uppercased())_\(name.uppercased())" }
}

/// A type a setting can have, read from TOML or from an environment variable.
protocol ConfigValue: Sendable {
    /// How errors name the type: "a whole number".
    static var kind: String { get }
    init?(toml: TOMLScalar)
    init?(environment text: String)
}

extension String: ConfigValue {
    static var kind: String { "a string" }
    init?(toml: TOMLScalar) {
        guard case .string(let text) = toml else { return nil }
        self = text
    }
    init?(environment text: String) { self = text }
}

extension Int: ConfigValue {
    static var kind: String { "a whole number" }
    init?(toml: TOMLScalar) {
        guard case .int(let value) = toml else { return nil }
        self = value
    }
    init?(environment text: String) { self.init(text.trimmingCharacters(in: .whitespaces)) }
}

extension Bool: ConfigValue {
    static var kind: String { "true or false" }
    init?(toml: TOMLScalar) {
        guard case .bool(let value) = toml else { return nil }
        self = value
    }
    init?(environment text: String) {
        switch text.lowercased() {
        case "true", "1", "yes", "on": self = true
        case "false", "0", "no", "off", "": self = false
        default: return nil
        }
    }
}

extension Array: ConfigValue where Element == String {
    static var kind: String { "a list of strings" }
    init?(toml: TOMLScalar) {
        guard case .strings(let list) = toml else { return nil }
        self = list
    }
    /// Comma-separated: `PAPERBOY_HARVEST_SETS=cs,math`.
    init?(environment text: String) {
        self = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A value as read from the file, before its key's type is known.
enum TOMLScalar: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case strings([String])
    /// A value of a type no key takes (a float, a date, a table), named for the error.
    case other(String)
}
