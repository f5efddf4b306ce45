import Foundation
import Testing
@testable import PaperboyCore

private func paper(_ id: String, title: String = "Sparse Mixtures of Experts", abstract: String = "We route tokens.",
                   version: Int? = nil, source: PaperSource = .arxivAPI, upvotes: Int? = nil, code: String? = nil,
                   published: Date? = nil) -> Paper {
    Paper(id: PaperID(id) ?? PaperID(title: title)!, title: title, abstract: abstract, authors: [Author(name: "Ada Lovelace")],
          categories: ["cs.LG"], published: published, version: version, links: Links(code: code), upvotes: upvotes, sources: [source])
}

@Test func newerVersionWinsTheTextAndOlderNeverOverwrites() {
    let v1 = paper("2401.00001", abstract: "Old abstract.", version: 1)
    let v2 = paper("2401.00001", abstract: "New abstract.", version: 2)
    #expect(v1.merged(with: v2).abstract == "New abstract.")
    #expect(v2.merged(with: v1).abstract == "New abstract.")
    #expect(v2.merged(with: v1).version == 2)
}

@Test func olderRecordStillFillsMissingFields() {
    let v2 = paper("2401.00001", version: 2)
    let daily = paper("2401.00001", source: .hfDaily, upvotes: 42, code: "https://github.com/x/y")
    let merged = v2.merged(with: daily)
    #expect(merged.upvotes == 42)
    #expect(merged.links.code == "https://github.com/x/y")
    #expect(merged.version == 2)
    #expect(merged.sources == [.arxivAPI, .hfDaily])
}

@Test func mergeIsCommutativeAndIdempotent() {
    let day = Date(timeIntervalSince1970: 1_700_000_000)
    let records = [
        paper("2401.00001", abstract: "API text.", version: 2, published: day),
        paper("2401.00001", abstract: "Snapshot text.", version: 2, source: .arxivSnapshot, published: day.addingTimeInterval(-86400)),
        paper("2401.00001", abstract: "Daily text.", source: .hfDaily, upvotes: 7),
        paper("title:0000000000000000", abstract: "Page text.", source: .hfPage),
    ]
    for a in records {
        #expect(a.merged(with: a) == a)
        for b in records {
            #expect(a.merged(with: b) == b.merged(with: a))
            let ab = a.merged(with: b)
            #expect(ab.merged(with: a) == ab)
            #expect(ab.merged(with: b) == ab)
        }
    }
}

@Test func strongestIdSurvivesAMerge() {
    let page = paper("title:0000000000000000", source: .hfPage)
    let arxiv = paper("2401.00001", version: 1)
    #expect(page.merged(with: arxiv).id.rawValue == "2401.00001")
    #expect(arxiv.merged(with: page).id.rawValue == "2401.00001")
}

@Test func mergedDatesSpanBothRecordsAndUpvotesKeepTheHighest() {
    let early = Date(timeIntervalSince1970: 1_000), late = Date(timeIntervalSince1970: 2_000)
    var a = paper("2401.00001", version: 1, upvotes: 3, published: late)
    a.updated = early
    var b = paper("2401.00001", version: 1, source: .hfDaily, upvotes: 9, published: early)
    b.updated = late
    let merged = a.merged(with: b)
    #expect(merged.published == early)
    #expect(merged.updated == late)
    #expect(merged.upvotes == 9)
}

@Test func whitespaceIsCollapsedButTeXKept() {
    let p = Paper(id: PaperID("2401.00001")!, title: "  On $\\mathcal{O}(n^2)$\n  attention ", abstract: "a\n\tb", sources: [.arxivAPI])
    #expect(p.title == "On $\\mathcal{O}(n^2)$ attention")
    #expect(p.abstract == "a b")
}

@Test func validationNamesTheOffendingField() {
    var p = paper("2401.00001")
    #expect(p.validationProblem == nil)
    p.abstract = String(repeating: "x", count: 10 * 1024 * 1024)
    #expect(p.validationProblem?.contains("\"abstract\"") == true)
    p.abstract = ""
    p.title = ""
    #expect(p.validationProblem == "field \"title\" is empty")
}

@Test func authorListsSplitOnCommasAndAnd() {
    #expect(AuthorList.split("C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan") == ["C. Bal\\'azs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"])
    #expect(AuthorList.split("Ileana Streinu and Louis Theran") == ["Ileana Streinu", "Louis Theran"])
    #expect(AuthorList.split("A. Author (CERN, Geneva), B. Author, and C. Author") == ["A. Author", "B. Author", "C. Author"])
}

@Test func whitespaceNormalizationHandlesUnicodeSpacesAndControls() {
    #expect("  a\u{00A0}\u{2003}b\n\tc\u{3000} ".collapsingWhitespace == "a b c")
    #expect("\u{1}x\u{0}y".collapsingWhitespace == "x y")
    #expect("“quoted” – dash — é".collapsingWhitespace == "“quoted” – dash — é")
    #expect("  keep  inner\n spacing \u{2028}".trimmingWhitespace == "keep  inner\n spacing")
    #expect("   ".collapsingWhitespace == "")
    #expect("   ".trimmingWhitespace == "")
}
