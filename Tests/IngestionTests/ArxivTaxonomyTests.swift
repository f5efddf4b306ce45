import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

/// Every `dc:subject` of the three real harvest pages, read once with our XML reader.
private let subjects: Result<[String], any Error> = Result { try readHarvestSubjects() }

private func harvestSubjects() throws -> [String] { try subjects.get() }

private func readHarvestSubjects() throws -> [String] {
    var subjects: [String] = []
    for page in 0..<3 {
        let bytes = try XMLTestSupport.fixture("fixtures/arxiv-oai-pmh/oai_dc_ListRecords_data_\(page).xml")
        var reader = XMLEventReader(source: DataByteSource(bytes))
        var inSubject = false
        var text = ""
        while let event = try reader.next() {
            switch event.kind {
            case .startElement(_, let name, _):
                inSubject = name == "subject"
                text = ""
            case .text(let content) where inSubject:
                text += content
            case .endElement(_, "subject"):
                subjects.append(text)
                inSubject = false
            default:
                break
            }
        }
    }
    return subjects
}

@Test func everyFullNameSubjectOfTheRealHarvestMapsToAKnownCode() throws {
    let subjects = try harvestSubjects()
    #expect(subjects.count > 4_000)
    let fullNames = Set(subjects.filter { $0.contains(" - ") })
    #expect(fullNames.count > 120)
    for name in fullNames {
        let code = ArxivTaxonomy.code(forName: name)
        #expect(code != nil, "\(name)")
        #expect(code.map(ArxivTaxonomy.isKnown) == true, "\(name)")
        #expect(code.flatMap(ArxivTaxonomy.name(of:)) == name)
    }
    // Archives with no subject classes are written by their name alone.
    let archives = ["Quantum Physics": "quant-ph", "General Relativity and Quantum Cosmology": "gr-qc",
                    "Mathematical Physics": "math-ph", "Nuclear Theory": "nucl-th", "Nuclear Experiment": "nucl-ex",
                    "Quantitative Biology": "q-bio"]
    for (name, code) in archives {
        #expect(subjects.contains(name))
        #expect(ArxivTaxonomy.code(forName: name) == code)
    }
}

@Test func subjectsThatAreNotArxivCategoriesMapToNothing() throws {
    let others = try harvestSubjects().filter { !$0.contains(" - ") && ArxivTaxonomy.code(forName: $0) == nil }
    #expect(others.contains("40-01, 65B10"))
    #expect(others.contains("I.2.6"))
    #expect(others.allSatisfy { !ArxivTaxonomy.looksLikeCode($0) })
    #expect(ArxivTaxonomy.code(forName: "Computer Science - Knitting") == nil)
}

@Test func namesAreMatchedIgnoringCaseAndSpacing() {
    #expect(ArxivTaxonomy.code(forName: "Computer Science - Machine Learning") == "cs.LG")
    #expect(ArxivTaxonomy.code(forName: "computer science -  machine\nlearning ") == "cs.LG")
    #expect(ArxivTaxonomy.code(forName: "Statistics - Machine Learning") == "stat.ML")
    #expect(ArxivTaxonomy.code(forName: "High Energy Physics - Theory") == "hep-th")
    #expect(ArxivTaxonomy.code(forName: "Condensed Matter - Strongly Correlated Electrons") == "cond-mat.str-el")
}

@Test func everyCodeAndFullNameIsUniqueAndRoundTrips() {
    let codes = ArxivTaxonomy.categories.map(\.code)
    #expect(Set(codes).count == codes.count)
    let names = ArxivTaxonomy.categories.map { $0.fullName.lowercased() }
    #expect(Set(names).count == names.count)
    for category in ArxivTaxonomy.categories {
        #expect(ArxivTaxonomy.code(forName: category.fullName) == category.code)
        #expect(ArxivTaxonomy.category(category.code) == category)
        #expect(ArxivTaxonomy.looksLikeCode(category.code), "\(category.code)")
    }
    #expect(ArxivTaxonomy.categories.count >= 170)
}

@Test func aliasesAndRetiredArchivesPointToCurrentCategories() {
    #expect(ArxivTaxonomy.category("math.MP")?.canonicalCode == "math-ph")
    #expect(ArxivTaxonomy.category("cs.SY")?.canonicalCode == "eess.SY")
    #expect(ArxivTaxonomy.category("alg-geom")?.canonicalCode == "math.AG")
    #expect(ArxivTaxonomy.category("alg-geom")?.isActive == false)
    for category in ArxivTaxonomy.categories {
        guard let canonical = category.canonicalCode else { continue }
        #expect(ArxivTaxonomy.category(canonical)?.canonicalCode == nil, "\(category.code) → \(canonical)")
    }
}

@Test func everyCategoryOfTheRealFeedsAndSnapshotIsKnown() throws {
    var codes = Set<String>()
    let snapshot = try String(contentsOf: Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"), encoding: .utf8)
    for line in snapshot.split(separator: "\n") {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        let categories = try #require(object?["categories"] as? String)
        codes.formUnion(categories.split(separator: " ").map(String.init))
    }
    for file in try Fixtures.sharedFiles(in: "fixtures/arxiv-api/xml", suffix: ".xml") {
        let (events, _) = try XMLTestSupport.read([UInt8](try Data(contentsOf: file)))
        for event in events {
            if case .startElement(_, "category", let attributes) = event.kind, let term = attributes["term"] { codes.insert(term) }
        }
    }
    #expect(codes.count > 80)
    #expect(codes.filter { !ArxivTaxonomy.isKnown($0) }.isEmpty)
}

@Test func codeShapesAreToldFromMSCAndACMClasses() {
    for code in ["cs.LG", "hep-th", "cond-mat.mes-hall", "astro-ph", "q-fin.TR", "physics.atm-clus"] {
        #expect(ArxivTaxonomy.looksLikeCode(code), "\(code)")
    }
    for other in ["68T05", "I.2.6", "F.m", "Primary 60G65", "", "cs.", "CS.LG", "cs.LG.x"] {
        #expect(!ArxivTaxonomy.looksLikeCode(other), "\(other)")
    }
    #expect(!ArxivTaxonomy.isKnown("cs.XX"))
    #expect(ArxivTaxonomy.name(of: "eess.IV") == "Electrical Engineering and Systems Science - Image and Video Processing")
}
