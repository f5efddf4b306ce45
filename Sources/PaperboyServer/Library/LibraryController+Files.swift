import Foundation
import Hummingbird
import Logging
import PaperboyCore

extension LibraryController {
    enum ExportFormat {
        case bibTeX, idList
    }

    /// `/library/export.bib` and `/library/export.txt`, the whole library or `?tag=`: a
    /// download another Paperboy (or a reference manager) reads back.
    func export(_ request: Request, as format: ExportFormat) async throws -> Response {
        let parameters = Parameters(request)
        guard let reader = try await access.reader(request) else {
            return Self.signInRedirect(returningTo: request.uri.string)
        }
        let tag = try parameters.string("tag").map { try Self.tag($0, default: .toRead) }
        let library = try await access.store.library(of: reader)
        // Tags in the order they were first used; within a tag, oldest save first.
        var tags = library.tags
        if let tag {
            tags = tags.filter { LibraryTag.key(of: $0.tag) == tag.key }
            guard !tags.isEmpty else { throw HTTPError(.notFound, message: "There is no tag \(tag.name) in your library.") }
        }
        let text: String
        switch format {
        case .idList:
            text = LibraryExport.idList(tags)
        case .bibTeX:
            let wanted = Set(tags.map(\.tag))
            let entries = library.tagsByPaper.compactMap { entry -> (PaperID, [String])? in
                let kept = entry.tags.filter(wanted.contains)
                return kept.isEmpty ? nil : (entry.paper, kept)
            }
            let papers = try await catalog.store.papers(ids: entries.map(\.0))
            text = LibraryExport.bibTeX(entries.compactMap { id, tags -> (paper: Paper, tags: [String])? in
                papers[id].map { (paper: $0, tags: tags) }
            })
        }
        let base = "paperboy-" + (tag.map { Self.fileName($0.name) } ?? "library")
        let (type, suffix) = format == .bibTeX ? ("application/x-bibtex", "bib") : ("text/plain", "txt")
        return Response(status: .ok,
                        headers: [.contentType: "\(type); charset=utf-8", .cacheControl: "no-store",
                                  .contentDisposition: "attachment; filename=\"\(base).\(suffix)\"",
                                  .xContentTypeOptions: "nosniff"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `POST /library/import`: a file (`file`) or pasted text (`text`), BibTeX or ids, into
    /// `tag`, keeping the file's own tags when `keepTags` is on; then a page of what was
    /// imported and what was skipped, line by line.
    func importFile(_ request: Request, logger: Logger) async throws -> Response {
        guard let reader = try await access.reader(request) else { return Self.signInRedirect(returningTo: "/library") }
        let form = try await FormBody.read(request, limit: Self.maxImportBytes)
        let tag = try Self.tag(form["tag"], default: .toRead)
        let upload = [form["file"], form["text"]].compactMap { $0 }.first { !$0.trimmingWhitespace.isEmpty }
        guard var text = upload else {
            throw ParameterError("file", "choose a BibTeX or id-list file, or paste its text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let keepingFileTags = form["keepTags"].map { !$0.isEmpty && $0 != "off" } ?? false
        let report = try await LibraryImporter(store: access.store)
            .importText(text, for: reader, into: tag, keepingFileTags: keepingFileTags, at: Date())
        logger.info("library import", metadata: ["reader": "\(reader)", "imported": "\(report.imported.count)",
                                                 "skipped": "\(report.skipped.count)"])
        let papers = try await catalog.store.papers(ids: report.imported.map(\.paper))
        return try page("library-import", [
            "csrf": access.csrf(request),
            "navLibrary": true,
            "added": report.imported.filter { !$0.wasSaved }.count,
            "already": report.imported.filter(\.wasSaved).count,
            "imported": report.imported.map { item -> [String: Any] in
                ["line": item.line, "id": item.paper.rawValue, "title": papers[item.paper]?.title ?? item.paper.rawValue,
                 "url": PageModels.paperPath(item.paper), "tag": item.tag, "tagURL": Self.tagPath(item.tag),
                 "wasSaved": item.wasSaved]
            },
            "hasImported": !report.imported.isEmpty,
            "skipped": report.skipped.map { ["line": $0.line, "reason": $0.reason] },
            "hasSkipped": !report.skipped.isEmpty,
        ])
    }

    /// A tag as a download's file name: ASCII letters, digits and dashes.
    static func fileName(_ tag: String) -> String {
        let cleaned = tag.unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "-" }
        let name = String(cleaned).split(separator: "-").joined(separator: "-").lowercased()
        return name.isEmpty ? "tag" : name
    }
}
