import Testing
@testable import PaperboyCore

@Test func arxivIdentifierDropsVersionAndPrefixes() {
    let forms = ["2104.12255v1", "arXiv:2104.12255", "http://arxiv.org/abs/2104.12255v3", "https://arxiv.org/pdf/2104.12255v2.pdf", "oai:arXiv.org:2104.12255"]
    for form in forms {
        #expect(ArxivIdentifier(form)?.id == "2104.12255", "\(form)")
    }
    #expect(ArxivIdentifier("2104.12255v3")?.version == 3)
    #expect(ArxivIdentifier("2104.12255")?.version == nil)
}

@Test func oldStyleArxivIdsKeepArchiveAndDropSubjectClass() {
    #expect(ArxivIdentifier("hep-th/9901001v2")?.id == "hep-th/9901001")
    #expect(ArxivIdentifier("http://arxiv.org/abs/astro-ph/0601001v1")?.id == "astro-ph/0601001")
    #expect(ArxivIdentifier("math.GT/0309136")?.id == "math/0309136")
    #expect(ArxivIdentifier("0704.0001")?.id == "0704.0001")
}

@Test func malformedArxivIdsAreRefused() {
    for text in ["abc", "0000.0000", "2413.01234", "1234.567", "HEP-TH/9901001", "hep-th/99", "", "2104.12255v"] {
        #expect(ArxivIdentifier(text) == nil, "\(text)")
    }
}

@Test func paperIDParsesEveryCanonicalForm() throws {
    #expect(PaperID("2401.01234v2")?.rawValue == "2401.01234")
    #expect(PaperID("doi:10.1103/PhysRevD.76.013009")?.rawValue == "doi:10.1103/physrevd.76.013009")
    #expect(PaperID("10.1103/PhysRevD.76.013009")?.kind == .doi)
    let titleID = try #require(PaperID(title: "Attention Is All You Need"))
    #expect(titleID.kind == .title)
    #expect(PaperID(titleID.rawValue) == titleID)
    #expect(PaperID("title:xyz") == nil)
    #expect(PaperID("not an id") == nil)
}

@Test func titleIdsIgnoreCaseAccentsPunctuationAndTeX() {
    let forms = ["Fr\\'echet Inception Distance", "Fréchet inception distance", "FRECHET: Inception  Distance!", "{Fr\\'{e}chet} Inception\nDistance"]
    let ids = Set(forms.compactMap { PaperID(title: $0) })
    #expect(ids.count == 1)
    #expect(TitleKey.normalize("Fr\\'echet Inception Distance") == "frechet inception distance")
    #expect(PaperID(title: "Frechet Inception Divergence") != PaperID(title: "Frechet Inception Distance"))
    #expect(PaperID(title: "  ?! ") == nil)
}

@Test func titleIdIsStableAcrossReleases() {
    // The id is part of stored data and URLs: it must never change.
    #expect(PaperID(title: "Attention Is All You Need")?.rawValue == "title:" + String(SHA256.hex(Array("attention is all you need".utf8)).prefix(16)))
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
}

@Test func doiIsNormalizedLowercaseWithoutResolver() {
    #expect(DOI.normalize("https://doi.org/10.1142/S021797921244002X") == "10.1142/s021797921244002x")
    #expect(DOI.normalize("doi:10.1016/j.patrec.2014.01.002") == "10.1016/j.patrec.2014.01.002")
    #expect(DOI.normalize("11.1/x") == nil)
    #expect(DOI.normalize("10.1/has space") == nil)
}

@Test func plainIdsTakeTheFastPathWithTheSameAnswers() {
    let cases: [(String, String?, Int?)] = [
        ("0704.0001", "0704.0001", nil), ("2401.01234v12", "2401.01234", 12), ("2401.01234v0", nil, nil),
        ("2413.01234", nil, nil), ("2401.012345", nil, nil), ("2401.0123", "2401.0123", nil), ("2401.01234x", nil, nil),
        ("2401.01234v", nil, nil), (" 2401.01234 ", "2401.01234", nil),
    ]
    for (text, id, version) in cases {
        #expect(ArxivIdentifier(text)?.id == id, "\(text)")
        #expect(ArxivIdentifier(text)?.version == version, "\(text)")
    }
}
