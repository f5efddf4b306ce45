import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting
import Testing

/// Exports downloaded by one reader and imported by another, through the real routes.
struct LibraryImportExportTests {
    static let ada = ReaderID(rawValue: 1)

    /// Ada's library: three tags over six snapshot papers, one tag that needs escaping.
    static func adasLibrary(_ fixture: ServerFixture) async throws -> ReaderLibrary {
        let ids = (1...6).map { PaperID(String(format: "0704.%04d", $0))! }
        try await fixture.test(as: ada) { client in
            for (id, tag) in [(ids[0], "to read"), (ids[1], "to read"), (ids[2], "MoE"), (ids[0], "MoE"),
                              (ids[3], "<b>graphs</b> & more"), (ids[4], "to read"), (ids[5], "MoE")] {
                let response = try await client.postForm("/papers/\(id.rawValue)/save", [("tag", tag)])
                #expect(response.status == .seeOther)
            }
        }
        return try await fixture.store.library(of: ada)
    }

    @Test(arguments: ["bib", "txt"])
    func exportImportedByAnotherReaderRoundTripsExactly(_ format: String) async throws {
        let fixture = try await ServerFixture.fresh()
        let library = try await Self.adasLibrary(fixture)
        let exported = try await Application(router: try fixture.libraryRouter(as: Self.ada)).test(.router) { client in
            let response = try await client.get("/library/export.\(format)")
            #expect(response.status == .ok)
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"paperboy-library.\(format)\"")
            #expect(response.headers[.contentType]?.hasPrefix(format == "bib" ? "application/x-bibtex" : "text/plain") == true)
            return response.text
        }
        let grace = ReaderID(rawValue: format == "bib" ? 2 : 3)
        try await fixture.test(as: grace) { client in
            let response = try await client.postMultipart("/library/import",
                                                          fields: [("csrf", ServerFixture.csrfToken), ("tag", "to read"), ("keepTags", "on")],
                                                          file: ("file", "library.\(format)", exported))
            #expect(response.status == .ok)
            let page = response.text
            #expect(page.contains("\(library.saved.count) papers saved, 0 already in your library."))
            #expect(!page.contains("Skipped"))
        }
        let copy = try await fixture.store.library(of: grace)
        #expect(Set(LibraryStoreBehaviour.pairs(copy)) == Set(LibraryStoreBehaviour.pairs(library)))
        #expect(copy.saved.count == library.saved.count)
        #expect(try await fixture.store.tagSummaries(of: grace).map { "\($0.name): \($0.count)" }
                == ["<b>graphs</b> & more: 1", "MoE: 3", "to read: 3"])
    }

    @Test func aTagExportsAloneWithItsTagAsKeyword() async throws {
        let fixture = try await ServerFixture.fresh()
        _ = try await Self.adasLibrary(fixture)
        try await fixture.test(as: Self.ada) { client in
            let bib = try await client.get("/library/export.bib?tag=moe")
            #expect(bib.headers[.contentDisposition] == "attachment; filename=\"paperboy-moe.bib\"")
            let file = LibraryFile.read(bib.text)
            #expect(file.items.map(\.paper.rawValue) == ["0704.0001", "0704.0003", "0704.0006"])
            #expect(file.items.allSatisfy { $0.tags == ["MoE"] })
            let ids = try await client.get("/library/export.txt?tag=MoE").text
            #expect(ids == "# MoE\n0704.0003\n0704.0001\n0704.0006\n")
        }
    }

    @Test func unknownAndMalformedLinesAreReportedAndTheRestImported() async throws {
        let fixture = try await ServerFixture.fresh()
        let pasted = "# reading group\n2401.99999\narXiv:0704.0002v2\nnot-an-id\nhttps://arxiv.org/abs/0704.0004v1\n"
        try await fixture.test(as: Self.ada) { client in
            let response = try await client.postForm("/library/import", [("csrf", ServerFixture.csrfToken), ("text", pasted),
                                                                         ("tag", "inbox")])
            #expect(response.status == .ok)
            let page = response.text
            #expect(page.contains("2 papers saved, 0 already in your library."))
            #expect(page.contains("<li>line 2: 2401.99999 is not in this Paperboy</li>"))
            #expect(page.contains("<li>line 4: &quot;not-an-id&quot; is not an arXiv id</li>"))
            #expect(page.contains(#"line 3: <a href="/papers/0704.0002">"#))
            #expect(page.contains(#"under <a class="tag" href="/library/inbox">inbox</a>"#), "keepTags unchecked: the chosen tag")
        }
        #expect(try await fixture.store.tagSummaries(of: Self.ada).map(\.name) == ["inbox"])
    }

    @Test func anEmptyImportSaysWhatIsMissing() async throws {
        let fixture = try await ServerFixture.fresh()
        try await fixture.test(as: Self.ada) { client in
            let response = try await client.postMultipart("/library/import", fields: [("text", "  ")], file: ("file", "empty.bib", ""))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("file: choose a BibTeX or id-list file, or paste its text"))
        }
    }
}
