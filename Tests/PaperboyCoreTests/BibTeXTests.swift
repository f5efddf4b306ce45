import Foundation
import Testing
@testable import PaperboyCore

@Test func bibtexFollowsArxivsOwnExport() throws {
    var paper = Paper(
        id: try #require(PaperID("1706.03762v7")), title: "Attention Is All You Need",
        authors: [Author(name: "Ashish Vaswani"), Author(name: "Noam Shazeer")], categories: ["cs.CL", "cs.LG"],
        published: Date(timeIntervalSince1970: 1_497_312_000), version: 7, sources: [.arxivAPI])
    paper.updated = Date(timeIntervalSince1970: 1_690_848_000)  // 2023-08-01
    #expect(BibTeX.entry(for: paper) == """
        @misc{vaswani2023attentionneed,
              title={Attention Is All You Need},
              author={Ashish Vaswani and Noam Shazeer},
              year={2023},
              eprint={1706.03762},
              archivePrefix={arXiv},
              primaryClass={cs.CL},
              url={https://arxiv.org/abs/1706.03762},
        }

        """)
}

@Test func bibtexOfAPaperWithoutArxivIdCitesItsDOI() throws {
    let paper = Paper(id: try #require(PaperID(doi: "10.1145/3292500.3330701")), title: "A Study of Things",
                      authors: [Author(name: "Grace Hopper")], doi: "10.1145/3292500.3330701", sources: [.hfPage])
    let entry = BibTeX.entry(for: paper)
    #expect(entry.hasPrefix("@misc{hopperstudythings,"))
    #expect(entry.contains("doi={10.1145/3292500.3330701}"))
    #expect(entry.contains("url={https://doi.org/10.1145/3292500.3330701}"))
    #expect(!entry.contains("eprint"))
}

@Test func paperJSONIsDeterministic() throws {
    let paper = Paper(id: try #require(PaperID("2401.00001")), title: "T", sources: [.hfDaily, .arxivAPI, .hfPage, .oaiDublinCore])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(paper), as: UTF8.self)
    #expect(json.contains(#""sources":["hf-page","hf-daily","oai-dc","arxiv-api"]"#))
    #expect(try JSONDecoder().decode(Paper.self, from: Data(json.utf8)) == paper)
}
