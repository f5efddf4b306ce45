import Foundation
import MCP
import PaperboyServer

/// Every tool over one catalog, and the one place a call becomes an answer or a tool error.
public struct Toolbox: Sendable {
    let tools: [any PaperboyTool]

    /// `shelf` is the reader whose library the `library` tool shows; nil when none was named.
    public init(catalog: PaperCatalog, shelf: ReaderShelf?) {
        tools = [SearchTool(catalog: catalog), GetPaperTool(catalog: catalog), SimilarPapersTool(catalog: catalog),
                 DailyPapersTool(catalog: catalog), TrendingPapersTool(catalog: catalog), LibraryTool(catalog: catalog, shelf: shelf)]
    }

    var definitions: [Tool] { tools.map(\.definition) }

    /// Runs the tool `name`. A mistake the assistant can fix (a bad argument, an unknown id)
    /// is a result marked as an error, so the model sees it; an unknown tool is a protocol error.
    func call(_ name: String, _ arguments: [String: Value]) async throws -> CallTool.Result {
        guard let tool = tools.first(where: { $0.definition.name == name }) else {
            throw MCPError.invalidParams("Unknown tool: \(name)")
        }
        do {
            let answer = try await tool.call(try ToolArguments(arguments, accepted: tool.argumentNames))
            return try ToolResult.success(answer)
        } catch let error as ParameterError {
            return ToolResult.failure("Invalid argument \(error.description).")
        } catch let error as ToolFailure {
            return ToolResult.failure(error.description)
        } catch {
            return ToolResult.failure("\(name) failed: \(error)")
        }
    }
}

/// Answers as the protocol carries them.
enum ToolResult {
    static func success(_ answer: any ToolAnswer) throws -> CallTool.Result {
        try CallTool.Result(content: [.text(text: answer.text, annotations: nil, _meta: nil)], structuredContent: answer)
    }

    static func failure(_ message: String) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }
}
