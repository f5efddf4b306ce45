import Foundation
import PaperboyTesting
import Testing
@testable import PaperboyCore

/// Exports another Paperboy, or a reference manager, reads back to the same papers and tags.
struct LibraryExportTests {
    static let papers = [
        SamplePapers.arxiv("1706.03762"),
        SamplePapers.arxiv("1706.03763", version: 2),  // same authors, year and title: same citation key
        SamplePapers.doiOnly("10.1145/3292500.3330701", title: "A Study of Things"),
        SamplePapers.titleOnly("m&m's: A Benchmark to Evaluate Tool-Use for multi-step multi-modal Tasks"),
        SamplePapers.everyField,
    ]

    @Test func bibTeXCarriesTagsAsKeywordsAndReadsBack() {
        let tagged: [(paper: Paper, tags: [String])] = Self.papers.enumerated().map { offset, paper in
            (paper, offset == 0 ? ["to read", "MoE <script>"] : ["to read"])
        }
        let text = LibraryExport.bibTeX(tagged)
        #expect(text.contains("@misc{vaswani2017attentionneed,\n"))
        #expect(text.contains("@misc{vaswani2017attentionneeda,\n"), "a repeated citation key gets a letter")
        #expect(text.contains("      keywords={to read, MoE <script>},\n}\n"))

        let file = LibraryFile.read(text)
        #expect(file.problems.isEmpty)
        #expect(file.items.map(\.paper) == Self.papers.map(\.id))
        #expect(file.items.map(\.tags) == tagged.map(\.tags))
    }

    @Test func idListsGroupByTagAndReadBack() {
        let ids = Self.papers.map(\.id)
        let text = LibraryExport.idList([("to read", [ids[0], ids[2]]), ("MoE", [ids[0], ids[4]])])
        #expect(text == "# to read\n1706.03762\ndoi:10.1145/3292500.3330701\n\n# MoE\n1706.03762\n2401.01234\n")
        let file = LibraryFile.read(text)
        #expect(file.problems.isEmpty)
        #expect(file.items.map { "\($0.tags[0]): \($0.paper)" } ==
                ["to read: 1706.03762", "to read: doi:10.1145/3292500.3330701", "MoE: 1706.03762", "MoE: 2401.01234"])
    }

    @Test func citationKeySuffixesRunLikeBibTeXStyles() {
        #expect((1...3).map(LibraryExport.suffix) == ["a", "b", "c"])
        #expect(LibraryExport.suffix(26) == "z")
        #expect(LibraryExport.suffix(27) == "aa")
    }
}
