/// A record being read by an XML importer: an Atom `<entry>`, an OAI-PMH `<record>`.
protocol XMLRecordDraft {
    init(line: Int, depth: Int)
    /// Where the record starts, for its rejection.
    var line: Int { get }
    /// The depth of the record element.
    var depth: Int { get }
    /// The first problem inside the record; the walker rejects the record for it.
    var problem: XMLSyntaxError? { get set }
    mutating func start(_ name: String, attributes: XMLAttributes, depth: Int)
    mutating func end(_ name: String, text: String, depth: Int)
}

/// Splits an XML document into records for an importer, the same way for every format:
/// checks the root element, opens a draft at each record element and feeds it what is inside,
/// and turns problems into rejections, of the record they spoil, or of the document when they
/// are outside any record. A fatal problem (truncation) rejects the open record with the
/// reason and ends the document; a record left unclosed is rejected when the next one starts.
/// The importer sees complete drafts and the elements outside records (paging, errors).
struct XMLRecordWalker<Draft: XMLRecordDraft> {
    enum Step {
        /// A complete record without problems.
        case record(Draft)
        case rejection(Rejection)
        /// An element outside any record.
        case start(localName: String, attributes: XMLAttributes, depth: Int, line: Int)
        case end(localName: String, text: String, depth: Int)
    }

    /// The name rejections carry.
    let file: String
    private let rootElement: String
    private let documentKind: String
    private let recordElement: String
    private let minimumRecordDepth: Int
    private var scanner: XMLRecordScanner
    private var draft: Draft?
    private var ready: [Step] = []
    private var finished = false
    private var stopped = false
    /// An unclosed record was rejected; the end tag that finally closes it is no news.
    private var unclosedRecordRejected = false

    /// - Parameters:
    ///   - documentKind: what the document should be, for the rejection of anything else
    ///     ("an Atom feed").
    ///   - minimumRecordDepth: the shallowest depth a record element can be at (2 for
    ///     `feed/entry`), so an element of the same name higher up is not taken for a record.
    init(source: any ByteSource, file: String, chunkSize: Int, rootElement: String, documentKind: String,
         recordElement: String, minimumRecordDepth: Int) {
        scanner = XMLRecordScanner(source: source, chunkSize: chunkSize)
        self.file = file
        self.rootElement = rootElement
        self.documentKind = documentKind
        self.recordElement = recordElement
        self.minimumRecordDepth = minimumRecordDepth
    }

    /// The next step, or nil at the end of the document; throws only when the source cannot be read.
    mutating func next() throws -> Step? {
        while true {
            if !ready.isEmpty { return ready.count == 1 ? ready.popLast() : ready.removeFirst() }
            if finished { return nil }
            guard let step = try scanner.next() else {
                finishDocument()
                continue
            }
            switch step {
            case .start(let name, let attributes, let depth, let line):
                start(name, attributes: attributes, depth: depth, line: line)
            case .end(let name, let text, let depth, _):
                end(name, text: text, depth: depth)
            case .problem(let problem):
                report(problem)
            }
        }
    }

    private mutating func start(_ name: String, attributes: XMLAttributes, depth: Int, line: Int) {
        if depth == 1, name != rootElement {
            reject(line, "not \(documentKind): the root element is <\(name)>, expected <\(rootElement)>")
            stopped = true
            finished = true
        } else if name == recordElement, depth >= minimumRecordDepth {
            if let open = draft {
                reject(open.line, "the <\(recordElement)> is not closed before the next one at line \(line)")
                unclosedRecordRejected = true
            }
            draft = Draft(line: line, depth: depth)
        } else if draft != nil {
            draft?.start(name, attributes: attributes, depth: depth)
        } else {
            ready.append(.start(localName: name, attributes: attributes, depth: depth, line: line))
        }
    }

    private mutating func end(_ name: String, text: String, depth: Int) {
        // `draft?.depth` rather than `if let`: copying a draft per element costs a retain and
        // a release of each of its fields.
        guard let recordDepth = draft?.depth else {
            ready.append(.end(localName: name, text: text, depth: depth))
            return
        }
        guard name == recordElement, depth == recordDepth, let open = draft else {
            draft?.end(name, text: text, depth: depth)
            return
        }
        draft = nil
        if let problem = open.problem {
            reject(open.line, problem.rejectionReason)
        } else {
            ready.append(.record(open))
        }
    }

    private mutating func report(_ problem: XMLSyntaxError) {
        if problem.isFatal {
            stopped = true
            finished = true
        }
        guard let open = draft else {
            if problem.kind == .mismatchedEndTag, unclosedRecordRejected {
                unclosedRecordRejected = false
            } else {
                reject(problem.line, problem.rejectionReason)
            }
            return
        }
        if problem.isFatal {
            draft = nil
            reject(open.line, problem.rejectionReason)
        } else if open.problem == nil {
            draft?.problem = problem
        }
    }

    private mutating func reject(_ line: Int, _ reason: String) {
        ready.append(.rejection(Rejection(file: file, line: line, reason: reason)))
    }

    private mutating func finishDocument() {
        finished = true
        if !stopped, !scanner.sawRootElement {
            reject(scanner.line, "no XML element found: the document is empty or not XML")
        }
    }
}
