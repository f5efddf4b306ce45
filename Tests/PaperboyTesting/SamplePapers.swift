import Foundation
import PaperboyCore

/// Papers built in code for store tests and benchmarks: records of every shape a source
/// yields (arXiv with all fields, title-only, DOI-only), and a deterministic generator of many
/// distinct papers.
public enum SamplePapers {
    /// An instant given as UTC `yyyy-MM-dd'T'HH:mm:ss`, for readable test data.
    public static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text + "Z") else {
            preconditionFailure("not a UTC date-time: \(text)")
        }
        return date
    }

    /// An arXiv id; traps on a malformed one, since test data is written by hand.
    public static func arxivID(_ text: String) -> PaperID {
        guard let id = PaperID(text), id.kind == .arxiv else { preconditionFailure("not an arXiv id: \(text)") }
        return id
    }

    /// A record as the arXiv API gives it, every field but upvotes and code filled.
    public static func arxiv(
        _ id: String, version: Int = 1, title: String = "Attention Is All You Need",
        abstract: String = "The dominant sequence transduction models are based on complex recurrent networks.",
        categories: [String] = ["cs.CL", "cs.LG"], published: Date? = date("2017-06-12T17:57:34"),
        doi: String? = nil, source: PaperSource = .arxivAPI
    ) -> Paper {
        Paper(
            id: arxivID(id), title: title, abstract: abstract,
            authors: [Author(name: "Ashish Vaswani", affiliation: "Google Brain"), Author(name: "Noam Shazeer")],
            categories: categories, published: published,
            updated: published.map { $0.addingTimeInterval(Double(version - 1) * 86_400) },
            version: version, doi: doi, journalRef: nil, comments: "15 pages, 5 figures",
            links: Links(abstract: "https://arxiv.org/abs/\(id)v\(version)", pdf: "https://arxiv.org/pdf/\(id)v\(version)"),
            sources: [source])
    }

    /// A record as a Hugging Face papers page gives it: title, abstract and upvotes, no
    /// identifier but the title.
    public static func titleOnly(_ title: String, abstract: String = "", upvotes: Int? = nil, code: String? = nil) -> Paper {
        guard let id = PaperID(title: title) else { preconditionFailure("title without words: \(title)") }
        return Paper(id: id, title: title, abstract: abstract, links: Links(code: code), upvotes: upvotes, sources: [.hfPage])
    }

    /// A record known by its DOI only, as a journal listing gives it.
    public static func doiOnly(_ doi: String, title: String, journalRef: String? = nil) -> Paper {
        guard let id = PaperID(doi: doi) else { preconditionFailure("not a DOI: \(doi)") }
        return Paper(id: id, title: title, doi: doi, journalRef: journalRef, sources: [.oaiDublinCore])
    }

    /// A record that uses every field, with text that tests escaping and Unicode: quotes,
    /// backslashes and TeX in the title, accents and a non-BMP character in author names.
    public static var everyField: Paper {
        Paper(
            id: arxivID("2401.01234"),
            title: #"On the "$\alpha$-Fréchet" distance \& its \textit{limits} 🚀"#,
            abstract: "We study the Fréchet distance.\nIt is \"hard\" to compute in general; see C:\\path.",
            authors: [
                Author(name: "Zoë Ångström", affiliation: "Universität Zürich"),
                Author(name: #"J. "Jay" O'Brien\Jr"#),
                Author(name: "李 华", affiliation: "𝔘𝔫𝔦𝔳𝔢𝔯𝔰𝔦𝔱𝔶 \t of Tabs"),
            ],
            categories: ["math.MG", "cs.CG", "math.PR"],
            published: date("2024-01-03T18:59:59").addingTimeInterval(0.75),
            updated: date("2024-02-10T09:30:00"),
            version: 3, doi: "10.1007/S00454-024-00001-X", journalRef: "Discrete Comput. Geom. 71 (2024) 1–30",
            comments: "30 pages; v3: fixed Lemma 2",
            links: Links(abstract: "https://arxiv.org/abs/2401.01234v3", pdf: "https://arxiv.org/pdf/2401.01234v3",
                         code: "https://github.com/example/frechet"),
            upvotes: 17, sources: [.arxivAPI, .hfPage])
    }

    /// `count` distinct papers shaped like arXiv records (about 1 KB of abstract, three to six
    /// authors, one to three categories, a DOI on every third), the same for the same
    /// arguments. `offset` starts the sequence further on, for a second disjoint set.
    public static func generated(count: Int, offset: Int = 0) -> [Paper] {
        (offset..<(offset + count)).map(generated)
    }

    /// The `index`-th generated paper.
    public static func generated(_ index: Int) -> Paper {
        let perMonth = 99_999
        let month = index / perMonth
        let id = String(format: "%02d%02d.%05d", 20 + month / 12, 1 + month % 12, 1 + index % perMonth)
        var random = SplitMix64(seed: UInt64(index))
        let words = generatedWords
        func phrase(_ length: Int) -> String {
            (0..<length).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
        }
        let title = "\(capitalized(phrase(6))) \(index)"
        let abstract = (0..<8).map { _ in capitalized(phrase(18)) + "." }.joined(separator: " ")
        let authors = (0..<(3 + Int(random.next() % 4))).map { _ in
            Author(name: "\(capitalized(phrase(1))) \(capitalized(phrase(1)))",
                   affiliation: random.next() % 3 == 0 ? "University of \(capitalized(phrase(1)))" : nil)
        }
        var categories: [String] = []
        for _ in 0..<(1 + Int(random.next() % 3)) {
            let category = generatedCategories[Int(random.next() % UInt64(generatedCategories.count))]
            if !categories.contains(category) { categories.append(category) }
        }
        let published = Date(timeIntervalSince1970: 1_577_836_800 + Double(index) * 600)
        return Paper(
            id: arxivID(id), title: title, abstract: abstract, authors: authors, categories: categories,
            published: published, updated: published, version: 1 + Int(random.next() % 3),
            doi: index % 3 == 0 ? "10.5555/gen.\(index)" : nil, comments: random.next() % 2 == 0 ? "\(index % 40 + 4) pages" : nil,
            sources: [.arxivSnapshot])
    }

    /// `text` with its first letter uppercased (Foundation's `capitalized` is slow on Linux).
    private static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    private static let generatedWords = """
        learning neural network graph model data attention transformer quantum field theory \
        optimal transport sparse dense retrieval language vision robust adversarial training \
        inference bayesian causal manifold spectral kernel diffusion energy lattice gauge string \
        entropy estimator convergence stochastic gradient descent boundary operator symmetry
        """.split(separator: " ").map(String.init)

    private static let generatedCategories = [
        "cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "math.OC", "math.PR", "hep-th", "quant-ph", "cond-mat.stat-mech",
    ]
}

/// A tiny deterministic random number generator (SplitMix64), so generated papers and random
/// waits in tests are the same on every run and platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
