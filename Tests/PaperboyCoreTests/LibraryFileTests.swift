import Foundation
import PaperboyTesting
import Testing
@testable import PaperboyCore

/// Reading library files: real papers cited the ways reference managers write them, and id
/// lists in every form readers paste.
struct LibraryFileTests {
    static let referenceManagerFile = Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/library/reference-manager.bib")

    @Test func referenceManagerEntriesFindTheirPapersWhereverTheIdIs() throws {
        let file = LibraryFile.read(try String(contentsOf: Self.referenceManagerFile, encoding: .utf8))
        #expect(file.items.map { "\($0.line) \($0.paper)" } == [
            "11 0704.0001",                    // eprint (quoted), beside a DOI
            "25 0704.0002",                    // journal = {arXiv preprint arXiv:…}
            "32 0704.0003",                    // url with a version
            "44 0704.0004",                    // arxiv.org url beside an arXiv DOI
            "54 0704.0005",                    // Mendeley's arxivId, with a version
            "63 doi:10.1103/physreva.75.043613",  // a DOI as a resolver URL, in parentheses
            "77 0704.0007",                    // eprint = {arXiv:…v2}
            "83 doi:10.1063/1.2975338",        // a journal DOI only
            "91 2401.99999",                   // a paper no store here holds
        ])
        #expect(file.problems.map(\.line) == [71, 97])
        #expect(file.problems[1].reason == "nokey has no arXiv id, DOI or title to find the paper by")
        #expect(file.items.first { $0.line == 32 }?.tags == ["Physics - General Physics"])
    }

    @Test func arxivIdsAreFoundInEveryFieldToolsUse() throws {
        func id(_ fields: [String: String]) -> String? {
            LibraryFile.paperID(of: BibTeXEntry(type: "misc", key: "k", fields: fields, line: 1))?.rawValue
        }
        #expect(id(["eprint": "hep-th/9901001v2"]) == "hep-th/9901001")
        #expect(id(["eprint": "arXiv:math.GT/0309136"]) == "math/0309136")
        #expect(id(["arxiv": "2401.01234v3"]) == "2401.01234")
        #expect(id(["url": "https://arxiv.org/pdf/2401.01234v2.pdf"]) == "2401.01234")
        #expect(id(["doi": "10.48550/arXiv.2401.01234"]) == "2401.01234")
        #expect(id(["journal": "arXiv preprint arXiv:1706.03762."]) == "1706.03762")
        #expect(id(["howpublished": "\\url{http://arxiv.org/abs/cond-mat/0102536v1}"]) == "cond-mat/0102536")
        #expect(id(["doi": "doi:10.1145/3292500.3330701"]) == "doi:10.1145/3292500.3330701")
        #expect(id(["title": "Attention Is {All} You Need"]) == PaperID(title: "Attention is all you need")?.rawValue)
        #expect(id(["note": "Read it twice"]) == nil)
    }

    @Test func idListsTakeEveryStyleOfId() {
        let file = LibraryFile.read("""
            # to read
            2401.01234
            arXiv:2401.05678v2
            https://arxiv.org/abs/2312.00001v3  Attention, revisited
            hep-th/9901001

            # MoE
            0704.0001, 0704.0002 ; 0704.0003
            doi:10.1145/3292500.3330701
            not-an-id at all
            #
            math.GT/0309136
            """)
        #expect(file.items.map { "\($0.line) \($0.paper) \($0.tags)" } == [
            "2 2401.01234 [\"to read\"]", "3 2401.05678 [\"to read\"]", "4 2312.00001 [\"to read\"]",
            "5 hep-th/9901001 [\"to read\"]", "8 0704.0001 [\"MoE\"]", "8 0704.0002 [\"MoE\"]", "8 0704.0003 [\"MoE\"]",
            "9 doi:10.1145/3292500.3330701 [\"MoE\"]", "12 math/0309136 []",
        ])
        #expect(file.problems == [LibraryFileProblem(line: 10, reason: "\"not-an-id\" is not an arXiv id")])
    }

    @Test func bibTeXIsToldFromAnIdListByContent() {
        #expect(LibraryFile.isBibTeX("% my papers\n  @Article{x, title={T}}"))
        #expect(LibraryFile.isBibTeX("@misc (x, title={T})"))
        #expect(!LibraryFile.isBibTeX("# @misc tag\n2401.01234\n"))
        #expect(!LibraryFile.isBibTeX("2401.01234 cites @misc{x} in its comments"))
    }
}
