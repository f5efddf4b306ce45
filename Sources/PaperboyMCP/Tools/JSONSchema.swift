import MCP

/// The few JSON Schema shapes the tools' inputs need, written once so every tool describes
/// its arguments the same way.
enum JSONSchema {
    /// An object of `properties`, in the order given, with `required` ones.
    static func object(_ properties: [(String, Value)], required: [String] = []) -> Value {
        var schema: [String: Value] = [
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: properties)),
            "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    static func string(_ description: String, oneOf choices: [String] = [], pattern: String? = nil) -> Value {
        var schema: [String: Value] = ["type": "string", "description": .string(description)]
        if !choices.isEmpty { schema["enum"] = .array(choices.map { .string($0) }) }
        if let pattern { schema["pattern"] = .string(pattern) }
        return .object(schema)
    }

    static func integer(_ description: String, in range: ClosedRange<Int>, default fallback: Int) -> Value {
        .object(["type": "integer", "description": .string(description), "minimum": .int(range.lowerBound),
                 "maximum": .int(range.upperBound), "default": .int(fallback)])
    }

    /// A `yyyy-MM-dd` day.
    static func day(_ description: String) -> Value {
        string(description + " Written yyyy-MM-dd (UTC).", pattern: "^\\d{4}-\\d{2}-\\d{2}$")
    }

    static func category(_ description: String) -> Value {
        string(description + " An arXiv category such as cs.CL or an archive such as cs.")
    }

    static let paperID = string("The paper's id: an arXiv id such as 2401.01234, doi:10.… or title:<16 hex digits>.")
}
