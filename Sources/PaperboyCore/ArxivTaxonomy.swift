/// arXiv's subject classification: every category arXiv lists today (arxiv.org/category_taxonomy)
/// with its name, the aliases it keeps in pairs (`math.MP` = `math-ph`), the archive-level codes
/// older papers carry (`astro-ph`), and the archives merged away in the 1990s (`alg-geom`).
///
/// Importers need it both ways: OAI-PMH Dublin Core writes full names ("Computer Science -
/// Machine Learning") where Paperboy keeps codes (`cs.LG`), and subject lists mix arXiv
/// categories with MSC and ACM classes that are not arXiv categories and must be told apart.
public enum ArxivTaxonomy {
    /// One arXiv category.
    public struct Category: Hashable, Sendable {
        /// `cs.LG`, `hep-th`, `cond-mat.str-el`.
        public let code: String
        /// The name within its archive: "Machine Learning"; for a one-category archive, the
        /// archive's name: "High Energy Physics - Theory".
        public let name: String
        /// The name as arXiv's OAI-PMH Dublin Core writes it: "Computer Science - Machine Learning".
        public let fullName: String
        /// For an alias or a retired archive, the code arXiv files it under now (`math.MP` →
        /// `math-ph`, `alg-geom` → `math.AG`); nil for a canonical category.
        public let canonicalCode: String?
        /// Whether arXiv still accepts new papers under this code (aliases included).
        public let isActive: Bool

        /// The archive: the code before its first dot (`cs`, `cond-mat`, `hep-th`).
        public var archive: String { String(code.split(separator: ".", maxSplits: 1).first ?? "") }
    }

    /// Every category, in arXiv's order: archive by archive, then the retired archives.
    public static let categories: [Category] = buildCategories()

    private static let byCode: [String: Category] = Dictionary(
        categories.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    private static let byName: [String: String] = Dictionary(
        categories.map { (nameKey($0.fullName), $0.code) }, uniquingKeysWith: { first, _ in first })
    private static let byExactName: [String: String] = Dictionary(
        categories.map { ($0.fullName, $0.code) }, uniquingKeysWith: { first, _ in first })

    /// The category with this code (case-sensitive, as arXiv writes codes).
    public static func category(_ code: String) -> Category? { byCode[code] }

    /// Whether `code` is an arXiv category code, current, alias or retired.
    public static func isKnown(_ code: String) -> Bool { byCode[code] != nil }

    /// The full name of a code ("Computer Science - Machine Learning").
    public static func name(of code: String) -> String? { byCode[code]?.fullName }

    /// The code a full name stands for, ignoring case and spacing: "Computer Science - Machine
    /// Learning" → `cs.LG`, "Quantum Physics" → `quant-ph`; nil for anything else (MSC or ACM
    /// classes such as "40-01, 65B10" or "I.2.6").
    public static func code(forName name: String) -> String? { byExactName[name] ?? byName[nameKey(name)] }

    /// Whether `text` has the shape of an arXiv category code (`cs.LG`, `hep-th`,
    /// `cond-mat.mes-hall`), known or not: a lowercase archive, optionally `.` and a subject
    /// class. MSC (`68T05`) and ACM (`I.2.6`) classes do not.
    public static func looksLikeCode(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let archive = parts.first, let first = archive.first,
              first.isASCII, first.isLowercase,
              archive.allSatisfy({ $0 == "-" || ($0.isASCII && $0.isLowercase) }) else { return false }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].allSatisfy { $0 == "-" || ($0.isASCII && $0.isLetter) }
    }

    private static func nameKey(_ name: String) -> String { name.collapsingWhitespace.lowercased() }

    // MARK: The table

    /// Archives whose categories are named "<archive name> - <category name>".
    private static let archiveNames: [(code: String, name: String)] = [
        ("cs", "Computer Science"), ("econ", "Economics"), ("eess", "Electrical Engineering and Systems Science"),
        ("math", "Mathematics"), ("astro-ph", "Astrophysics"), ("cond-mat", "Condensed Matter"),
        ("nlin", "Nonlinear Sciences"), ("physics", "Physics"), ("q-bio", "Quantitative Biology"),
        ("q-fin", "Quantitative Finance"), ("stat", "Statistics"),
    ]

    /// Code, name, and for aliases the canonical code (arXiv's pairs: the second is canonical).
    private static let current: [(String, String, String?)] = [
        ("cs.AI", "Artificial Intelligence", nil), ("cs.AR", "Hardware Architecture", nil),
        ("cs.CC", "Computational Complexity", nil), ("cs.CE", "Computational Engineering, Finance, and Science", nil),
        ("cs.CG", "Computational Geometry", nil), ("cs.CL", "Computation and Language", nil),
        ("cs.CR", "Cryptography and Security", nil), ("cs.CV", "Computer Vision and Pattern Recognition", nil),
        ("cs.CY", "Computers and Society", nil), ("cs.DB", "Databases", nil),
        ("cs.DC", "Distributed, Parallel, and Cluster Computing", nil), ("cs.DL", "Digital Libraries", nil),
        ("cs.DM", "Discrete Mathematics", nil), ("cs.DS", "Data Structures and Algorithms", nil),
        ("cs.ET", "Emerging Technologies", nil), ("cs.FL", "Formal Languages and Automata Theory", nil),
        ("cs.GL", "General Literature", nil), ("cs.GR", "Graphics", nil),
        ("cs.GT", "Computer Science and Game Theory", nil), ("cs.HC", "Human-Computer Interaction", nil),
        ("cs.IR", "Information Retrieval", nil), ("cs.IT", "Information Theory", nil),
        ("cs.LG", "Machine Learning", nil), ("cs.LO", "Logic in Computer Science", nil),
        ("cs.MA", "Multiagent Systems", nil), ("cs.MM", "Multimedia", nil),
        ("cs.MS", "Mathematical Software", nil), ("cs.NA", "Numerical Analysis", "math.NA"),
        ("cs.NE", "Neural and Evolutionary Computing", nil), ("cs.NI", "Networking and Internet Architecture", nil),
        ("cs.OH", "Other Computer Science", nil), ("cs.OS", "Operating Systems", nil),
        ("cs.PF", "Performance", nil), ("cs.PL", "Programming Languages", nil),
        ("cs.RO", "Robotics", nil), ("cs.SC", "Symbolic Computation", nil),
        ("cs.SD", "Sound", nil), ("cs.SE", "Software Engineering", nil),
        ("cs.SI", "Social and Information Networks", nil), ("cs.SY", "Systems and Control", "eess.SY"),
        ("econ.EM", "Econometrics", nil), ("econ.GN", "General Economics", nil),
        ("econ.TH", "Theoretical Economics", nil),
        ("eess.AS", "Audio and Speech Processing", nil), ("eess.IV", "Image and Video Processing", nil),
        ("eess.SP", "Signal Processing", nil), ("eess.SY", "Systems and Control", nil),
        ("math.AC", "Commutative Algebra", nil), ("math.AG", "Algebraic Geometry", nil),
        ("math.AP", "Analysis of PDEs", nil), ("math.AT", "Algebraic Topology", nil),
        ("math.CA", "Classical Analysis and ODEs", nil), ("math.CO", "Combinatorics", nil),
        ("math.CT", "Category Theory", nil), ("math.CV", "Complex Variables", nil),
        ("math.DG", "Differential Geometry", nil), ("math.DS", "Dynamical Systems", nil),
        ("math.FA", "Functional Analysis", nil), ("math.GM", "General Mathematics", nil),
        ("math.GN", "General Topology", nil), ("math.GR", "Group Theory", nil),
        ("math.GT", "Geometric Topology", nil), ("math.HO", "History and Overview", nil),
        ("math.IT", "Information Theory", "cs.IT"), ("math.KT", "K-Theory and Homology", nil),
        ("math.LO", "Logic", nil), ("math.MG", "Metric Geometry", nil),
        ("math.MP", "Mathematical Physics", "math-ph"), ("math.NA", "Numerical Analysis", nil),
        ("math.NT", "Number Theory", nil), ("math.OA", "Operator Algebras", nil),
        ("math.OC", "Optimization and Control", nil), ("math.PR", "Probability", nil),
        ("math.QA", "Quantum Algebra", nil), ("math.RA", "Rings and Algebras", nil),
        ("math.RT", "Representation Theory", nil), ("math.SG", "Symplectic Geometry", nil),
        ("math.SP", "Spectral Theory", nil), ("math.ST", "Statistics Theory", "stat.TH"),
        ("astro-ph", "Astrophysics", nil),
        ("astro-ph.CO", "Cosmology and Nongalactic Astrophysics", nil),
        ("astro-ph.EP", "Earth and Planetary Astrophysics", nil), ("astro-ph.GA", "Astrophysics of Galaxies", nil),
        ("astro-ph.HE", "High Energy Astrophysical Phenomena", nil),
        ("astro-ph.IM", "Instrumentation and Methods for Astrophysics", nil),
        ("astro-ph.SR", "Solar and Stellar Astrophysics", nil),
        ("cond-mat", "Condensed Matter", nil),
        ("cond-mat.dis-nn", "Disordered Systems and Neural Networks", nil),
        ("cond-mat.mes-hall", "Mesoscale and Nanoscale Physics", nil),
        ("cond-mat.mtrl-sci", "Materials Science", nil), ("cond-mat.other", "Other Condensed Matter", nil),
        ("cond-mat.quant-gas", "Quantum Gases", nil), ("cond-mat.soft", "Soft Condensed Matter", nil),
        ("cond-mat.stat-mech", "Statistical Mechanics", nil), ("cond-mat.str-el", "Strongly Correlated Electrons", nil),
        ("cond-mat.supr-con", "Superconductivity", nil),
        ("gr-qc", "General Relativity and Quantum Cosmology", nil),
        ("hep-ex", "High Energy Physics - Experiment", nil), ("hep-lat", "High Energy Physics - Lattice", nil),
        ("hep-ph", "High Energy Physics - Phenomenology", nil), ("hep-th", "High Energy Physics - Theory", nil),
        ("math-ph", "Mathematical Physics", nil),
        ("nlin.AO", "Adaptation and Self-Organizing Systems", nil), ("nlin.CD", "Chaotic Dynamics", nil),
        ("nlin.CG", "Cellular Automata and Lattice Gases", nil), ("nlin.PS", "Pattern Formation and Solitons", nil),
        ("nlin.SI", "Exactly Solvable and Integrable Systems", nil),
        ("nucl-ex", "Nuclear Experiment", nil), ("nucl-th", "Nuclear Theory", nil),
        ("physics.acc-ph", "Accelerator Physics", nil), ("physics.ao-ph", "Atmospheric and Oceanic Physics", nil),
        ("physics.app-ph", "Applied Physics", nil), ("physics.atm-clus", "Atomic and Molecular Clusters", nil),
        ("physics.atom-ph", "Atomic Physics", nil), ("physics.bio-ph", "Biological Physics", nil),
        ("physics.chem-ph", "Chemical Physics", nil), ("physics.class-ph", "Classical Physics", nil),
        ("physics.comp-ph", "Computational Physics", nil),
        ("physics.data-an", "Data Analysis, Statistics and Probability", nil),
        ("physics.ed-ph", "Physics Education", nil), ("physics.flu-dyn", "Fluid Dynamics", nil),
        ("physics.gen-ph", "General Physics", nil), ("physics.geo-ph", "Geophysics", nil),
        ("physics.hist-ph", "History and Philosophy of Physics", nil),
        ("physics.ins-det", "Instrumentation and Detectors", nil), ("physics.med-ph", "Medical Physics", nil),
        ("physics.optics", "Optics", nil), ("physics.plasm-ph", "Plasma Physics", nil),
        ("physics.pop-ph", "Popular Physics", nil), ("physics.soc-ph", "Physics and Society", nil),
        ("physics.space-ph", "Space Physics", nil),
        ("quant-ph", "Quantum Physics", nil),
        ("q-bio", "Quantitative Biology", nil),
        ("q-bio.BM", "Biomolecules", nil), ("q-bio.CB", "Cell Behavior", nil), ("q-bio.GN", "Genomics", nil),
        ("q-bio.MN", "Molecular Networks", nil), ("q-bio.NC", "Neurons and Cognition", nil),
        ("q-bio.OT", "Other Quantitative Biology", nil), ("q-bio.PE", "Populations and Evolution", nil),
        ("q-bio.QM", "Quantitative Methods", nil), ("q-bio.SC", "Subcellular Processes", nil),
        ("q-bio.TO", "Tissues and Organs", nil),
        ("q-fin.CP", "Computational Finance", nil), ("q-fin.EC", "Economics", "econ.GN"),
        ("q-fin.GN", "General Finance", nil), ("q-fin.MF", "Mathematical Finance", nil),
        ("q-fin.PM", "Portfolio Management", nil), ("q-fin.PR", "Pricing of Securities", nil),
        ("q-fin.RM", "Risk Management", nil), ("q-fin.ST", "Statistical Finance", nil),
        ("q-fin.TR", "Trading and Market Microstructure", nil),
        ("stat.AP", "Applications", nil), ("stat.CO", "Computation", nil), ("stat.ME", "Methodology", nil),
        ("stat.ML", "Machine Learning", nil), ("stat.OT", "Other Statistics", nil),
        ("stat.TH", "Statistics Theory", nil),
    ]

    /// Archives arXiv closed and merged into today's categories; old papers still carry them.
    private static let retired: [(String, String, String)] = [
        ("acc-phys", "Accelerator Physics", "physics.acc-ph"),
        ("adap-org", "Adaptation, Noise, and Self-Organizing Systems", "nlin.AO"),
        ("alg-geom", "Algebraic Geometry", "math.AG"),
        ("ao-sci", "Atmospheric-Oceanic Sciences", "physics.ao-ph"),
        ("atom-ph", "Atomic, Molecular and Optical Physics", "physics.atom-ph"),
        ("bayes-an", "Bayesian Analysis", "physics.data-an"),
        ("chao-dyn", "Chaotic Dynamics", "nlin.CD"),
        ("chem-ph", "Chemical Physics", "physics.chem-ph"),
        ("cmp-lg", "Computation and Language", "cs.CL"),
        ("comp-gas", "Cellular Automata and Lattice Gases", "nlin.CG"),
        ("dg-ga", "Differential Geometry", "math.DG"),
        ("funct-an", "Functional Analysis", "math.FA"),
        ("mtrl-th", "Materials Theory", "cond-mat.mtrl-sci"),
        ("patt-sol", "Pattern Formation and Solitons", "nlin.PS"),
        ("plasm-ph", "Plasma Physics", "physics.plasm-ph"),
        ("q-alg", "Quantum Algebra and Topology", "math.QA"),
        ("solv-int", "Exactly Solvable and Integrable Systems", "nlin.SI"),
        ("supr-con", "Superconductivity", "cond-mat.supr-con"),
    ]

    private static func buildCategories() -> [Category] {
        let archives = Dictionary(archiveNames.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let live = current.map { code, name, canonical in
            let archive = String(code.split(separator: ".", maxSplits: 1).first ?? "")
            let fullName = code.contains(".") ? "\(archives[archive] ?? archive) - \(name)" : name
            return Category(code: code, name: name, fullName: fullName, canonicalCode: canonical, isActive: true)
        }
        let closed = retired.map { code, name, successor in
            Category(code: code, name: name, fullName: name, canonicalCode: successor, isActive: false)
        }
        return live + closed
    }
}
