import MCP

/// One tool the server offers: how it is described to the assistant and what a call does.
protocol PaperboyTool: Sendable {
    /// Name, description and input schema, as `tools/list` answers them.
    var definition: Tool { get }
    func call(_ arguments: ToolArguments) async throws -> any ToolAnswer
}

extension PaperboyTool {
    /// The argument names the input schema declares; any other is refused, by name.
    var argumentNames: Set<String> {
        Set(definition.inputSchema.objectValue?["properties"]?.objectValue?.keys.map { $0 } ?? [])
    }
}

/// What a tool answers: a JSON document for programs (`structuredContent`) and the same
/// answer as text for a person or a model reading it.
protocol ToolAnswer: Codable, Sendable {
    var text: String { get }
}
